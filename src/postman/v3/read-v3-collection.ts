import type { Dirent } from 'node:fs';
import { readdir, realpath, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { InputError } from '../../errors.js';
import { formatLimit, INPUT_LIMIT_BYTES, readInputText } from '../../fs/read-input.js';
import { isInsideDirectory } from '../file-references.js';
import { stableUuid } from '../../generate/stable-id.js';
import type { PostmanCollection } from '../load.js';
import { parseYamlText } from '../parse-yaml.js';
import { convertDefinition, convertRequest, type V2Scope } from './from-v3.js';
import { DEFINITION_DIR, DEFINITION_FILE, REQUEST_SUFFIX, REQUEST_SUFFIX_YML } from './v3-format.js';

const V21_SCHEMA = 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json';
const HINT = 'a v3 collection is the directory whose .resources/definition.yaml says "$kind: collection" (Postman v12 keeps them under postman/collections/); "postman collection lint DIR" checks one';
/** Deeper than any real collection; stops a runaway walk (a bind-mount loop). */
const MAX_DEPTH = 32;

/** True when `path` is a directory that holds a v3 collection's `.resources/definition.yaml` or request files. */
export async function isV3CollectionDir(path: string): Promise<boolean> {
  if (!(await isDirectory(path))) return false;
  if (await isFile(definitionPath(path))) return true;
  return (await readdir(path)).some(isRequestFile);
}

/**
 * Reads the v3 collection directory `dir` (Postman v12, Native Git) into a Postman v2.1 collection:
 * folders in `order` (then name), requests with headers, query, `pathVariables`, bodies, auth at every
 * level, scripts (`beforeRequest` → prerequest, `afterResponse` → test) and variables; items without
 * an id get one derived from their path, so every run sees the same ids. Messages name `display`
 * (default `dir`). Throws InputError (exit 2) naming each file and field that is wrong — broken YAML
 * (with line and column), an unknown `$kind`, a request file where Postman would not run it — or
 * when `dir` is not a collection's root: a request file, a folder inside a collection, a directory
 * of several collections.
 *
 * Only the directory is read: a symbolic link (a request file, a folder, `.resources` or its
 * definition) is followed when it leads to a place inside the collection, and is a problem when it
 * leads outside it or back up its own folders — never followed, never skipped unsaid, and what it
 * points at is never read, so no message can quote it. Only regular files are read (a FIFO is a
 * problem, not a wait), each at most INPUT_LIMIT_BYTES.v3File, all together at most `.collection`.
 */
export async function readV3Collection(dir: string, display = dir): Promise<PostmanCollection> {
  const root = resolve(dir);
  await assertCollectionRoot(root, display);
  const realRoot = await realpath(root);
  const problems: string[] = [];
  let totalBytes = 0;
  const shown = (path: string) => join(display, path.slice(root.length + 1));
  /** The real path of `path` when it stays inside the collection; otherwise the problem is noted and undefined returned. */
  const confined = async (path: string): Promise<string | undefined> => {
    let real: string;
    try {
      real = await realpath(path);
    } catch {
      problems.push(`${shown(path)}: a symbolic link to nothing (its target does not exist)`);
      return undefined;
    }
    if (isInsideDirectory(real, realRoot)) return real;
    problems.push(`${shown(path)}: leads through a symbolic link to ${real}, outside the collection directory: not followed (copy what it points at into the collection)`);
    return undefined;
  };
  const readYaml = async (path: string): Promise<unknown> => {
    const where = shown(path);
    const real = await confined(path);
    if (real === undefined) return undefined;
    let text: string;
    try {
      text = await readInputText(real, { kind: 'v3File', label: where, regularOnly: true });
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      problems.push(error.message);
      return undefined;
    }
    totalBytes += Buffer.byteLength(text);
    if (totalBytes > INPUT_LIMIT_BYTES.collection) {
      throw new InputError(`${display}: its files hold more than ${formatLimit(INPUT_LIMIT_BYTES.collection)}, the most debug502 reads as a collection`, [], HINT);
    }
    const { value, errors } = parseYamlText(text);
    for (const error of errors) problems.push(`${where}: ${error}`);
    return value;
  };
  const check = (path: string, local: string[]) => {
    for (const problem of local) problems.push(`${shown(path)}: ${problem}`);
  };

  /** `path`'s definition and children; `chain` holds the real paths of the folders above (and of `path`): a link back to one is a loop. */
  const readScope = async (path: string, depth: number, chain: readonly string[]): Promise<{ scope: V2Scope; items: Record<string, unknown>[] }> => {
    let scope: V2Scope = {};
    if (await isFile(definitionPath(path))) {
      const local: string[] = [];
      const parsed = await readYaml(definitionPath(path));
      if (parsed !== undefined) scope = convertDefinition(parsed, local);
      check(definitionPath(path), local);
    }
    const entries = (await readdir(path, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1));
    await reportStrayRequests(path, entries);
    const children: { order?: number; name: string; item: Record<string, unknown> }[] = [];
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const full = join(path, entry.name);
      const kind = await kindOf(entry, full);
      if (kind === 'file' && isRequestFile(entry.name)) {
        const local: string[] = [];
        const parsed = await readYaml(full);
        const name = entry.name.slice(0, -(entry.name.toLowerCase().endsWith(REQUEST_SUFFIX) ? REQUEST_SUFFIX : REQUEST_SUFFIX_YML).length);
        if (parsed === undefined) continue;
        const { item, order } = convertRequest(parsed, name, idOf(full), local);
        check(full, local);
        children.push({ order, name: String(item.name), item });
      } else if (kind === 'directory' && depth < MAX_DEPTH) {
        const real = entry.isSymbolicLink() ? await confined(full) : join(chain[chain.length - 1], entry.name);
        if (real === undefined) continue;
        if (chain.includes(real)) {
          problems.push(`${shown(full)}: a symbolic link back to ${shown(root + real.slice(realRoot.length))}, a folder it is in: not followed (a loop)`);
          continue;
        }
        const folder = await readScope(full, depth + 1, [...chain, real]);
        const { name = entry.name, id = idOf(full), order, description, variable, auth, event } = folder.scope;
        children.push({ order, name, item: { id, name, ...(description ? { description } : {}), ...(variable ? { variable } : {}), ...(auth ? { auth } : {}), ...(event ? { event } : {}), item: folder.items } });
      } else if (kind === 'directory') {
        problems.push(`${shown(full)}: folders nested deeper than ${MAX_DEPTH} levels`);
      } else if (kind === 'link' && isRequestFile(entry.name)) {
        await confined(full); // says where it leads; a request file that leads outside is not read
      } else if (kind === 'other' && isRequestFile(entry.name)) {
        problems.push(`${shown(full)}: not a regular file (a pipe, socket or device): debug502 reads only regular files in a collection`);
      }
    }
    // Postman's order: by `order`, items without one last, then by name regardless of case.
    children.sort((a, b) => (a.order ?? Infinity) - (b.order ?? Infinity) || a.name.localeCompare(b.name, undefined, { sensitivity: 'base' }));
    return { scope, items: children.map((c) => c.item) };
  };
  /**
   * What a directory entry is, a symbolic link by what it leads to: `link` when that is outside
   * the collection, or nothing (then it is not followed, and a request file or folder says so).
   */
  const kindOf = async (entry: Dirent, full: string): Promise<'file' | 'directory' | 'link' | 'other'> => {
    if (!entry.isSymbolicLink()) return entry.isFile() ? 'file' : entry.isDirectory() ? 'directory' : 'other';
    const real = await realpath(full).catch(() => undefined);
    if (real === undefined || !isInsideDirectory(real, realRoot)) {
      // A link that leads outside is a problem when it would be read: a request file, or a folder.
      if (!isRequestFile(entry.name) && (await isDirectory(full))) await confined(full);
      return 'link';
    }
    const info = await stat(real);
    return info.isFile() ? 'file' : info.isDirectory() ? 'directory' : 'other';
  };
  const reportStrayRequests = async (path: string, entries: Dirent[]) => {
    if (!entries.some((e) => e.name === DEFINITION_DIR && e.isDirectory())) return;  // a linked .resources is confined when its definition is read
    for (const name of await readdir(join(path, DEFINITION_DIR))) {
      if (isRequestFile(name)) problems.push(`${shown(join(path, DEFINITION_DIR, name))}: a request file inside ${DEFINITION_DIR}/, where Postman does not run it: move it up into the folder`);
    }
  };
  const idOf = (path: string) => stableUuid(`debug502 v3 item\u0000${path.slice(root.length + 1)}`);

  const { scope, items } = await readScope(root, 0, [realRoot]);
  if (problems.length === 0 && countRequests(items) === 0) problems.push(`${display}: holds no request files (*${REQUEST_SUFFIX})`);
  if (problems.length > 0) throw new InputError(`${display}: not a valid v3 collection (${problems.length} problem${problems.length === 1 ? '' : 's'})`, problems, HINT);
  return {
    info: {
      _postman_id: scope.id ?? stableUuid(`debug502 v3 collection\u0000${basename(root)}`),
      name: scope.name ?? basename(root),
      schema: V21_SCHEMA,
      ...(scope.description ? { description: scope.description } : {}),
    },
    item: items,
    ...(scope.variable ? { variable: scope.variable as PostmanCollection['variable'] } : {}),
    ...(scope.auth ? { auth: scope.auth } : {}),
    ...(scope.event ? { event: scope.event } : {}),
  };
}

/** Throws InputError when `root` is missing, a file, or not the root of one v3 collection. */
async function assertCollectionRoot(root: string, display: string): Promise<void> {
  let info;
  try {
    info = await stat(root);
  } catch {
    throw new InputError(`collection ${display}: not found`, [], 'check the path');
  }
  if (!info.isDirectory()) {
    const owner = await findEnclosingCollection(dirname(root));
    const what = isRequestFile(basename(root)) ? 'a v3 request file' : basename(root) === DEFINITION_FILE ? 'a v3 definition file' : 'a file';
    throw new InputError(`${display}: ${what}, not a collection directory`, [],
      owner ? `pass the collection it belongs to: ${owner}` : `this file is outside any v3 collection; ${HINT}`);
  }
  const enclosing = await findEnclosingCollection(dirname(root));
  if (enclosing) {
    throw new InputError(`${display}: a folder inside the v3 collection ${enclosing}, not a collection's root`, [],
      `pass ${enclosing}: its auth, variables and scripts apply to this folder too`);
  }
  if (await isV3CollectionDir(root)) return;
  const candidates: string[] = [];
  for (const base of [root, join(root, 'collections'), join(root, 'postman', 'collections')]) {
    if (!(await isDirectory(base))) continue;
    for (const entry of await readdir(base, { withFileTypes: true })) {
      if (entry.isDirectory() && (await isV3CollectionDir(join(base, entry.name)))) candidates.push(join(base, entry.name));
    }
    if (candidates.length > 0) break;
  }
  throw new InputError(
    candidates.length > 0 ? `${display}: holds ${candidates.length} v3 collection${candidates.length === 1 ? '' : 's'}, is not one` : `${display}: is a directory but not a v3 collection (no ${DEFINITION_DIR}/${DEFINITION_FILE}, no *${REQUEST_SUFFIX})`,
    candidates.slice(0, 10).map((c) => `pass: ${join(display, c.slice(root.length + 1))}`),
    HINT,
  );
}

/** The nearest directory at or above `start` whose definition says `$kind: collection`, or null. */
async function findEnclosingCollection(start: string): Promise<string | null> {
  for (let dir = start, depth = 0; depth < MAX_DEPTH; dir = dirname(dir), depth += 1) {
    if (await isFile(definitionPath(dir))) {
      // The root is the topmost one: folders have definitions too.
      let top = dir;
      for (let up = dirname(dir); up !== top && (await isFile(definitionPath(up))); up = dirname(up)) top = up;
      return top;
    }
    if (dirname(dir) === dir) break;
  }
  return null;
}

function countRequests(items: Record<string, unknown>[]): number {
  return items.reduce((n, item) => n + (Array.isArray(item.item) ? countRequests(item.item as Record<string, unknown>[]) : 1), 0);
}

function definitionPath(dir: string): string {
  return join(dir, DEFINITION_DIR, DEFINITION_FILE);
}

function isRequestFile(name: string): boolean {
  const lower = name.toLowerCase();
  return lower.endsWith(REQUEST_SUFFIX) || lower.endsWith(REQUEST_SUFFIX_YML);
}

async function isFile(path: string): Promise<boolean> {
  return stat(path).then((s) => s.isFile(), () => false);
}

async function isDirectory(path: string): Promise<boolean> {
  return stat(path).then((s) => s.isDirectory(), () => false);
}
