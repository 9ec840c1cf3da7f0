/**
 * `debug502 watch` as one library call: checks every option, watches, writes the chosen reports
 * (also after Ctrl-C), prints the verdict, and says the exit code.
 */
import { resolve } from 'node:path';
import { EXIT } from '../errors.js';
import { displayPath, shownPath } from '../fs/display-path.js';
import { parseDurationMs, TIMEOUT_REQUEST } from '../options/parse-duration.js';
import { describeEnvironmentSource, parseEnvVars } from '../postman/env-var-list.js';
import { loadClientTls, type ClientTlsOptions } from '../postman/client-tls.js';
import { loadGlobals, loadIterationData } from '../postman/newman-inputs.js';
import type { CommandResult, Io } from '../io.js';
import type { WatchReport } from '../model.js';
import { checkPlannedReports, planReports, writePlannedReports, type ReportRequest } from '../report/report-options.js';
import { formatWindowLine, WATCH_MARKDOWN_FILE, WATCH_REPORTERS, type WatchReporterName } from '../report/watch/index.js';
import { resolveWatchOptions, type RawWatchOptions } from './options.js';
import { runWatch, type WatchDeps } from './run-watch.js';

/** What a watch writes when `-r` is not given: the canonical JSON, the time chart, Markdown, JUnit, and the verdict on the terminal. */
export const WATCH_COMMAND_DEFAULTS: readonly WatchReporterName[] = ['cli', 'json', 'html', 'markdown', 'junit'];

export interface WatchCommandOptions extends RawWatchOptions {
  /** Paths relative to io.cwd. The environment may be left out when `envVars` set gateway_url and backend_url. */
  environment?: string;
  collection?: string;
  reports?: ReportRequest;
  /** newman's input flags, as diagnose takes them: `--env-var`, `-g`/`--global-var`, `-d` (its FIRST row fills the variables), `--folder`. */
  envVars?: readonly string[];
  globals?: string;
  globalVars?: readonly string[];
  iterationData?: string;
  folders?: string[];
  /** `--working-dir DIR` (relative to io.cwd), `--insecure-file-read` / `--no-insecure-file-read`: as run takes them. */
  workingDir?: string;
  insecureFileRead?: boolean;
  /** `--timeout-request` as a duration (`2s`) or bare ms; overrides `timeoutRequestMs`. */
  timeoutRequest?: number | string;
  /** `-k`: accepted, changes nothing — watch never stops at a certificate that does not verify (as diagnose). */
  insecure?: boolean;
  /** newman's TLS flags, paths as given (relative to --working-dir, else io.cwd). */
  tls?: ClientTlsOptions;
}

/**
 * Runs `debug502 watch`. InputError (exit 2, nothing sent, nothing written) for a bad option or
 * file. Otherwise the report, the files written and the exit code: 0 every target within the
 * threshold · 1 a target failed more than --threshold, or no request was sent (`no-requests`) ·
 * 130 interrupted (the report is written).
 * One progress line per window goes to `io.stdout`.
 */
export async function watchCommand(options: WatchCommandOptions, io: Io, deps: Omit<WatchDeps, 'signal'> = {}): Promise<CommandResult<WatchReport>> {
  const { environment, collection, reports, envVars: envVarList, globals: globalsFile, globalVars, iterationData, folders, timeoutRequest, insecure: _insecure, workingDir, insecureFileRead, tls: tlsFlags, ...raw } = options;
  const watchOptions = resolveWatchOptions(timeoutRequest === undefined ? raw : { ...raw, timeoutRequestMs: parseDurationMs(timeoutRequest, TIMEOUT_REQUEST) });
  const envVars = parseEnvVars(envVarList);
  const globals = await loadGlobals(globalsFile, globalVars, io.cwd, { signal: io.signal });
  const rows = iterationData === undefined ? undefined : await loadIterationData(iterationData, io.cwd, { signal: io.signal });
  const tls = await loadClientTls(tlsFlags ?? {}, { cwd: io.cwd, workingDir, insecureFileRead, signal: io.signal });
  const plan = planReports(WATCH_REPORTERS, reports ?? {}, WATCH_COMMAND_DEFAULTS, io.cwd);
  // The report directory and files are checked before the first request: a watch of 10 minutes must not end in "cannot write".
  await checkPlannedReports(WATCH_REPORTERS, plan, { stepSummaryPath: io.env.GITHUB_STEP_SUMMARY, summaryFile: WATCH_MARKDOWN_FILE });
  const o = watchOptions;
  const report = await runWatch(
    {
      environmentFile: environment === undefined ? undefined : resolve(io.cwd, environment),
      collectionFile: collection === undefined ? undefined : resolve(io.cwd, collection),
      options: watchOptions, envVars, globals, folders, ...(rows ? { dataRow: rows[0] } : {}),
      workingDir: workingDir === undefined ? undefined : resolve(io.cwd, workingDir), insecureFileRead,
      ...(tls ? { tls } : {}),
      labels: { collection: collection === undefined ? '' : shownPath(io.cwd, collection), environment: describeEnvironmentSource(environment === undefined ? undefined : shownPath(io.cwd, environment), envVars) },
    },
    {
      onStart: () => io.stdout(`watch: ${o.ratePerSec}/s ${o.arrivals} arrivals (seed ${o.seed}) to ${o.target} for ${Math.round(o.durationMs / 1000)} s, ${Math.round(o.windowMs / 1000)} s windows\n`),
      onWindow: (window) => io.stdout(formatWindowLine(window) + '\n'), ...deps, signal: io.signal,
    },
  );
  const { paths, printed } = await writePlannedReports(WATCH_REPORTERS, report, plan, { stepSummaryPath: io.env.GITHUB_STEP_SUMMARY, summaryFile: WATCH_MARKDOWN_FILE });
  io.stdout(printed);
  if (paths.length > 0) io.stdout(`reports: ${paths.map((path) => displayPath(io.cwd, path)).join(', ')}\n`);
  // No request sent is no pass: exit 1, as the ramp's gate fails a target never shown to hold.
  const failed = report.verdict.code === 'no-requests' || Object.values(report.targets).some((t) => t?.failed);
  const exitCode = report.meta.aborted?.reason === 'interrupted' ? EXIT.interrupted : failed ? EXIT.failed : EXIT.ok;
  return { report, files: paths, exitCode };
}
