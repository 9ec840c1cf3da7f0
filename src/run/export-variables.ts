/**
 * `run --export-environment FILE` / `--export-globals FILE` / `--export-collection FILE` /
 * `--export-cookie-jar FILE`, as newman writes them: the scope as the run left it (the
 * collection's scripts may have set variables), as a Postman environment / globals / collection
 * file that `-e` / `-g` / `run` read back (the collection as newman exports it: postman-runtime
 * copies its variables at the start, so what scripts set in pm.collectionVariables is not in it), and the cookie jar as tough-cookie's JSON that
 * `--cookie-jar` reads back. Checked before the first request, written after the run in one
 * atomic step (all or none). The values are written as they are — secrets and cookies too: these
 * are the user's own files, not reports that get shared. The collection is the one debug502 ran:
 * v2.1 (a v1/v2.0/v3 input converted), narrowed to `--folder`, file paths made absolute.
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
  collection?: string;
  cookieJar?: string;
}

const OPTION = { environment: '--export-environment', globals: '--export-globals', collection: '--export-collection', cookieJar: '--export-cookie-jar' } as const;
const SCOPES = ['environment', 'globals', 'collection', 'cookieJar'] as const;

/** Preflight: each target can be written, and no two are the same file. InputError (exit 2) otherwise; writes nothing. */
export async function checkVariableExports(exports: VariableExports, cwd: string): Promise<void> {
  const given = SCOPES.filter((scope) => exports[scope] !== undefined);
  for (const [i, scope] of given.entries()) {
    const same = given.slice(i + 1).find((other) => resolve(cwd, exports[other]!) === resolve(cwd, exports[scope]!));
    if (same) throw new InputError(`${OPTION[scope]} and ${OPTION[same]}: both name ${exports[scope]}`, [], 'give each its own file');
  }
  for (const scope of given) await checkOutputFile(resolve(cwd, exports[scope]!), OPTION[scope]);
}

/** What the engine must bring back for these exports (EngineInput.keep). */
export function keptForExports(exports: VariableExports): { collection?: boolean; cookieJar?: boolean } | undefined {
  if (exports.collection === undefined && exports.cookieJar === undefined) return undefined;
  return { ...(exports.collection !== undefined ? { collection: true } : {}), ...(exports.cookieJar !== undefined ? { cookieJar: true } : {}) };
}

/**
 * The files to write, newman's format (lib/run/index.js): the environment, globals and collection
 * JSON with `name` defaulted to the scope and `_postman_variable_scope`, `_postman_exported_at`,
 * `_postman_exported_using` set; the cookie jar as it serialises. Pure.
 */
export function renderVariableExports(variables: FinalVariables, exports: VariableExports, cwd: string, now: Date): FileToWrite[] {
  const files: FileToWrite[] = [];
  for (const scope of SCOPES) {
    const path = exports[scope];
    const value = variables[scope];
    if (path === undefined || value === undefined) continue;
    const json = scope === 'cookieJar' ? value : {
      name: scope,
      ...value,
      _postman_variable_scope: scope,
      _postman_exported_at: now.toISOString(),
      _postman_exported_using: `debug502/${VERSION} (newman)`,
    };
    files.push({ path: resolve(cwd, path), data: JSON.stringify(json, null, 2) + '\n' });
  }
  return files;
}
