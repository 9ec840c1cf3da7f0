import type { Argv } from 'yargs';
import { RAMP_REPORTERS } from '../../report/ramp/index.js';
import { REPORT_COMMAND_DEFAULTS, reportCommand } from '../../report/report-command.js';
import type { CommandDefinition } from '../command.js';
import { readReportArgs, reportOptions, type ReportArgs } from '../report-args.js';

interface ReportCliArgs extends ReportArgs {
  from: string;
}

/** `debug502 report`: re-renders the reports of a finished ramp from its ramp.json, sending no request. */
export const reportCli: CommandDefinition<ReportCliArgs> = {
  command: 'report',
  describe: 'Re-render the HTML, Markdown and JUnit reports of a ramp from its ramp.json, without re-running it',
  builder: (yargs) =>
    reportOptions(
      yargs.option('from', { type: 'string', demandOption: true, describe: 'The ramp.json a ramp wrote, e.g. reports/ramp.json' }),
      RAMP_REPORTERS,
      { defaults: REPORT_COMMAND_DEFAULTS, legacy: 'formats', reportDir: { describe: 'Where to write the files (default: the directory of --from)' } },
    )
      .example('$0 report --from reports/ramp.json', 'rewrite ramp.html, ramp.md and ramp.junit.xml next to it')
      .example('$0 report --from reports/ramp.json -r md --report-dir out', 'only the Markdown, into out/') as unknown as Argv<ReportCliArgs>,
  handler: async (args, io) => (await reportCommand({ from: args.from, reports: readReportArgs(args, RAMP_REPORTERS, io, 'formats') }, io)).exitCode,
};
