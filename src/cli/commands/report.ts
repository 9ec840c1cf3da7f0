import { dirname, resolve } from 'node:path';
import type { Argv } from 'yargs';
import { EXIT } from '../../errors.js';
import { displayPath } from '../../fs/display-path.js';
import { describeReporterNames } from '../../report/registry.js';
import { parseRampReporters, RAMP_REPORTERS, readRampReport, writeRampReport } from '../../report/ramp/index.js';
import { splitList, type CommandDefinition } from '../command.js';

interface ReportArgs {
  from: string;
  formats: string[];
  'report-dir'?: string;
}

/** `debug502 report`: re-renders the reports of a finished ramp from its ramp.json, sending no request. */
export const reportCommand: CommandDefinition<ReportArgs> = {
  command: 'report',
  describe: 'Re-render the HTML, Markdown and JUnit reports of a ramp from its ramp.json, without re-running it',
  builder: (yargs) =>
    yargs
      .option('from', { type: 'string', demandOption: true, describe: 'The ramp.json a ramp wrote, e.g. reports/ramp.json' })
      .option('formats', { type: 'string', array: true, default: ['html', 'md', 'junit'], describe: `Formats to write, comma-separated: ${describeReporterNames(RAMP_REPORTERS)}` })
      .option('report-dir', { type: 'string', describe: 'Where to write the files (default: the directory of --from)' })
      .example('$0 report --from reports/ramp.json', 'rewrite ramp.html, ramp.md and ramp.junit.xml next to it')
      .example('$0 report --from reports/ramp.json --formats md --report-dir out', 'only the Markdown, into out/') as unknown as Argv<ReportArgs>,
  handler: async (args, io) => {
    const formats = parseRampReporters(splitList(args.formats), '--formats');
    const from = resolve(io.cwd, args.from);
    const dir = args['report-dir'] === undefined ? dirname(from) : resolve(io.cwd, args['report-dir']);
    const report = await readRampReport(from);
    const paths = await writeRampReport(report, dir, formats);
    io.stdout(`${report.verdict.code}: ${report.verdict.message}\n`);
    for (const path of paths) io.stdout(`wrote ${displayPath(io.cwd, path)}\n`);
    return EXIT.ok;
  },
};
