import type { Argv } from 'yargs';
import { DEFAULT_STEP_DURATION_MS, EXPORT_FORMATS, exportCommand } from '../../export/index.js';
import { formatDurationOption, MAX_CONCURRENCY, RAMP_DEFAULTS, RAMP_MODES, RAMP_TARGETS, RATE_DEFAULTS } from '../../ramp/index.js';
import { collectionArgument, splitList, type CommandDefinition } from '../command.js';

interface ExportArgs {
  to: string;
  collection: string;
  environment?: string;
  'env-var'?: string[];
  globals?: string;
  'global-var'?: string[];
  'working-dir'?: string;
  'insecure-file-read'?: boolean;
  target: string;
  mode: string;
  'start-rate'?: number;
  'max-rate'?: number;
  'max-vus'?: number;
  folder?: string;
  start: number;
  max: number;
  factor: number;
  'step-duration': string;
  threshold: number;
  'fail-on': string[];
  bisect: boolean;
  'max-duration': string;
  'timeout-request': string;
  out: string;
}

/**
 * `debug502 export --to locust|k6`: the ramp as a script for a distributed load engine; the work is
 * the library's exportCommand. Exit 0, or 2 on bad input with nothing written.
 */
export const exportCli: CommandDefinition<ExportArgs> = {
  command: 'export [collection]',
  describe: 'Write the ramp as a Locust locustfile (runs debug502\'s search live, master + workers) or a k6 script',
  builder: (yargs) =>
    collectionArgument(yargs, 'Postman collection with the "Through gateway" and "Direct to backend" folders')
      .option('to', { type: 'string', choices: EXPORT_FORMATS as string[], demandOption: true, describe: 'locust: DIR/locustfile.py · k6: DIR/k6-script.js' })
      .option('environment', { alias: 'e', type: 'string', describe: 'Postman environment file with gateway_url and backend_url (newman\'s -e)' })
      .option('env-var', { type: 'string', array: true, describe: 'Set a variable, overriding the environment: key=value (repeatable; secrets are never written)' })
      .option('globals', { alias: 'g', type: 'string', describe: 'Postman globals file, below the environment as in newman' })
      .option('global-var', { type: 'string', array: true, describe: 'Set a global variable: key=value (repeatable)' })
      .option('working-dir', { type: 'string', describe: 'Where the relative paths of file bodies and form-data files start, as in newman (checked as run checks them; the scripts written send no files)' })
      .option('insecure-file-read', { type: 'boolean', describe: 'Whether requests may name files outside --working-dir, as run takes it (--no-insecure-file-read refuses them, exit 2)' })
      .option('target', { type: 'string', choices: RAMP_TARGETS as string[], default: RAMP_DEFAULTS.target, describe: 'What to ramp; both ramps the gateway, then the backend' })
      .option('mode', { type: 'string', choices: RAMP_MODES as string[], default: RAMP_DEFAULTS.mode, describe: 'What a level is: concurrency (users) or rate (arrivals per second on the clock; k6 only: ramping-arrival-rate)' })
      .option('start-rate', { type: 'number', describe: `--mode rate: first offered rate, req/s (default ${RATE_DEFAULTS.startRate})` })
      .option('max-rate', { type: 'number', describe: `--mode rate: last offered rate, req/s (default ${RATE_DEFAULTS.maxRate})` })
      .option('max-vus', { type: 'number', describe: `--mode rate: k6's preAllocatedVUs and maxVUs, the most requests in flight; an arrival that finds them all busy is dropped (default ${RATE_DEFAULTS.maxVus})` })
      .option('folder', { type: 'string', describe: 'Only this folder (or request) inside each target\'s folder' })
      .option('start', { type: 'number', default: RAMP_DEFAULTS.start, describe: 'First level (users)' })
      .option('max', { type: 'number', default: RAMP_DEFAULTS.max, describe: `Last level (hard cap ${MAX_CONCURRENCY})` })
      .option('factor', { type: 'number', default: RAMP_DEFAULTS.factor, describe: 'The level grows by this factor per step' })
      .option('step-duration', { type: 'string', default: formatDurationOption(DEFAULT_STEP_DURATION_MS), describe: 'How long each level is held, e.g. 10s, 1m (the first 2s are not judged)' })
      .option('threshold', { type: 'number', default: RAMP_DEFAULTS.threshold, describe: 'A step fails when more than this share of its requests fail (0: any)' })
      .option('fail-on', { type: 'string', array: true, default: RAMP_DEFAULTS.failOn.map(String), describe: 'What fails a request besides no response: statuses (502), ranges (502-504), classes (5xx), slow (over max_response_time_ms)' })
      .option('bisect', { type: 'boolean', default: RAMP_DEFAULTS.bisect, describe: 'Bisect between the last passing and first failing level (Locust only; --no-bisect: off)' })
      .option('max-duration', { type: 'string', default: formatDurationOption(RAMP_DEFAULTS.maxDurationMs), describe: 'Safety: the run stops after this long' })
      .option('timeout-request', { type: 'string', default: String(RAMP_DEFAULTS.timeoutRequestMs), describe: 'Deadline of each request, e.g. 500ms, 2s; a bare number is ms' })
      .option('out', { type: 'string', default: 'loadtest', describe: 'Directory that receives the script' })
      .example('$0 export c.json --to locust --environment e.json --target both --max 256 --out loadtest', 'then: locust -f loadtest/locustfile.py --headless --csv results/run --csv-full-history')
      .example('$0 export c.json --to k6 --environment e.json --out loadtest', 'then: k6 run loadtest/k6-script.js')
      .example('$0 export c.json --to k6 --mode rate --start-rate 50 --max-rate 2000 --max-vus 500 --environment e.json', 'the open model: a ramping-arrival-rate scenario') as unknown as Argv<ExportArgs>,
  handler: async (args, io) =>
    (await exportCommand({
      to: args.to,
      collection: args.collection,
      environment: args.environment,
      envVars: args['env-var'],
      globals: args.globals,
      globalVars: args['global-var'],
      workingDir: args['working-dir'],
      insecureFileRead: args['insecure-file-read'],
      folder: args.folder,
      out: args.out,
      target: args.target,
      mode: args.mode,
      startRate: args['start-rate'],
      maxRate: args['max-rate'],
      maxVus: args['max-vus'],
      start: args.start,
      max: args.max,
      factor: args.factor,
      stepDuration: args['step-duration'],
      threshold: args.threshold,
      failOn: splitList(args['fail-on']),
      bisect: args.bisect,
      maxDuration: args['max-duration'],
      timeoutRequest: args['timeout-request'],
    }, io)).exitCode,
};
