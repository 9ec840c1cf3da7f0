import type { Argv } from 'yargs';
import { formatDurationOption, MAX_CONCURRENCY, MAX_WORKERS, RAMP_DEFAULTS, RAMP_ENGINES, RAMP_MODES, RAMP_TARGETS, RATE_DEFAULTS } from '../../ramp/index.js';
import { ENGINES } from '../../engines/engine.js';
import { RAMP_COMMAND_DEFAULTS, rampCommand } from '../../ramp/ramp-command.js';
import { RAMP_REPORTERS } from '../../report/ramp/index.js';
import { collectionArgument, splitList, type CommandDefinition } from '../command.js';
import { collectionInputOptions, readCollectionInputArgs, type CollectionInputArgs } from '../collection-input-args.js';
import { describeRefusedOptions, POSTMAN_API_KEY_REFUSED, refuseExports, refuseOptions, type RefusedOption } from '../refused-options.js';
import { newmanOutputOptions, withNewmanOutput, type NewmanOutputArgs } from '../newman-output.js';

/** newman run's flags that would make no sense in a load ramp: given, they say why (exit 2). */
const RAMP_REFUSED: Record<string, RefusedOption> = {
  bail: {
    why: 'a ramp is there to see requests fail: it stops by itself after the first failing step and pinpoints the level (--threshold says what fails a step)',
    instead: 'drop --bail; --threshold 0 fails a step on its first failed request',
  },
  'delay-request': {
    why: 'a pause between requests lowers the load of every level behind the ramp\'s back: the breaking point found would be that of the paused load',
    instead: 'ramp lower levels (--start, --max) or a set arrival rate (--mode rate --start-rate N)',
  },
  'iteration-count': {
    alias: 'n',
    why: 'the steps set how much is sent: --requests-per-step per step, whole passes of the folder',
    instead: 'use --requests-per-step N',
  },
  verbose: {
    flag: true,
    why: 'newman\'s own output from many virtual users at once is interleaved noise; the plan, the progress lines and the reports show every step',
    instead: 'drop it; "debug502 run --verbose" shows newman\'s output for one pass',
  },
  color: {
    why: 'it colours newman\'s own output, which a ramp does not show',
    instead: 'drop it; "debug502 run --verbose --color on" shows newman\'s output for one pass',
  },
  timeout: {
    why: 'a ramp\'s deadline is --max-duration: past it the ramp stops, writes the report of the steps that ran, and exits 3',
    instead: 'use --max-duration, e.g. 10m',
  },
  'timeout-script': {
    why: 'a script deadline newman\'s sandbox misses ends a virtual user\'s run part-way (measured: at 1 ms its sandbox cannot start, and the user stops after one request), so a step would be judged on fewer requests than planned',
    instead: 'bound each request with --timeout-request; "debug502 run --timeout-script" checks a deadline on one pass',
  },
  ...refuseExports('a ramp\'s virtual users each end with their own variables and cookies, hundreds of runs: there is no one environment, collection or jar to write'),
  ...POSTMAN_API_KEY_REFUSED,
};
import { readReportArgs, reportOptions, type ReportArgs } from '../report-args.js';

interface RampArgs extends ReportArgs, CollectionInputArgs, NewmanOutputArgs {
  'cookie-jar'?: string;
  collection: string;
  engine?: string;
  mode: string;
  workers?: number;
  'start-rate'?: number;
  'max-rate'?: number;
  'step-duration'?: string;
  'max-vus'?: number;
  target: string;
  start: number;
  max: number;
  factor: number;
  'requests-per-step': number;
  threshold: number;
  'fail-on': string[];
  'max-p95'?: number;
  'max-p99'?: number;
  bisect: boolean;
  'max-requests': number;
  'max-duration': string;
  'min-capacity'?: number;
  'dry-run': boolean;
  'ignore-redirects': boolean;
}

/**
 * `debug502 ramp`: ramps concurrency until 502s begin, pinpoints the level, writes the reports.
 * Exit 0 ok · 1 --min-capacity gate failed · 2 bad input · 3 safety stop or unreachable (report
 * written) · 130 interrupted (report written).
 */
export const rampCli: CommandDefinition<RampArgs> = {
  command: 'ramp [collection]',
  describe: 'Ramp load step by step (concurrency or arrival rate; newman or the fast engine) until 502s begin: the breaking point, which side breaks, reports',
  builder: (yargs) =>
    newmanOutputOptions(collectionInputOptions(
      refuseOptions(
        reportOptions(collectionArgument(yargs, 'Postman collection with the "Through gateway" and "Direct to backend" folders'), RAMP_REPORTERS, {
          defaults: RAMP_COMMAND_DEFAULTS,
          legacy: 'formats',
        }),
        'ramp',
        RAMP_REFUSED,
      ),
      {
        globals: 'newman engine',
        iterationData: 'CSV (header row) or JSON array: each virtual user cycles through the rows, one pass per row (newman engine)',
        timeoutRequest: { default: String(RAMP_DEFAULTS.timeoutRequestMs) },
      },
    ))
      .option('cookie-jar', { type: 'string', describe: 'Every virtual user starts with these cookies: a tough-cookie jar (JSON), as newman\'s --cookie-jar (newman engine: the fast engine sends no cookie jar)' })
      .option('target', { type: 'string', choices: RAMP_TARGETS as string[], default: RAMP_DEFAULTS.target, describe: 'What to ramp; both compares gateway and backend' })
      .option('engine', {
        type: 'string',
        choices: RAMP_ENGINES as string[],
        describe: `What sends the requests (default ${RAMP_DEFAULTS.engine}; fast with --mode rate). ${RAMP_ENGINES.map((name) => `${ENGINES[name].label} (${ENGINES[name].hint})`).join('; ')}`,
      })
      .option('mode', {
        type: 'string',
        choices: RAMP_MODES as string[],
        default: RAMP_DEFAULTS.mode,
        describe: 'What a level is: concurrency (C virtual users, each waiting for its answers) or rate (arrivals per second on the clock, whatever the answers do)',
      })

      .option('start', { type: 'number', default: RAMP_DEFAULTS.start, describe: 'First concurrency (virtual users)' })
      .option('max', { type: 'number', default: RAMP_DEFAULTS.max, describe: `Last concurrency (hard cap ${MAX_CONCURRENCY})` })
      .option('factor', { type: 'number', default: RAMP_DEFAULTS.factor, describe: 'Concurrency grows by this factor per step' })
      .option('requests-per-step', { type: 'number', default: RAMP_DEFAULTS.requestsPerStep, describe: 'Request budget of a step, shared by its virtual users (whole passes of the folder)' })
      .option('threshold', { type: 'number', default: RAMP_DEFAULTS.threshold, describe: 'A step fails when more than this share of its requests fail (0: any)' })
      .option('fail-on', {
        type: 'string',
        array: true,
        default: RAMP_DEFAULTS.failOn.map(String),
        describe: 'What fails a request besides transport errors (always): statuses 502, ranges 502-504, classes 5xx, and slow (slower than the collection\'s max_response_time_ms), e.g. --fail-on 5xx,slow',
      })
      .option('max-p95', { type: 'number', describe: 'A step also fails when its p95 latency is above this many ms (like a k6 threshold)' })
      .option('max-p99', { type: 'number', describe: 'A step also fails when its p99 latency is above this many ms' })
      .option('bisect', { type: 'boolean', default: RAMP_DEFAULTS.bisect, describe: 'Bisect between the last passing and first failing level (--no-bisect: off)' })
      .option('max-requests', { type: 'number', default: RAMP_DEFAULTS.maxRequests, describe: 'Safety: never send more requests than this (exit 3)' })
      .option('max-duration', { type: 'string', default: formatDurationOption(RAMP_DEFAULTS.maxDurationMs), describe: 'Safety: stop after this long, e.g. 90s, 10m, 1h (exit 3)' })
      .option('workers', { type: 'number', describe: `Worker threads that share a step's virtual users, 1 to ${MAX_WORKERS}, at most one per core used (default: one per core for newman, whose ~7 ms of CPU a request makes one core its limit; 1 for fast)` })
      .option('start-rate', { type: 'number', describe: `--mode rate: first offered rate, req/s (default ${RATE_DEFAULTS.startRate})` })
      .option('max-rate', { type: 'number', describe: `--mode rate: last offered rate, req/s (default ${RATE_DEFAULTS.maxRate})` })
      .option('step-duration', { type: 'string', describe: `--mode rate: how long each step offers its rate, e.g. 10s (default ${formatDurationOption(RATE_DEFAULTS.stepDurationMs)})` })
      .option('max-vus', { type: 'number', describe: `--mode rate: most requests in flight; an arrival that finds them all busy is dropped, and the step decides nothing (default ${RATE_DEFAULTS.maxVus})` })
      .option('min-capacity', { type: 'number', describe: 'CI gate: exit 1 when the breaking point is below this level (a concurrency, or a rate with --mode rate)' })
      .option('ignore-redirects', { type: 'boolean', default: false, describe: 'Do not follow redirects: a 3xx is the answer (as newman\'s --ignore-redirects). Followed redirects count against --max-requests' })
      .option('dry-run', { type: 'boolean', default: false, describe: 'Print the plan (levels, budgets, limits) and send nothing' })
      .example('$0 ramp collections/502-debugging.postman_collection.json --environment environments/local.postman_environment.json --target both', '')
      .example('$0 ramp c.json --environment e.json --max 32 --min-capacity 8', 'CI gate: fail when 502s start below 8 concurrent requests')
      .example('$0 ramp c.json --environment e.json --mode rate --start-rate 50 --max-rate 2000 --step-duration 10s', 'Open model: offered rates 50 → 2000 req/s until 502s begin')
      .epilogue(describeRefusedOptions(RAMP_REFUSED)) as unknown as Argv<RampArgs>,
  handler: async (args, io) => withNewmanOutput(args, io, async (io) => {
    const { exitCode } = await rampCommand(
      {
        collection: args.collection,
        ...readCollectionInputArgs(args),
        target: args.target,
        engine: args.engine,
        mode: args.mode,
        workers: args.workers,
        startRate: args['start-rate'],
        maxRate: args['max-rate'],
        stepDuration: args['step-duration'],
        maxVus: args['max-vus'],
        start: args.start,
        max: args.max,
        factor: args.factor,
        requestsPerStep: args['requests-per-step'],
        threshold: args.threshold,
        failOn: splitList(args['fail-on']),
        maxP95Ms: args['max-p95'],
        maxP99Ms: args['max-p99'],
        bisect: args.bisect,
        maxRequests: args['max-requests'],
        maxDuration: args['max-duration'],
        minCapacity: args['min-capacity'],
        followRedirects: !args['ignore-redirects'],
        dryRun: args['dry-run'],
        reports: readReportArgs(args, RAMP_REPORTERS, io, 'formats'),
        cookieJar: args['cookie-jar'],
      },
      io,
    );
    return exitCode;
  }),
};
