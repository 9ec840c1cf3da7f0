import { isAbsolute, relative, resolve } from 'node:path';

/**
 * A path as the user would type it: relative to `cwd` when inside it (`reports/run.json`), the
 * absolute path otherwise (`/tmp/x/run.json`, never `../../tmp/x/run.json`). Pure.
 */
export function displayPath(cwd: string, path: string): string {
  const rel = relative(cwd, path);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}

/** A path as given (relative to `cwd`, or absolute) in displayPath's form: what reports and messages show. Pure. */
export function shownPath(cwd: string, path: string): string {
  return displayPath(cwd, resolve(cwd, path));
}
