/**
 * Walking a collection's items as plain Postman JSON (v2.0/v2.1): the one place that knows that a
 * folder is an item with an `item` array, that folders nest, and how newman's `--folder` finds one
 * (by id or name, depth-first in document order, the first match — the SDK's `oneDeep`).
 */
import { InputError } from '../errors.js';
import { ROUTE_FOLDER, ROUTES, type Route } from '../model.js';

/** A collection item: a request (`request`) or a folder (`item`). Only what debug502 reads is typed. */
export interface ItemJson {
  id?: string;
  name?: string;
  item?: ItemJson[];
  request?: unknown;
  event?: unknown[];
  auth?: unknown;
  [extra: string]: unknown;
}

/** A request item and the folders it sits in, outermost first. */
export interface RequestItemAt {
  item: ItemJson;
  folders: ItemJson[];
}

export function isFolder(item: unknown): item is ItemJson & { item: ItemJson[] } {
  return typeof item === 'object' && item !== null && Array.isArray((item as ItemJson).item);
}

function isRequestItem(item: unknown): item is ItemJson {
  return typeof item === 'object' && item !== null && !isFolder(item) && (item as ItemJson).request !== undefined;
}

/** Every request item under `items`, in document order, nested folders included. */
export function listRequestItems(items: unknown, folders: ItemJson[] = []): RequestItemAt[] {
  if (!Array.isArray(items)) return [];
  const found: RequestItemAt[] = [];
  for (const item of items) {
    if (isFolder(item)) found.push(...listRequestItems(item.item, [...folders, item]));
    else if (isRequestItem(item)) found.push({ item, folders });
  }
  return found;
}

/** How many requests one pass over `items` sends. */
export function countRequests(items: unknown): number {
  return listRequestItems(items).length;
}

/** Every item (folder or request) under `items` whose id or name is `idOrName`, depth-first, with its folders. */
function* eachMatch(items: unknown, idOrName: string, folders: ItemJson[] = []): Generator<{ item: ItemJson; folders: ItemJson[] }> {
  if (!Array.isArray(items)) return;
  for (const item of items as ItemJson[]) {
    if (!item || typeof item !== 'object') continue;
    if (item.id === idOrName || item.name === idOrName) yield { item, folders };
    if (isFolder(item)) yield* eachMatch(item.item, idOrName, [...folders, item]);
  }
}

/** The first item (folder or request) named or with id `idOrName` under `items`, depth-first, and its folders. */
export function findItem(items: unknown, idOrName: string): { item: ItemJson; folders: ItemJson[] } | undefined {
  return eachMatch(items, idOrName).next().value ?? undefined;
}

/** The first folder named or with id `idOrName` under `items`, depth-first, or undefined. */
export function findFolder(items: unknown, idOrName: string): (ItemJson & { item: ItemJson[] }) | undefined {
  for (const { item } of eachMatch(items, idOrName)) if (isFolder(item)) return item;
  return undefined;
}

/** The route folder ("Through gateway" / "Direct to backend") of a debug502 collection, at any depth. */
export function findRouteFolder(collection: { item?: unknown }, route: Route): (ItemJson & { item: ItemJson[] }) | undefined {
  return findFolder(collection.item, ROUTE_FOLDER[route]);
}

/**
 * A copy of `collection` narrowed to the folders (or requests) named in `names`, as `--folder`
 * narrows run and ramp: inside each route folder the collection has, the first match of every
 * name (so "Orders" selects "Through gateway / Orders" and "Direct to backend / Orders"); in a
 * collection without route folders, the first match in the whole tree. The folders above a
 * selection are kept — with their auth, scripts and variables — holding only what leads to it;
 * everything else (the health folder too) is left out. Empty `names`: the collection as it is.
 * Throws InputError listing every name not found, and where it was looked for.
 */
export function narrowToFolders<C extends { item?: unknown }>(collection: C, names: readonly string[], file = 'collection'): C {
  if (names.length === 0) return collection;
  const roots = ROUTES.map((route) => findRouteFolder(collection, route)).filter((folder) => folder !== undefined);
  const scopes: { label: string; items: unknown }[] = roots.length > 0
    ? roots.map((folder) => ({ label: `"${folder.name}"`, items: folder.item }))
    : [{ label: 'the collection', items: collection.item }];
  const selected = new Set<ItemJson>();
  const problems: string[] = [];
  for (const name of names) {
    for (const scope of scopes) {
      const found = findItem(scope.items, name);
      if (found) selected.add(found.item);
      else problems.push(`--folder "${name}": no folder or request of that name in ${scope.label}`);
    }
  }
  if (problems.length > 0) {
    throw new InputError(`${file}: --folder names what is not there`, problems, 'names are matched exactly (case matters), at any depth; list them with the Postman app or "jq .item" on the file');
  }
  return { ...collection, item: keepOnly(collection.item, selected) };
}

/** The items of `selected`, and the folders above them (copies) holding only what leads to them. */
function keepOnly(items: unknown, selected: ReadonlySet<ItemJson>): ItemJson[] {
  if (!Array.isArray(items)) return [];
  const kept: ItemJson[] = [];
  for (const item of items as ItemJson[]) {
    if (selected.has(item)) kept.push(item);
    else if (isFolder(item)) {
      const inner = keepOnly(item.item, selected);
      if (inner.length > 0) kept.push({ ...item, item: inner });
    }
  }
  return kept;
}

/**
 * A copy of `collection` holding only what a run of `folder` (newman's option: ids or names) reads:
 * the items named, and the folders above them — with their auth, scripts and variables — holding
 * only what leads to them. Only when every entry matches exactly one item in the whole tree, so that
 * newman selects the same requests from the copy; otherwise (or with no folder) the collection as it
 * is, for newman to judge. Why: newman parses the whole collection again for every run, and a ramp
 * step's runs select one route folder — half of a debug502 collection, a fraction of a large one.
 */
export function keepOnlyFolders<C extends { item?: unknown }>(collection: C, folder: string | readonly string[] | undefined): C {
  const names = folder === undefined ? [] : typeof folder === 'string' ? [folder] : folder;
  if (names.length === 0) return collection;
  const selected = new Set<ItemJson>();
  for (const name of names) {
    const matches = [...eachMatch(collection.item, name)];
    if (matches.length !== 1) return collection;
    selected.add(matches[0].item);
  }
  return { ...collection, item: keepOnly(collection.item, selected) };
}

/** "Through gateway / Orders / Get order": where an item sits, for messages. */
export function itemPath(item: ItemJson, folders: readonly ItemJson[]): string {
  return [...folders, item].map((node) => node.name ?? '(unnamed)').join(' / ');
}

/**
 * The request items `folder` selects, as newman's `folder` option does: each entry is an item's id
 * or name (first match, depth-first); several entries run in collection order, each item once.
 * Absent or empty: every request. Throws InputError naming every entry not found.
 */
export function selectRequestItems(collection: { item?: unknown }, folder?: string | readonly string[]): RequestItemAt[] {
  const all = listRequestItems(collection.item);
  const names = folder === undefined ? [] : typeof folder === 'string' ? [folder] : [...folder];
  if (names.length === 0) return all;
  const found = names.map((name) => findItem(collection.item, name));
  const missing = names.filter((_, i) => !found[i]);
  if (missing.length > 0) {
    throw new InputError(`collection: no folder or request named ${missing.map((n) => `"${n}"`).join(', ')}`, [], 'check the folder name (case matters)');
  }
  const chosen = new Set<ItemJson>();
  for (const hit of found) {
    const { item } = hit!;
    if (isFolder(item)) for (const inner of listRequestItems(item.item)) chosen.add(inner.item);
    else chosen.add(item);
  }
  return all.filter((at) => chosen.has(at.item));
}

/** The collection's `info.name`, when it has one (not blank). */
export function collectionNameOf(collection: object): string | undefined {
  const name = (collection as { info?: { name?: unknown } }).info?.name;
  return typeof name === 'string' && name.trim() !== '' ? name : undefined;
}
