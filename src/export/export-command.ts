/**
 * `debug502 export` as one library call: checks every option, writes the script, says how to run it.
 */
import { EXIT, InputError } from '../errors.js';
import { displayPath } from '../fs/display-path.js';
import type { CommandResult, Io } from '../io.js';
import { parseEnvVars } from '../postman/env-var-list.js';
import { loadGlobals } from '../postman/newman-inputs.js';
import type { ExportSuite } from './describe-targets.js';
import { EXPORT_FORMATS, exportLoadTest, type ExportFormat } from './export-load-test.js';
import { resolveLoadTestOptions, type RawLoadTestOptions } from './options.js';

export interface ExportCommandOptions extends RawLoadTestOptions {
  /** `locust` or `k6`. */
  to: string;
  collection: string;
  environment?: string;
  /** `--env-var key=value`, in order (a later key wins). */
  envVars?: readonly string[];
  /** `-g FILE` and `--global-var key=value` on top: variables below the environment, as newman resolves them. */
  globals?: string;
  globalVars?: readonly string[];
  /** `--working-dir DIR` (relative to io.cwd), `--insecure-file-read` / `--no-insecure-file-read`: as run takes them. */
  workingDir?: string;
  insecureFileRead?: boolean;
  folder?: string;
  /** Directory that receives the script; default `loadtest`. */
  out?: string;
}

/** Writes the script (InputError, exit 2, nothing written, for any bad option or file; InterruptedError, exit 130, on Ctrl-C); exit 0. */
export async function exportCommand(options: ExportCommandOptions, io: Io): Promise<CommandResult<ExportSuite>> {
  const { to, collection, environment, envVars, globals, globalVars, workingDir, insecureFileRead, folder, out, ...raw } = options;
  if (!(EXPORT_FORMATS as readonly string[]).includes(to)) {
    throw new InputError(`--to: must be one of ${EXPORT_FORMATS.join(', ')} (got "${to}")`, [], 'locust writes locustfile.py, k6 writes k6-script.js');
  }
  const { path, suite } = await exportLoadTest({
    to: to as ExportFormat,
    collectionFile: collection,
    environmentFile: environment,
    envVars: parseEnvVars(envVars),
    globals: await loadGlobals(globals, globalVars, io.cwd, { signal: io.signal }),
    workingDir,
    insecureFileRead,
    folder,
    options: resolveLoadTestOptions(raw),
    outDir: out ?? 'loadtest',
    cwd: io.cwd,
    signal: io.signal,
  });
  const shown = displayPath(io.cwd, path);
  const count = suite.targets.map((t) => `${t.target} ${t.requests.length} request${t.requests.length === 1 ? '' : 's'}`).join(', ');
  io.stdout(`wrote ${shown} (${count} per pass)\n`);
  if (suite.secrets.length > 0) io.stdout(`secrets are read at run time from: ${suite.secrets.map((s) => s.envVar).join(', ')}\n`);
  io.stdout(to === 'locust'
    ? `run it: mkdir -p results && locust -f ${shown} --headless --csv results/run --csv-full-history; then: debug502 report --from-locust results/run\n`
    : `run it: k6 run ${shown}; then: debug502 report --from-k6 summary.json\n`);
  return { report: suite, files: [path], exitCode: EXIT.ok };
}
