import type { Argv } from 'yargs';
import { RAMP_REPORTERS } from '../../report/ramp/index.js';
import { REPORT_COMMAND_DEFAULTS, reportCommand } from '../../export/report-command.js';
import { splitList, type CommandDefinition } from '../command.js';
import { readReportArgs, reportOptions, type ReportArgs } from '../report-args.js';

interface ReportCliArgs extends ReportArgs {
  from?: string;
  'from-locust'?: string;
  'from-k6'?: string;
  threshold?: number;
  'fail-on'?: string[];
  'min-capacity'?: number;
}

/**
 * `debug502 report`: re-renders the reports of a finished ramp from its ramp.json, or builds them
 * from a Locust or k6 run of "debug502 export", sending no request.
 */
export const reportCli: CommandDefinition<ReportCliArgs> = {
  command: 'report',
  describe: 'Re-render a ramp\'s reports from its ramp.json, or build them from a Locust or k6 run of "debug502 export"',
  builder: (yargs) =>
    reportOptions(
      yargs
        .option('from', { type: 'string', describe: 'The ramp.json a ramp wrote, e.g. reports/ramp.json' })
        .option('from-locust', { type: 'string', describe: 'The --csv PREFIX of a run of the exported locustfile (reads PREFIX_stats_history.csv, PREFIX_stats.csv); writes every reporter unless -r' })
        .option('from-k6', { type: 'string', describe: 'The summary JSON the exported k6 script wrote (handleSummary); writes every reporter unless -r' })
        .option('threshold', { type: 'number', describe: 'Imports: a step fails when more than this share of its requests fail (the export\'s --threshold; default 0)' })
        .option('fail-on', { type: 'string', array: true, describe: 'Imports: HTTP statuses that fail a step (default: 502 and every status the run marked failed)' })
        .option('min-capacity', { type: 'number', describe: 'CI gate: exit 1 when the breaking point is below this many users' }),
      RAMP_REPORTERS,
      { defaults: REPORT_COMMAND_DEFAULTS, legacy: 'formats', reportDir: { describe: 'Where to write the files (default: the directory of the input)' } },
    )
      .example('$0 report --from reports/ramp.json', 'rewrite ramp.html, ramp.md and ramp.junit.xml next to it')
      .example('$0 report --from reports/ramp.json -r md --report-dir out', 'only the Markdown, into out/')
      .example('$0 report --from-locust results/run --report-dir reports --min-capacity 64', 'a distributed Locust run → ramp.json/html/md/junit, gated')
      .example('$0 report --from-k6 summary.json', 'the k6 script\'s summary → the same reports') as unknown as Argv<ReportCliArgs>,
  handler: async (args, io) =>
    (await reportCommand({
      from: args.from,
      fromLocust: args['from-locust'],
      fromK6: args['from-k6'],
      threshold: args.threshold,
      failOn: args['fail-on'] === undefined ? undefined : splitList(args['fail-on']),
      minCapacity: args['min-capacity'],
      reports: readReportArgs(args, RAMP_REPORTERS, io, 'formats'),
    }, io)).exitCode,
};
