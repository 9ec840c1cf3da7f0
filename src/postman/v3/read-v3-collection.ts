import type { Dirent } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { InputError } from '../../errors.js';
import { stableUuid } from '../../generate/stable-id.js';
import type { PostmanCollection } from '../load.js';
import { parseYamlText } from './parse-yaml.js';
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
 */
export async function readV3Collection(dir: string, display = dir): Promise<PostmanCollection> {
  const root = resolve(dir);
  await assertCollectionRoot(root, display);
  const problems: string[] = [];
  const readYaml = async (path: string): Promise<unknown> => {
    const where = join(display, path.slice(root.length + 1));
    const { value, errors } = parseYamlText(await readFile(path, 'utf8'));
    for (const error of errors) problems.push(`${where}: not valid YAML at ${error}`);
    return value;
  };
  const check = (path: string, local: string[]) => {
    for (const problem of local) problems.push(`${join(display, path.slice(root.length + 1))}: ${problem}`);
  };

  const readScope = async (path: string, depth: number): Promise<{ scope: V2Scope; items: Record<string, unknown>[] }> => {
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
      if (entry.isFile() && isRequestFile(entry.name)) {
        const local: string[] = [];
        const parsed = await readYaml(full);
        const name = entry.name.slice(0, -(entry.name.toLowerCase().endsWith(REQUEST_SUFFIX) ? REQUEST_SUFFIX : REQUEST_SUFFIX_YML).length);
        if (parsed === undefined) continue;
        const { item, order } = convertRequest(parsed, name, idOf(full), local);
        check(full, local);
        children.push({ order, name: String(item.name), item });
      } else if (entry.isDirectory() && depth < MAX_DEPTH) {
        const folder = await readScope(full, depth + 1);
        const { name = entry.name, id = idOf(full), order, description, variable, auth, event } = folder.scope;
        children.push({ order, name, item: { id, name, ...(description ? { description } : {}), ...(variable ? { variable } : {}), ...(auth ? { auth } : {}), ...(event ? { event } : {}), item: folder.items } });
      } else if (entry.isDirectory()) {
        problems.push(`${join(display, full.slice(root.length + 1))}: folders nested deeper than ${MAX_DEPTH} levels`);
      }
    }
    // Postman's order: by `order`, items without one last, then by name regardless of case.
    children.sort((a, b) => (a.order ?? Infinity) - (b.order ?? Infinity) || a.name.localeCompare(b.name, undefined, { sensitivity: 'base' }));
    return { scope, items: children.map((c) => c.item) };
  };
  const reportStrayRequests = async (path: string, entries: Dirent[]) => {
    if (!entries.some((e) => e.name === DEFINITION_DIR && e.isDirectory())) return;
    for (const name of await readdir(join(path, DEFINITION_DIR))) {
      if (isRequestFile(name)) problems.push(`${join(display, path.slice(root.length + 1), DEFINITION_DIR, name)}: a request file inside ${DEFINITION_DIR}/, where Postman does not run it: move it up into the folder`);
    }
  };
  const idOf = (path: string) => stableUuid(`debug502 v3 item\u0000${path.slice(root.length + 1)}`);

  const { scope, items } = await readScope(root, 0);
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
