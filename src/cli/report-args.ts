import type { Argv } from 'yargs';
import { InputError } from '../errors.js';
import type { Io } from '../io.js';
import { describeReporterNames, type ReporterRegistry } from '../report/registry.js';
import { fileReporters, type ReportRequest } from '../report/report-options.js';
import { splitList } from './command.js';

/** The report options as yargs has them after `reportOptions` declared them. */
export type ReportArgs = Record<string, unknown> & { reporters?: string[]; 'report-dir'?: string };

/**
 * Declares the one report option set on a command, newman's names: `-r/--reporters a,b`,
 * `--reporter-<name>-export PATH` per reporter that writes a file, `--report-dir DIR`, and the
 * command's old name for `-r` (`--formats`, `--format`) still accepted, with a deprecation line.
 */
export function reportOptions<T>(
  yargs: Argv<T>,
  registry: ReporterRegistry<never, string>,
  settings: { defaults: readonly string[]; legacy?: string; reportDir?: { default?: string; describe: string }; reportersHelp?: string },
): Argv<T> {
  let y = yargs
    .option('reporters', {
      alias: 'r',
      type: 'string',
      array: true,
      defaultDescription: settings.defaults.join(','),
      describe: `Reporters, comma-separated: ${describeReporterNames(registry)}${settings.reportersHelp ? `. ${settings.reportersHelp}` : ''}`,
    })
    .option('report-dir', { type: 'string', ...(settings.reportDir ?? { default: 'reports', describe: 'Where the report files go' }) });
  for (const name of fileReporters(registry)) {
    y = y.option(`reporter-${name}-export`, {
      type: 'string',
      alias: exportAliases(registry, name),
      describe: `Write the ${name} report to this file (a directory: its usual name inside); turns the ${name} reporter on`,
    });
  }
  if (settings.legacy) y = y.option(settings.legacy, { type: 'string', array: true, hidden: true, describe: `Deprecated: use -r/--reporters` });
  return y as Argv<T>;
}

/** `reporter-md-export` for `reporter-markdown-export`: every alias of the reporter's name. */
function exportAliases(registry: ReporterRegistry<never, string>, name: string): string[] {
  return Object.entries(registry.aliases).filter(([, target]) => target === name).map(([alias]) => `reporter-${alias}-export`);
}

/**
 * Reads what `reportOptions` declared into a ReportRequest for the library. The old name still
 * works for one minor version: it prints a deprecation line on stderr; given with `-r`, it is an
 * error (which one was meant?).
 */
export function readReportArgs(args: ReportArgs, registry: ReporterRegistry<never, string>, io: Io, legacy?: string): ReportRequest {
  const reporterExports: Record<string, string | undefined> = {};
  for (const name of fileReporters(registry)) {
    const value = args[`reporter-${name}-export`];
    if (value !== undefined) reporterExports[name] = String(value);
  }
  const old = legacy === undefined ? undefined : (args[legacy] as string[] | undefined);
  if (old !== undefined && args.reporters !== undefined) {
    throw new InputError(`--${legacy} and --reporters both given`, [], `--${legacy} is the old name of -r/--reporters: keep -r only`);
  }
  if (old !== undefined) {
    io.stderr(`warning: --${legacy} is deprecated and goes away in debug502 0.3: use -r/--reporters (same names: ${describeReporterNames(registry)})\n`);
  }
  const typed = old ?? args.reporters;
  return {
    reporters: typed === undefined ? undefined : splitList(typed),
    reporterExports,
    reportDir: args['report-dir'],
    optionName: old !== undefined ? `--${legacy}` : '--reporters',
  };
}
