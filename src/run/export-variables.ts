/**
 * `run --export-environment FILE` / `--export-globals FILE`, as newman writes them: the scope as
 * the run left it (the collection's scripts may have set variables), as a Postman environment /
 * globals file that `-e` / `-g` read back. Checked before the first request, written after the
 * run in one atomic step (both or neither). The values are written as they are — secrets too:
 * this is the user's own variable file, not a report that gets shared.
 */
import { resolve } from 'node:path';
import type { FinalVariables } from '../engines/engine.js';
import { InputError } from '../errors.js';
import { checkOutputFile } from '../fs/check-output.js';
import type { FileToWrite } from '../fs/atomic-write.js';
import { VERSION } from '../version.js';

/** Where to export each scope (paths as given, relative to the working directory). */
export interface VariableExports {
  environment?: string;
  globals?: string;
}

const OPTION = { environment: '--export-environment', globals: '--export-globals' } as const;

/** Preflight: each target can be written, and the two are not the same file. InputError (exit 2) otherwise; writes nothing. */
export async function checkVariableExports(exports: VariableExports, cwd: string): Promise<void> {
  const { environment, globals } = exports;
  if (environment !== undefined && globals !== undefined && resolve(cwd, environment) === resolve(cwd, globals)) {
    throw new InputError(`--export-environment and --export-globals: both name ${environment}`, [], 'give each its own file');
  }
  for (const scope of ['environment', 'globals'] as const) {
    const path = exports[scope];
    if (path !== undefined) await checkOutputFile(resolve(cwd, path), OPTION[scope]);
  }
}

/**
 * The files to write, newman's format: the scope's JSON with `name` defaulted to the scope and
 * `_postman_variable_scope`, `_postman_exported_at`, `_postman_exported_using` set. Pure.
 */
export function renderVariableExports(variables: FinalVariables, exports: VariableExports, cwd: string, now: Date): FileToWrite[] {
  const files: FileToWrite[] = [];
  for (const scope of ['environment', 'globals'] as const) {
    const path = exports[scope];
    if (path === undefined) continue;
    const json = {
      name: scope,
      ...variables[scope],
      _postman_variable_scope: scope,
      _postman_exported_at: now.toISOString(),
      _postman_exported_using: `debug502/${VERSION} (newman)`,
    };
    files.push({ path: resolve(cwd, path), data: JSON.stringify(json, null, 2) + '\n' });
  }
  return files;
}
