import { InputError } from '../errors.js';
import { ROUTE_FOLDER, type RampTarget } from '../model.js';

interface ItemLike {
  name?: unknown;
  item?: unknown;
  request?: unknown;
}

/**
 * How many requests one pass of `target`'s folder ("Through gateway" / "Direct to backend") sends:
 * the requests in it, nested folders included. The folder is found by name anywhere in the tree,
 * the first match depth-first, as newman's `--folder` finds it.
 * Throws InputError when the collection has no such folder or the folder holds no request.
 */
export function countFolderRequests(collection: { item?: unknown }, target: RampTarget, file = 'collection'): number {
  const folder = findTargetFolder(collection, target, file);
  const count = countRequests(folder.item);
  if (count === 0) throw new InputError(`${file}: the folder "${folder.name}" holds no request`, [], HINT);
  return count;
}

const HINT = 'write the collection with "debug502 generate": it has both folders, every endpoint in each';

/** The folder `target` is ramped with; InputError when the collection has none. */
export function findTargetFolder(collection: { item?: unknown }, target: RampTarget, file = 'collection'): { name: string; item: unknown[] } {
  const name = ROUTE_FOLDER[target];
  const folder = findFolder(collection.item, name);
  if (!folder) throw new InputError(`${file}: no folder "${name}" to ramp the ${target} with`, [], HINT);
  return folder as { name: string; item: unknown[] };
}

function findFolder(items: unknown, name: string): ItemLike | undefined {
  if (!Array.isArray(items)) return undefined;
  for (const item of items as ItemLike[]) {
    if (!item || typeof item !== 'object' || !Array.isArray(item.item)) continue;
    if (item.name === name) return item;
    const inner = findFolder(item.item, name);
    if (inner) return inner;
  }
  return undefined;
}

function countRequests(items: unknown): number {
  if (!Array.isArray(items)) return 0;
  let count = 0;
  for (const item of items as ItemLike[]) {
    if (!item || typeof item !== 'object') continue;
    if (Array.isArray(item.item)) count += countRequests(item.item);
    else if (item.request !== undefined) count += 1;
  }
  return count;
}
