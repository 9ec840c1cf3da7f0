/**
 * `debug502 run` as one library call, shared by the CLI and the demo: checks every option, runs the
 * collection once through gateway and backend, writes the chosen reports, and says the exit code.
 */
import type { FinalVariables } from '../engines/engine.js';
import { EXIT, InputError, RuntimeError } from '../errors.js';
import { writeFilesAtomic } from '../fs/atomic-write.js';
import type { CommandResult, Io } from '../io.js';
import type { RunReport } from '../model.js';
import { displayPath, shownPath } from '../fs/display-path.js';
import { loadClientTls } from '../postman/client-tls.js';
import { parseEnvVars } from '../postman/env-var-list.js';
import { loadGlobals, loadIterationData, type CollectionInputOptions } from '../postman/newman-inputs.js';
import { checkGithubActionsOutput, describeRunForGithub, publishToGithubActions } from '../report/github-actions.js';
import { printReporters } from '../report/registry.js';
import { checkPlannedReports, planReports, writePlannedReports, type ReportRequest } from '../report/report-options.js';
import { RUN_REPORTERS, RUN_REPORTER_NAMES, runPassed } from '../report/run/index.js';
import { RUN_MARKDOWN_FILE } from '../report/run/markdown.js';
import { checkVariableExports, keptForExports, renderVariableExports, type VariableExports } from './export-variables.js';
import { loadCookieJar } from './cookie-jar.js';
import { planNewmanReporters, type NewmanReporterRequest } from './newman-reporters.js';
import { DEFAULT_TIMEOUT_REQUEST_MS, runCollection, type RunDeps } from './run-collection.js';
import { parseDurationMs, TIMEOUT_REQUEST, TIMEOUT_SCRIPT, type DurationSpec } from '../options/parse-duration.js';

/** `--timeout` and `--timeout-script` as newman takes them: milliseconds (a duration too), 0 for none. */
const RUN_TIMEOUT: DurationSpec = { option: '--timeout', bareUnit: 'ms', minMs: 0, maxMs: 86_400_000 };

/** The most passes `--iteration-count` allows: a typo must not start a million-request run. */
export const MAX_ITERATIONS = 1000;

/** Everything `debug502 run` takes, as a caller has it; the command checks it all. */
export interface RunCommandOptions extends CollectionInputOptions {
  /** Passes over the collection; default 1, or one per data row with `iterationData`. */
  iterations?: number;
  /** `--delay-request MS` between requests; `--bail` stops at the first failure; `--color` for newman's own output. */
  delayRequestMs?: number;
  bail?: boolean;
  color?: string;
  /** A duration (`2s`) or a bare number of milliseconds; default 10 s. */
  timeoutRequest?: number | string;
  insecure?: boolean;
  /** `--folder`: only these folders (or requests), inside each route folder. */
  folders?: string[];
  verbose?: boolean;
  /** Follow redirects (default true); false: a 3xx is the answer (--ignore-redirects). */
  followRedirects?: boolean;
  reports?: ReportRequest;
  /** `--export-environment FILE` / `--export-globals FILE`: the scopes as the run left them, newman's format (see export-variables.ts). */
  exportEnvironment?: string;
  exportGlobals?: string;
  /** `--export-collection FILE` / `--export-cookie-jar FILE`: the collection and the cookie jar as the run left them (export-variables.ts). */
  exportCollection?: string;
  exportCookieJar?: string;
  /** `--cookie-jar FILE`: the cookies the run starts with, tough-cookie's serialized JSON (newman's format). */
  cookieJar?: string;
  /** `-r newman-json,newman-junit…`: newman's own reporters, run beside debug502's (newman-reporters.ts). */
  newmanReporters?: NewmanReporterRequest[];
  /** `--timeout`: the whole run's deadline; `--timeout-script`: each script's. A duration (`2s`) or bare ms; 0: none. */
  timeout?: number | string;
  timeoutScript?: number | string;
}

/**
 * Runs `debug502 run`: InputError (exit 2, nothing sent, nothing written) for any bad option, else
 * the report, the files written and the exit code — 0 every test passed and every verdict is ok,
 * 1 otherwise, 130 interrupted. The `cli` reporter prints on `io.stdout`; on a terminal a counter of
 * requests done goes to `io.stderr` so a slow backend does not look like a hang.
 */
export async function runCommand(options: RunCommandOptions, io: Io, deps: RunDeps = {}): Promise<CommandResult<RunReport>> {
  const plan = planReports(RUN_REPORTERS, options.reports ?? {}, RUN_REPORTER_NAMES, io.cwd);
  const iterationData = options.iterationData === undefined ? undefined : await loadIterationData(options.iterationData, io.cwd, { signal: io.signal });
  const iterations = checkWholeNumber('--iteration-count', options.iterations ?? iterationData?.length ?? 1, 1, MAX_ITERATIONS);
  const delayRequestMs = checkWholeNumber('--delay-request', options.delayRequestMs ?? 0, 0, 600_000);
  const color = checkColor(options.color);
  const globals = await loadGlobals(options.globals, options.globalVars, io.cwd, { signal: io.signal });
  const timeoutRequestMs = parseDurationMs(options.timeoutRequest ?? DEFAULT_TIMEOUT_REQUEST_MS, TIMEOUT_REQUEST);
  const envVars = parseEnvVars(options.envVars);
  const tls = await loadClientTls(options.tls ?? {}, { cwd: io.cwd, workingDir: options.workingDir, insecureFileRead: options.insecureFileRead, signal: io.signal });
  await checkPlannedReports(RUN_REPORTERS, plan, { stepSummaryPath: io.env.GITHUB_STEP_SUMMARY, summaryFile: RUN_MARKDOWN_FILE });
  await checkGithubActionsOutput(io.env);
  const exports: VariableExports = { environment: options.exportEnvironment, globals: options.exportGlobals, collection: options.exportCollection, cookieJar: options.exportCookieJar };
  await checkVariableExports(exports, io.cwd);
  const runTimeoutMs = options.timeout === undefined ? 0 : parseDurationMs(options.timeout, RUN_TIMEOUT);
  const timeoutScriptMs = options.timeoutScript === undefined ? 0 : parseDurationMs(options.timeoutScript, TIMEOUT_SCRIPT);
  const cookieJar = options.cookieJar === undefined ? undefined : await loadCookieJar(options.cookieJar, io.cwd, io.signal);
  const newman = await planNewmanReporters(options.newmanReporters ?? [], plan.dir, io.cwd);
  let variables: FinalVariables | undefined;
  let done = 0;
  const report = await runCollection(
    {
      // Paths as the user would type them from here: reports show them, never a temp dir's absolute path.
      collection: shownPath(io.cwd, options.collection), environment: options.environment === undefined ? undefined : shownPath(io.cwd, options.environment), envVars, globals, iterationData, iterations, timeoutRequestMs,
      delayRequestMs, bail: options.bail, color, insecure: options.insecure, folders: options.folders, verbose: options.verbose, followRedirects: options.followRedirects, signal: io.signal, cwd: io.cwd,
      workingDir: options.workingDir, insecureFileRead: options.insecureFileRead, tls,
      runTimeoutMs, timeoutScriptMs, ...(cookieJar !== undefined ? { cookieJar } : {}), keep: keptForExports(exports), newmanReporters: newman.reporters,
    },
    { onSecrets: io.addSecrets, onVariables: (final) => { variables = final; }, ...deps, onOutcome: io.isTTY && !options.verbose ? () => io.stderr(`\rrunning… ${++done} request(s) done`) : deps.onOutcome },
  );
  if (done > 0) io.stderr('\r\x1b[K');
  const { paths } = await writePlannedReports(RUN_REPORTERS, report, plan, { stepSummaryPath: io.env.GITHUB_STEP_SUMMARY, summaryFile: RUN_MARKDOWN_FILE });
  const files = [...(io.env.GITHUB_STEP_SUMMARY && plan.names.includes('markdown') ? [...paths, io.env.GITHUB_STEP_SUMMARY] : paths), ...newman.files];
  const exported = variables ? renderVariableExports(variables, exports, io.cwd, new Date()) : [];
  await writeFilesAtomic(exported).catch((error: unknown) => {
    throw new RuntimeError(`could not export the variables to ${exported.map((file) => displayPath(io.cwd, file.path)).join(', ')}: ${(error as Error).message}`, 'check the directory is writable, or choose another --export-environment / --export-globals', { cause: error });
  });
  // The terminal summary points at the files written: it prints after them, and names them.
  const printed = printReporters(RUN_REPORTERS, report, plan.names, { files: files.map((path) => displayPath(io.cwd, path)) });
  if (printed) {
    io.stdout(printed);
    if (exported.length > 0) io.stdout(`exported: ${exported.map((file) => displayPath(io.cwd, file.path)).join(', ')}\n`);
  }
  await publishToGithubActions(io, describeRunForGithub(report, runPassed(report)));
  const exitCode = report.meta.interrupted ? EXIT.interrupted : runPassed(report) ? EXIT.ok : EXIT.failed;
  return { report, files: [...files, ...exported.map((file) => file.path)], exitCode };
}

/** `--color on|off|auto` (default auto); InputError naming the choices otherwise. */
export function checkColor(value: string | undefined): 'on' | 'off' | 'auto' {
  if (value === undefined || value === 'on' || value === 'off' || value === 'auto') return value ?? 'auto';
  throw new InputError(`--color: must be on, off or auto, not "${value}"`);
}

/** `value` when it is a whole number in [min, max]; InputError naming the option otherwise. */
export function checkWholeNumber(option: string, value: number, min: number, max: number): number {
  if (!(Number.isInteger(value) && value >= min && value <= max)) {
    throw new InputError(`${option}: must be a whole number from ${min} to ${max}, not ${String(value)}`);
  }
  return value;
}
