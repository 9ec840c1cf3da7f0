import { resolve } from 'node:path';
import type { Argv } from 'yargs';
import { EXIT } from '../../errors.js';
import { displayPath } from '../../fs/display-path.js';
import {
  createProgressListener,
  formatDurationOption,
  formatPlan,
  formatRampSummary,
  loadRampInput,
  MAX_CONCURRENCY,
  planRampInput,
  RAMP_DEFAULTS,
  RAMP_ENGINES,
  RAMP_TARGETS,
  rampExitCode,
  resolveRampOptions,
  runRamp,
} from '../../ramp/index.js';
import { parseRampReporters, RAMP_REPORTERS, writeRampReport } from '../../report/ramp/index.js';
import { describeReporterNames } from '../../report/registry.js';
import { parseEnvVars, splitList, type CommandDefinition } from '../command.js';

interface RampArgs {
  collection: string;
  engine: string;
  environment?: string;
  'env-var'?: string[];
  target: string;
  start: number;
  max: number;
  factor: number;
  'requests-per-step': number;
  threshold: number;
  'fail-on': string[];
  bisect: boolean;
  'max-requests': number;
  'max-duration': string;
  'timeout-request': number;
  'min-capacity'?: number;
  'report-dir': string;
  formats: string[];
  'dry-run': boolean;
}

/**
 * `debug502 ramp`: ramps concurrency until 502s begin, pinpoints the level, writes the reports.
 * Exit 0 ok · 1 --min-capacity gate failed · 2 bad input · 3 safety stop or unreachable (report
 * written) · 130 interrupted (report written).
 */
export const rampCommand: CommandDefinition<RampArgs> = {
  command: 'ramp',
  describe: 'Ramp load step by step (newman or the fast engine) until 502s begin: the breaking point, which side breaks, reports',
  builder: (yargs) =>
    yargs
      .option('collection', { type: 'string', demandOption: true, describe: 'Postman collection with the "Through gateway" and "Direct to backend" folders' })
      .option('environment', { type: 'string', describe: 'Postman environment file with gateway_url and backend_url' })
      .option('env-var', { type: 'string', array: true, describe: 'Set a variable, overriding the environment: key=value (repeatable)' })
      .option('target', { type: 'string', choices: RAMP_TARGETS as string[], default: RAMP_DEFAULTS.target, describe: 'What to ramp; both compares gateway and backend' })
      .option('engine', {
        type: 'string',
        choices: RAMP_ENGINES as string[],
        default: RAMP_DEFAULTS.engine,
        describe: 'newman runs the collection\'s own test scripts (~7 ms CPU a request); fast (undici) sends the same requests and judges the guide\'s two tests, for loads newman cannot sustain',
      })
      .option('start', { type: 'number', default: RAMP_DEFAULTS.start, describe: 'First concurrency (virtual users)' })
      .option('max', { type: 'number', default: RAMP_DEFAULTS.max, describe: `Last concurrency (hard cap ${MAX_CONCURRENCY})` })
      .option('factor', { type: 'number', default: RAMP_DEFAULTS.factor, describe: 'Concurrency grows by this factor per step' })
      .option('requests-per-step', { type: 'number', default: RAMP_DEFAULTS.requestsPerStep, describe: 'Request budget of a step, shared by its virtual users (whole passes of the folder)' })
      .option('threshold', { type: 'number', default: RAMP_DEFAULTS.threshold, describe: 'A step fails when more than this share of its requests fail (0: any)' })
      .option('fail-on', { type: 'string', array: true, default: RAMP_DEFAULTS.failOn.map(String), describe: 'HTTP statuses that count as failures (transport errors always do)' })
      .option('bisect', { type: 'boolean', default: RAMP_DEFAULTS.bisect, describe: 'Bisect between the last passing and first failing level (--no-bisect: off)' })
      .option('max-requests', { type: 'number', default: RAMP_DEFAULTS.maxRequests, describe: 'Safety: never send more requests than this (exit 3)' })
      .option('max-duration', { type: 'string', default: formatDurationOption(RAMP_DEFAULTS.maxDurationMs), describe: 'Safety: stop after this long, e.g. 90s, 10m, 1h (exit 3)' })
      .option('timeout-request', { type: 'number', default: RAMP_DEFAULTS.timeoutRequestMs, describe: 'Per-request timeout in ms' })
      .option('min-capacity', { type: 'number', describe: 'CI gate: exit 1 when the breaking point is below this concurrency' })
      .option('report-dir', { type: 'string', default: 'reports', describe: 'Where ramp.json, ramp.html, ramp.md and ramp.junit.xml go' })
      .option('formats', { type: 'string', array: true, default: ['json', 'md', 'html', 'junit'], describe: `Report formats, comma-separated: ${describeReporterNames(RAMP_REPORTERS)}` })
      .option('dry-run', { type: 'boolean', default: false, describe: 'Print the plan (levels, budgets, limits) and send nothing' })
      .example('$0 ramp --collection collections/502-debugging.postman_collection.json --environment environments/local.postman_environment.json --target both', '')
      .example('$0 ramp --collection c.json --environment e.json --max 32 --min-capacity 8', 'CI gate: fail when 502s start below 8 concurrent requests') as unknown as Argv<RampArgs>,
  handler: async (args, io) => {
    const options = resolveRampOptions({
      target: args.target,
      engine: args.engine,
      start: args.start,
      max: args.max,
      factor: args.factor,
      requestsPerStep: args['requests-per-step'],
      threshold: args.threshold,
      failOn: splitList(args['fail-on']),
      bisect: args.bisect,
      maxRequests: args['max-requests'],
      maxDuration: args['max-duration'],
      timeoutRequestMs: args['timeout-request'],
      minCapacity: args['min-capacity'],
    });
    const formats = parseRampReporters(splitList(args.formats), '--formats');
    const envVars = parseEnvVars(args['env-var']);
    const input = await loadRampInput({ collectionFile: args.collection, environmentFile: args.environment, envVars, options, cwd: io.cwd });
    io.stdout(formatPlan(planRampInput(input)));
    if (args['dry-run']) return EXIT.ok;

    const report = await runRamp(input, { onProgress: createProgressListener({ write: io.stdout, isTTY: io.isTTY }), signal: io.signal });
    const dir = resolve(io.cwd, args['report-dir']);
    const paths = await writeRampReport(report, dir, formats, { stepSummaryPath: io.env.GITHUB_STEP_SUMMARY });
    io.stdout(formatRampSummary(report, paths.map((p) => displayPath(io.cwd, p))));
    return rampExitCode(report);
  },
};
