/**
 * `debug502 diagnose` as one library call: checks every option, diagnoses, prints and writes the
 * chosen reports, and says the exit code.
 */
import { EXIT, InputError } from '../errors.js';
import type { CommandResult, Io } from '../io.js';
import type { DiagnoseReport } from '../model.js';
import { DIAGNOSE_MARKDOWN_FILE, DIAGNOSE_REPORTERS, renderDiagnoseFiles } from '../report/diagnose/index.js';
import { checkGithubActionsOutput, describeDiagnoseForGithub, publishToGithubActions } from '../report/github-actions.js';
import { printReporters } from '../report/registry.js';
import { checkPlannedReports, planReports, writePlannedReports, type ReportRequest } from '../report/report-options.js';
import { parseDurationMs, TIMEOUT_REQUEST } from '../options/parse-duration.js';
import { loadClientTls, type ClientTlsOptions } from '../postman/client-tls.js';
import { loadGlobals, loadIterationData } from '../postman/newman-inputs.js';
import { describeEnvironmentSource } from '../postman/env-var-list.js';
import { displayPath, shownPath } from '../fs/display-path.js';
import { VERSION } from '../version.js';
import { diagnose, type DiagnoseDeps, type DiagnoseOptions } from './index.js';

/** What the old `--format` printed on stdout (it goes away in 0.3; `-r` replaces it). */
export const LEGACY_DIAGNOSE_FORMATS = ['text', 'json', 'markdown'] as const;
export type LegacyDiagnoseFormat = (typeof LEGACY_DIAGNOSE_FORMATS)[number];

export interface DiagnoseCommandOptions extends Omit<DiagnoseOptions, 'globals' | 'dataRow' | 'tls'> {
  /** newman's TLS flags, paths as given (relative to --working-dir, else io.cwd). */
  tls?: ClientTlsOptions;
  /** `-r cli,json,markdown,junit`: `cli` prints, the others write diagnose.json / diagnose.md / diagnose.junit.xml. Default: cli. */
  reports?: ReportRequest;
  /** The deprecated `--format`: print this one rendering on stdout and write no file. */
  legacyFormat?: string;
  /** `-g FILE` (relative to io.cwd) and `--global-var key=value` on top: fill the collection's variables. */
  globals?: string;
  globalVars?: readonly string[];
  /** `-d FILE` (CSV or JSON): diagnose sends each request once, so the FIRST row fills the variables. */
  iterationData?: string;
  /** `--timeout-request`: bound of each HTTP probe, a duration (`2s`) or bare ms; default 5 s, or 1 s above --gateway-timeout (at most 30 s). */
  timeoutRequest?: number | string;
  /**
   * `-k`, accepted as newman's muscle memory has it, and changing nothing: diagnose's HTTP probes
   * never stop at a certificate that does not verify (the TLS probe reports it as a finding instead).
   */
  insecure?: boolean;
}

/**
 * Runs `debug502 diagnose`: InputError (exit 2) for bad options or files, before any probe. Exit
 * 0 when nothing is wrong, 1 with findings (ranked, most likely first) or when no HTTP request
 * could be probed (`inconclusive`), 130 on Ctrl-C / SIGTERM (the report of what finished, flagged).
 */
export async function diagnoseCommand(options: DiagnoseCommandOptions, io: Io, deps: Omit<DiagnoseDeps, 'signal'> = {}): Promise<CommandResult<DiagnoseReport>> {
  const { reports, legacyFormat, globals: globalsFile, globalVars, iterationData, timeoutRequest, insecure: _insecure, tls: tlsFlags, ...rest } = options;
  if (legacyFormat !== undefined && !(LEGACY_DIAGNOSE_FORMATS as readonly string[]).includes(legacyFormat)) {
    throw new InputError(`--format: must be one of ${LEGACY_DIAGNOSE_FORMATS.join(', ')} (got "${legacyFormat}")`, [], 'better: -r cli,json,markdown (the files go to --report-dir)');
  }
  const plan = planReports(DIAGNOSE_REPORTERS, reports ?? {}, ['cli'], io.cwd);
  if (legacyFormat === undefined) await checkPlannedReports(DIAGNOSE_REPORTERS, plan, { stepSummaryPath: io.env.GITHUB_STEP_SUMMARY, summaryFile: DIAGNOSE_MARKDOWN_FILE });
  await checkGithubActionsOutput(io.env);
  const rows = iterationData === undefined ? undefined : await loadIterationData(iterationData, io.cwd, { signal: io.signal });
  const diagnoseOptions: DiagnoseOptions = {
    ...rest,
    globals: await loadGlobals(globalsFile, globalVars, io.cwd, { signal: io.signal }),
    ...(rows ? { dataRow: rows[0] } : {}),
    ...(timeoutRequest !== undefined ? { requestTimeoutMs: parseDurationMs(timeoutRequest, TIMEOUT_REQUEST) } : {}),
  };
  const tls = await loadClientTls(tlsFlags ?? {}, { cwd: io.cwd, workingDir: rest.workingDir, insecureFileRead: rest.insecureFileRead, signal: io.signal });
  if (tls) diagnoseOptions.tls = tls;
  const startedAt = new Date();
  const found = await diagnose(diagnoseOptions, { ...deps, signal: io.signal });
  const report: DiagnoseReport = { ...found, meta: describeDiagnosis(options, io.cwd, startedAt) };
  // Ctrl-C: the findings of the probes that finished are printed and written, exit 130. No HTTP
  // request probed is no clean bill of health: exit 1, as a finding would be.
  const exitCode = io.signal.aborted ? EXIT.interrupted : report.findings.length > 0 || report.inconclusive ? EXIT.failed : EXIT.ok;
  const github = describeDiagnoseForGithub(report);
  if (legacyFormat !== undefined) {
    const format = legacyFormat as LegacyDiagnoseFormat;
    io.stdout(format === 'text' ? printReporters(DIAGNOSE_REPORTERS, report, ['cli']) : renderDiagnoseFiles(report, [format]).map((file) => file.content).join(''));
    // JSON or Markdown on stdout is meant for a file or a pipe: no workflow commands mixed into it.
    await publishToGithubActions(io, format === 'text' ? github : { ...github, annotations: [] });
    return { report, files: [], exitCode };
  }
  const { paths, printed } = await writePlannedReports(DIAGNOSE_REPORTERS, report, plan, { stepSummaryPath: io.env.GITHUB_STEP_SUMMARY, summaryFile: DIAGNOSE_MARKDOWN_FILE });
  io.stdout(printed);
  if (printed && paths.length > 0) io.stdout(`reports: ${paths.map((path) => displayPath(io.cwd, path)).join(', ')}\n`);
  await publishToGithubActions(io, github);
  return { report, files: paths, exitCode };
}

/** The report's meta: when, and the environment and collection as the user gave them (relative paths). */
function describeDiagnosis(options: DiagnoseCommandOptions, cwd: string, startedAt: Date): NonNullable<DiagnoseReport['meta']> {
  const shown = (path: string | undefined) => (path === undefined ? undefined : shownPath(cwd, path));
  return {
    tool: 'debug502',
    version: VERSION,
    startedAt: startedAt.toISOString(),
    durationMs: Date.now() - startedAt.getTime(),
    environment: describeEnvironmentSource(shown(options.environmentFile), options.envVars),
    collection: shown(options.collectionFile) ?? '',
  };
}
