import { InputError } from '../errors.js';
import { ROUTE_FOLDER, type RampTarget } from '../model.js';
import { countRequests, findRouteFolder } from '../postman/items.js';

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

const HINT = 'write the collection with "debug502 generate" (from a config, --from-collection or --from-openapi): it has both folders, every endpoint in each';

/** The folder `target` is ramped with; InputError when the collection has none. */
export function findTargetFolder(collection: { item?: unknown }, target: RampTarget, file = 'collection'): { name: string; item: unknown[] } {
  const folder = findRouteFolder(collection, target);
  if (!folder) throw new InputError(`${file}: no folder "${ROUTE_FOLDER[target]}" to ramp the ${target} with`, [], HINT);
  return { name: folder.name ?? ROUTE_FOLDER[target], item: folder.item };
}
