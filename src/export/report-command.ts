/**
 * `debug502 report` as one library call: re-renders the reports of a finished ramp from its
 * ramp.json, or builds them from a distributed run of "debug502 export" (Locust CSVs, a k6
 * summary), sending no request. It lives with the importers (a command that reads another tool's
 * results and runs the ramp's own detection on them), not in report/, which only renders.
 */
import { dirname, resolve } from 'node:path';
import { EXIT, InputError } from '../errors.js';
import { importK6Summary } from './import-k6.js';
import { importLocustRun } from './read-locust-run.js';
import { displayPath } from '../fs/display-path.js';
import { checkInterrupted } from '../interrupt.js';
import type { CommandResult, Io } from '../io.js';
import type { RampReport } from '../model.js';
import { MAX_RATE_PER_SEC, resolveRampOptions } from '../ramp/options.js';
import { formatRampSummary, rampExitCode } from '../ramp/outcome.js';
import { RAMP_MARKDOWN_FILE, RAMP_REPORTER_NAMES, RAMP_REPORTERS, readRampReport, type RampReporterName } from '../report/ramp/index.js';
import { describeRampAnswer } from '../report/ramp/view/answer.js';
import { checkPlannedReports, planReports, writePlannedReports, type ReportRequest } from '../report/report-options.js';

/** What `debug502 report --from` re-renders when `-r` is not given: the projections of ramp.json. */
export const REPORT_COMMAND_DEFAULTS: readonly RampReporterName[] = ['html', 'markdown', 'junit'];

export interface ReportCommandOptions {
  /** The ramp.json a ramp wrote. Exactly one of from, fromLocust, fromK6. */
  from?: string;
  /** The `--csv PREFIX` of a run of the exported locustfile. */
  fromLocust?: string;
  /** The summary JSON of a run of the exported k6 script. */
  fromK6?: string;
  /** Imports: a step fails above this failure share (default 0, or the k6 script's). */
  threshold?: number;
  /** Imports: statuses that fail a step (default: 502 and every status the run marked failed). */
  failOn?: (number | string)[];
  /** CI gate: exit 1 when the breaking point is below this. */
  minCapacity?: number;
  /** `reportDir` defaults to the directory of the input; imports write every reporter by default. */
  reports?: ReportRequest;
}

/**
 * Reads the input (InputError, exit 2, when it is missing or not what it should be), writes the
 * reports; exit 0, or 1 when --min-capacity fails (imports always apply the gate of the report);
 * Ctrl-C / SIGTERM before the files are in place: InterruptedError (exit 130), nothing written.
 */
export async function reportCommand(options: ReportCommandOptions, io: Io): Promise<CommandResult<RampReport>> {
  const given = [options.from, options.fromLocust, options.fromK6].filter((v) => v !== undefined);
  if (given.length !== 1) throw new InputError('give exactly one of --from, --from-locust, --from-k6', [], 'see "debug502 report --help"');
  const input = resolve(io.cwd, given[0]!);
  const imported = options.from === undefined;
  const request = options.reports ?? {};
  const plan = planReports(RAMP_REPORTERS, { ...request, reportDir: request.reportDir ?? dirname(input) }, imported ? RAMP_REPORTER_NAMES : REPORT_COMMAND_DEFAULTS, io.cwd);
  const checks = checkImportOptions(options);
  let report: RampReport;
  let notes: string[] = [];
  if (options.from !== undefined) report = await readRampReport(input, { signal: io.signal });
  else if (options.fromLocust !== undefined) ({ report, notes } = await importLocustRun(options.fromLocust, { ...checks, cwd: io.cwd }));
  else ({ report, notes } = await importK6Summary(options.fromK6!, { ...checks, cwd: io.cwd }));
  if (options.minCapacity !== undefined) report.meta.options.minCapacity = options.minCapacity;
  await checkPlannedReports(RAMP_REPORTERS, plan, imported ? { stepSummaryPath: io.env.GITHUB_STEP_SUMMARY, summaryFile: RAMP_MARKDOWN_FILE } : {});
  for (const note of notes) io.stderr(`note: ${note}\n`);
  // Nothing partial to keep: Ctrl-C after a big input was read, or while the files are staged, writes nothing.
  await checkInterrupted(io.signal, `while reading ${displayPath(io.cwd, input)}`);
  const summary = imported ? { stepSummaryPath: io.env.GITHUB_STEP_SUMMARY, summaryFile: RAMP_MARKDOWN_FILE } : {};
  const { paths } = await writePlannedReports(RAMP_REPORTERS, report, plan, { ...summary, signal: io.signal });
  if (imported) io.stdout(formatRampSummary(report, paths.map((p) => displayPath(io.cwd, p))));
  else {
    io.stdout(`${describeRampAnswer(report)}\n`);
    for (const path of paths) io.stdout(`wrote ${displayPath(io.cwd, path)}\n`);
  }
  const gated = imported || options.minCapacity !== undefined;
  return { report, files: paths, exitCode: gated ? rampExitCode(report) : EXIT.ok };
}

/** threshold, failOn and minCapacity, checked by the ramp's own option checks (InputError, exit 2). */
function checkImportOptions(options: ReportCommandOptions): { threshold?: number; failOn?: number[]; failOnSlow?: boolean } {
  // The file's load model is not known yet: --min-capacity may be a concurrency or a rate (req/s), so the wider range holds.
  const checked = resolveRampOptions({ threshold: options.threshold, failOn: options.failOn, mode: 'rate', maxRate: MAX_RATE_PER_SEC, minCapacity: options.minCapacity });
  return {
    threshold: options.threshold === undefined ? undefined : checked.threshold,
    failOn: options.failOn === undefined ? undefined : checked.failOn,
    failOnSlow: options.failOn === undefined ? undefined : checked.failOnSlow === true,
  };
}
