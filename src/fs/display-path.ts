import { isAbsolute, relative } from 'node:path';

/**
 * A path as the user would type it: relative to `cwd` when inside it (`reports/run.json`), the
 * absolute path otherwise (`/tmp/x/run.json`, never `../../tmp/x/run.json`). Pure.
 */
export function displayPath(cwd: string, path: string): string {
  const rel = relative(cwd, path);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}
