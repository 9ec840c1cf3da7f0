/**
 * `debug502 report` as one library call: re-renders the reports of a finished ramp from its
 * ramp.json, sending no request.
 */
import { dirname, resolve } from 'node:path';
import { EXIT } from '../errors.js';
import { displayPath } from '../fs/display-path.js';
import type { CommandResult, Io } from '../io.js';
import type { RampReport } from '../model.js';
import { RAMP_REPORTERS, readRampReport, type RampReporterName } from './ramp/index.js';
import { checkPlannedReports, planReports, writePlannedReports, type ReportRequest } from './report-options.js';

/** What `debug502 report` re-renders when `-r` is not given: the projections of ramp.json. */
export const REPORT_COMMAND_DEFAULTS: readonly RampReporterName[] = ['html', 'markdown', 'junit'];

export interface ReportCommandOptions {
  /** The ramp.json a ramp wrote. */
  from: string;
  /** `reportDir` defaults to the directory of `from`. */
  reports?: ReportRequest;
}

/** Reads and validates `from` (InputError, exit 2, when it is no ramp report), writes the files, exit 0. */
export async function reportCommand(options: ReportCommandOptions, io: Io): Promise<CommandResult<RampReport>> {
  const from = resolve(io.cwd, options.from);
  const request = options.reports ?? {};
  const plan = planReports(RAMP_REPORTERS, { ...request, reportDir: request.reportDir ?? dirname(from) }, REPORT_COMMAND_DEFAULTS, io.cwd);
  const report = await readRampReport(from);
  await checkPlannedReports(RAMP_REPORTERS, plan);
  const { paths } = await writePlannedReports(RAMP_REPORTERS, report, plan);
  io.stdout(`${report.verdict.code}: ${report.verdict.message}\n`);
  for (const path of paths) io.stdout(`wrote ${displayPath(io.cwd, path)}\n`);
  return { report, files: paths, exitCode: EXIT.ok };
}
