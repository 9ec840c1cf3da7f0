/**
 * newman's own reporters on `run`, beside debug502's: `-r newman-json` is newman's JSON run
 * summary (what `newman run -r json` writes), `newman-junit` its JUnit, `newman-cli`, `-progress`,
 * `-emojitrain` its terminal output, `newman-<name>` an installed newman-reporter-<name>. Why a
 * prefix: `json` and `junit` are debug502's own reports on every command (run.json, the canonical
 * one, which `debug502 report` and CI read), so newman's go by newman's name with `newman-` before it.
 * They run inside the newman run, as newman runs them, and write their files themselves, as newman
 * writes them — the environment's values, secrets too, as in newman's JSON.
 */
import { resolve } from 'node:path';
import type { EngineInput } from '../engines/engine.js';
import { requireFromNewman } from '../engines/newman-require.js';
import { InputError } from '../errors.js';
import { checkOutputFile } from '../fs/check-output.js';

export const NEWMAN_REPORTER_PREFIX = 'newman-';

/** newman's built-in reporters, and the file each writes in --report-dir when no export path is given. */
const BUILT_IN: Readonly<Record<string, string | undefined>> = {
  cli: undefined,
  json: 'newman-run-report.json',
  junit: 'newman-run-report.xml',
  progress: undefined,
  emojitrain: undefined,
};

/** The newman reporters that write a file: `--reporter-newman-<name>-export PATH`. */
export const NEWMAN_FILE_REPORTERS = Object.keys(BUILT_IN).filter((name) => BUILT_IN[name] !== undefined);

export interface NewmanReporterRequest {
  /** newman's name (`json`), without the prefix. */
  name: string;
  /** `--reporter-newman-<name>-export`, as given (relative to cwd). */
  export?: string;
}

/**
 * The reporters for the engine and the files they will write (absolute), each checked as the
 * other outputs are before the first request. InputError naming the reporter when newman has no
 * such reporter (built in or installed beside it), or a file cannot be written.
 */
export async function planNewmanReporters(requests: readonly NewmanReporterRequest[], reportDir: string, cwd: string): Promise<{ reporters: NonNullable<EngineInput['newmanReporters']>; files: string[] }> {
  const reporters: NonNullable<EngineInput['newmanReporters']> = [];
  const files: string[] = [];
  for (const request of requests) {
    if (!Object.hasOwn(BUILT_IN, request.name) && !isInstalled(request.name)) {
      throw new InputError(`-r ${NEWMAN_REPORTER_PREFIX}${request.name}: newman has no "${request.name}" reporter here`, [],
        `newman's own: ${Object.keys(BUILT_IN).map((n) => NEWMAN_REPORTER_PREFIX + n).join(', ')}; another one is installed beside newman (npm install newman-reporter-${request.name})`);
    }
    const defaultFile = BUILT_IN[request.name];
    const path = request.export !== undefined ? resolve(cwd, request.export) : defaultFile !== undefined ? resolve(reportDir, defaultFile) : undefined;
    if (path !== undefined) {
      await checkOutputFile(path, `--reporter-${NEWMAN_REPORTER_PREFIX}${request.name}-export`);
      files.push(path);
    }
    reporters.push({ name: request.name, ...(path !== undefined ? { options: { export: path } } : {}) });
  }
  return { reporters, files };
}

function isInstalled(name: string): boolean {
  try {
    requireFromNewman().resolve(`newman-reporter-${name}`);
    return true;
  } catch {
    return false;
  }
}
