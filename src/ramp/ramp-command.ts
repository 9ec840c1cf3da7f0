/**
 * `debug502 ramp` as one library call, shared by the CLI and the demo: checks every option, loads
 * the files, prints the plan, ramps, writes the chosen reports (also after a safety stop or Ctrl-C),
 * prints the summary, and says the exit code.
 */
import { displayPath, shownPath } from '../fs/display-path.js';
import { loadCookieJar } from '../run/cookie-jar.js';
import { loadClientTls } from '../postman/client-tls.js';
import type { CommandResult, Io } from '../io.js';
import type { RampReport } from '../model.js';
import { parseEnvVars } from '../postman/env-var-list.js';
import { loadGlobals, loadIterationData, type CollectionInputOptions } from '../postman/newman-inputs.js';
import { RAMP_MARKDOWN_FILE } from '../report/ramp/markdown.js';
import { RAMP_REPORTERS, type RampReporterName } from '../report/ramp/index.js';
import { checkGithubActionsOutput, describeRampForGithub, publishToGithubActions } from '../report/github-actions.js';
import { checkPlannedReports, planReports, writePlannedReports, type ReportRequest } from '../report/report-options.js';
import { loadRampInput } from './load-input.js';
import { resolveRampOptions, type RawRampOptions } from './options.js';
import { checkMinCapacity, formatRampSummary, rampExitCode } from './outcome.js';
import { formatPlan } from './plan.js';
import { createProgressListener } from './progress.js';
import { planRampInput, runRamp, type RampDeps } from './run-ramp.js';

/** What a ramp writes when `-r` is not given: every report, the canonical JSON first. */
export const RAMP_COMMAND_DEFAULTS: readonly RampReporterName[] = ['json', 'markdown', 'html', 'junit'];

/**
 * Everything `debug502 ramp` takes, as a caller has it; the command checks it all before any request.
 * Globals and iteration data are for the newman engine only.
 */
export interface RampCommandOptions extends RawRampOptions, CollectionInputOptions {
  /** `--folder`: ramp only these folders (or requests), inside each route folder. */
  folders?: string[];
  /** `-k`: accept TLS certificates that do not verify. */
  insecure?: boolean;
  /** Print the plan and send nothing. */
  dryRun?: boolean;
  /** `--cookie-jar FILE`: every virtual user starts with these cookies (newman engine). */
  cookieJar?: string;
  reports?: ReportRequest;
}

/**
 * Runs `debug502 ramp`. InputError (exit 2, nothing sent, nothing written) for any bad option or
 * file. Otherwise the report (null after a dry run), the files written, and the exit code:
 * 0 ok · 1 the --min-capacity gate failed · 3 safety stop or unreachable · 130 interrupted.
 * The plan, the progress and the summary go to `io.stdout`.
 */
export async function rampCommand(options: RampCommandOptions, io: Io, deps: Omit<RampDeps, 'signal'> = {}): Promise<CommandResult<RampReport | null>> {
  const { collection, environment, envVars, globals, globalVars, iterationData, folders, insecure, dryRun, reports, workingDir, insecureFileRead, tls, cookieJar, ...raw } = options;
  const rampOptions = resolveRampOptions(raw);
  const plan = planReports(RAMP_REPORTERS, reports ?? {}, RAMP_COMMAND_DEFAULTS, io.cwd);
  const input = await loadRampInput({
    collectionFile: shownPath(io.cwd, collection),
    environmentFile: environment === undefined ? undefined : shownPath(io.cwd, environment),
    envVars: parseEnvVars(envVars),
    globals: await loadGlobals(globals, globalVars, io.cwd, { signal: io.signal }),
    iterationData: iterationData === undefined ? undefined : await loadIterationData(iterationData, io.cwd, { signal: io.signal }),
    options: rampOptions,
    folders,
    insecure,
    tls: await loadClientTls(tls ?? {}, { cwd: io.cwd, workingDir, insecureFileRead, signal: io.signal }),
    ...(cookieJar !== undefined ? { cookieJar: await loadCookieJar(cookieJar, io.cwd, io.signal) } : {}),
    cwd: io.cwd,
    read: { workingDir, insecureFileRead, signal: io.signal },
  });
  const rampPlan = planRampInput(input);
  io.stdout(formatPlan(rampPlan));
  if (dryRun) return { report: null, files: [], exitCode: 0 };
  await checkPlannedReports(RAMP_REPORTERS, plan, { stepSummaryPath: io.env.GITHUB_STEP_SUMMARY, summaryFile: RAMP_MARKDOWN_FILE });
  await checkGithubActionsOutput(io.env);

  const report = await runRamp({ ...input, plan: rampPlan }, { onProgress: createProgressListener({ write: io.stdout, isTTY: io.isTTY }), onSecrets: io.addSecrets, ...deps, signal: io.signal });
  const { paths } = await writePlannedReports(RAMP_REPORTERS, report, plan, { stepSummaryPath: io.env.GITHUB_STEP_SUMMARY, summaryFile: RAMP_MARKDOWN_FILE });
  io.stdout(formatRampSummary(report, paths.map((p) => displayPath(io.cwd, p))));
  const gate = checkMinCapacity(report);
  await publishToGithubActions(io, describeRampForGithub(report, gate && !gate.passed ? gate.message : undefined));
  return { report, files: paths, exitCode: rampExitCode(report) };
}
