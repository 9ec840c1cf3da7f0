import type { Argv } from 'yargs';
import { WATCH_REPORTERS } from '../../report/watch/index.js';
import { WATCH_ARRIVALS, WATCH_COMMAND_DEFAULTS, WATCH_DEFAULTS, WATCH_TARGETS, watchCommand } from '../../watch/index.js';
import { splitList, type CommandDefinition } from '../command.js';
import { collectionInputOptions, readCollectionInputArgs, type CollectionInputArgs } from '../collection-input-args.js';
import { describeRefusedOptions, POSTMAN_API_KEY_REFUSED, refuseExports, refuseOptions, type RefusedOption } from '../refused-options.js';
import { newmanOutputOptions, withNewmanOutput, type NewmanOutputArgs } from '../newman-output.js';

/** newman run's flags that mean nothing to a watch: given, they say why (exit 2). */
const WATCH_REFUSED: Record<string, RefusedOption> = {
  'iteration-count': { alias: 'n', why: 'a watch sends arrivals on the clock: --rate times --duration says how many', instead: 'use --rate and --duration' },
  bail: { why: 'a watch is there to see when requests fail over time: stopping at the first would hide the pattern', instead: 'drop --bail; --threshold 0 fails the watch on any failure, at its end' },
  'delay-request': { why: 'the gaps between requests are the arrivals\' (--rate, --arrivals poisson|uniform)', instead: 'use --rate, e.g. 2/s, or --arrivals uniform' },
  verbose: { flag: true, why: 'watch does not run newman; a line per window is printed, every request is in the reports', instead: 'drop --verbose' },
  color: { why: 'watch does not run newman, whose output it would colour', instead: 'drop --color' },
  timeout: { why: 'a watch lasts --duration, and stops by itself at --max-requests', instead: 'use --duration, e.g. 10m' },
  'timeout-script': { why: 'watch runs no scripts: it sends each request as the collection writes it', instead: 'drop it; "debug502 run --timeout-script" runs the scripts' },
  'cookie-jar': { why: 'watch keeps no cookie jar: each request is sent as the collection writes it, on a fresh connection', instead: 'set the cookie in the collection\'s Cookie header, or use "debug502 run --cookie-jar"' },
  ...refuseExports('watch runs no scripts: the variables and cookies end as they began'),
  ...POSTMAN_API_KEY_REFUSED,
};
import { readReportArgs, reportOptions, type ReportArgs } from '../report-args.js';

interface WatchArgs extends ReportArgs, CollectionInputArgs, NewmanOutputArgs {
  'ignore-redirects'?: boolean;
  collection?: string;
  target: string;
  rate: string;
  duration: string;
  window: string;
  arrivals: string;
  seed?: number;
  'fail-on': string[];
  threshold: number;
  'max-requests': number;
}

/**
 * `debug502 watch`: steady low-rate traffic over time, a timeline per window, a verdict on the
 * pattern. Exit 0 within the threshold · 1 a target failed more than --threshold · 2 bad input ·
 * 130 interrupted (report written).
 */
export const watchCli: CommandDefinition<WatchArgs> = {
  command: 'watch',
  describe: 'Send steady low-rate traffic for a while and show 502s over time: a burst (deploy, crash) or a steady background (the keep-alive race)',
  builder: (yargs) =>
    newmanOutputOptions(collectionInputOptions(refuseOptions(reportOptions(yargs, WATCH_REPORTERS, { defaults: WATCH_COMMAND_DEFAULTS, legacy: 'formats', reportDir: { default: 'reports', describe: 'Where watch.json, watch.html, watch.md and watch.junit.xml go' } }), 'watch', WATCH_REFUSED), {
      environment: 'or the two URLs as --env-var gateway_url=… --env-var backend_url=…',
      globals: 'for the collection\'s variables',
      iterationData: 'CSV (header row) or JSON array whose FIRST row fills the collection\'s variables',
      insecure: 'accepted, changes nothing: watch never stops at a certificate that does not verify',
      timeoutRequest: { default: String(WATCH_DEFAULTS.timeoutRequestMs), describe: 'Deadline of each request, e.g. 500ms, 2s; a bare number is ms' },
    }))
      .option('ignore-redirects', { type: 'boolean', describe: 'Accepted, changes nothing: watch never follows a redirect — a 3xx is the answer it counts' })
      .option('collection', { type: 'string', describe: 'Collection whose requests are sent in turn (default: GET /)' })
      .option('target', { choices: WATCH_TARGETS as string[], default: WATCH_DEFAULTS.target, describe: 'Where to send: both compares gateway and direct' })
      .option('rate', { type: 'string', default: `${WATCH_DEFAULTS.ratePerSec}/s`, describe: 'Arrivals per second (open model: they do not wait for answers), e.g. 5/s, 300/m' })
      .option('duration', { type: 'string', default: '10m', describe: 'How long to watch: 90s, 10m, 2h (a bare number is seconds)' })
      .option('window', { type: 'string', default: '10s', describe: 'Width of a timeline window' })
      .option('arrivals', { choices: WATCH_ARRIVALS as string[], default: WATCH_DEFAULTS.arrivals, describe: 'poisson: random gaps like real traffic (idle gaps happen); uniform: every 1/rate s' })
      .option('seed', { type: 'number', describe: 'Seed of the poisson gaps (the report records it; the same seed replays the schedule)' })
      .option('fail-on', { type: 'string', array: true, default: WATCH_DEFAULTS.failOn.map(String), describe: 'HTTP statuses that count as failures (transport errors always do)' })
      .option('threshold', { type: 'number', default: WATCH_DEFAULTS.threshold, describe: 'CI gate: exit 1 when a target\'s failure share is above this (0: any failure)' })
      .option('max-requests', { type: 'number', default: WATCH_DEFAULTS.maxRequests, describe: 'Safety: never send more requests than this, counted across targets (an arrival with --target both sends two)' })
      .example('$0 watch --environment environments/staging.postman_environment.json --rate 5/s --duration 10m', 'is there a background 502 rate?')
      .example('$0 watch -e e.json --collection c.json --duration 15m --window 5s', 'run it while you deploy: do we get 502s during a deploy?')
      .epilogue(`Exit: 0 within the threshold · 1 a target failed more than --threshold, or no request was sent · 2 bad input · 130 interrupted (report written)\n\n${describeRefusedOptions(WATCH_REFUSED)}`) as unknown as Argv<WatchArgs>,
  handler: async (args, io) => withNewmanOutput(args, io, async (io) => {
    const { exitCode } = await watchCommand(
      {
        ...readCollectionInputArgs(args), collection: args.collection,
        target: args.target, rate: args.rate, duration: args.duration, window: args.window, arrivals: args.arrivals, seed: args.seed,
        failOn: splitList(args['fail-on']).map(Number), threshold: args.threshold, maxRequests: args['max-requests'],
        reports: readReportArgs(args, WATCH_REPORTERS, io, 'formats'),
      },
      io,
    );
    return exitCode;
  }),
};
