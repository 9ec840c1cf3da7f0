import type { Argv } from 'yargs';
import { DEMO_DEFAULTS, runDemo } from '../../demo/run-demo.js';
import { EXIT, InputError } from '../../errors.js';
import type { GatewayChoice } from '../../lab/index.js';

/**
 * The demo's story (a breaking point at the backend's capacity, 502s counted) is told through nginx
 * or the built-in gateway; run and ramp do not yet judge other gateways' statuses (503 from HAProxy,
 * Apache, Varnish), so `lab --gateway` offers those and the demo does not.
 */
const DEMO_GATEWAYS: readonly GatewayChoice[] = ['auto', 'nginx', 'builtin'];
import { LATENCY, parseDurationMs } from '../../options/parse-duration.js';
import type { CommandDefinition } from '../command.js';

interface DemoArgs {
  out: string;
  gateway: string;
  capacity: number;
  latency: string;
  'requests-per-step': number;
  max: number;
}

/**
 * `debug502 demo` (`npm run demo`): the whole story on the built-in lab. Exit 0 when it ran to the
 * end (a breaking point is what it is meant to find), 3 when the lab cannot start, 130 on Ctrl-C.
 */
export const demoCli: CommandDefinition<DemoArgs> = {
  command: 'demo',
  describe: 'The whole story on the built-in lab: generate, run, ramp until 502s begin, reports',
  builder: (yargs) =>
    yargs
      .option('out', { type: 'string', default: DEMO_DEFAULTS.outDir, describe: 'Directory for the collection, environment and reports' })
      .option('gateway', { type: 'string', choices: DEMO_GATEWAYS as string[], default: DEMO_DEFAULTS.gateway, describe: 'nginx when installed (auto), or force one' })
      .option('capacity', { type: 'number', default: DEMO_DEFAULTS.capacity, describe: 'Requests the lab backend holds in flight' })
      .option('latency', { type: 'string', default: String(DEMO_DEFAULTS.latencyMs), describe: 'Lab backend latency per request, e.g. 50ms (a bare number is ms)' })
      .option('requests-per-step', { type: 'number', default: DEMO_DEFAULTS.requestsPerStep, describe: 'Request budget of each ramp step' })
      .option('max', { type: 'number', default: DEMO_DEFAULTS.maxConcurrency, describe: 'Highest concurrency the ramp tries' }) as unknown as Argv<DemoArgs>,
  handler: async (args, io) => {
    for (const [option, value] of [['--capacity', args.capacity], ['--requests-per-step', args['requests-per-step']], ['--max', args.max]] as const) {
      if (!Number.isInteger(value) || value < 1) throw new InputError(`${option}: must be a whole number of at least 1, not ${String(value)}`);
    }
    const latencyMs = parseDurationMs(args.latency, LATENCY);
    const result = await runDemo(
      {
        outDir: args.out,
        gateway: args.gateway as GatewayChoice,
        capacity: args.capacity,
        latencyMs,
        requestsPerStep: args['requests-per-step'],
        maxConcurrency: args.max,
      },
      { write: io.stdout, isTTY: io.isTTY, cwd: io.cwd, env: io.env, signal: io.signal },
    );
    if (result.ramp.meta.aborted?.reason === 'interrupted') return EXIT.interrupted;
    return EXIT.ok;
  },
};
