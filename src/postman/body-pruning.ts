/**
 * postman-runtime sends no body with a GET, COPY, HEAD, PURGE or UNLOCK (lib/requester/core.js,
 * METHODS_WITHOUT_BODY, "picked from the app, which don't support body") — nor the Content-Type
 * its body would add — unless `protocolProfileBehavior.disableBodyPruning` is set. That setting is
 * read as the SDK's Item#getProtocolProfileBehaviorResolved reads it: the item's own, else the
 * nearest folder's, else the collection's; any truthy value turns pruning off.
 */
import type { ItemJson } from './items.js';

/** The methods whose body postman-runtime drops (upper case, as the SDK makes every method). */
export const METHODS_WITHOUT_BODY: ReadonlySet<string> = new Set(['GET', 'COPY', 'HEAD', 'PURGE', 'UNLOCK']);

/** Whether newman would drop the body of `item`, sent with `method`, in `folders` (outermost first) of `collection`. */
export function prunesBody(method: string, collection: object, folders: readonly ItemJson[], item: ItemJson): boolean {
  if (!METHODS_WITHOUT_BODY.has(method)) return false;
  for (const node of [item, ...[...folders].reverse(), collection]) {
    const behavior = (node as { protocolProfileBehavior?: unknown }).protocolProfileBehavior;
    if (typeof behavior === 'object' && behavior !== null && Object.hasOwn(behavior, 'disableBodyPruning')) {
      return !(behavior as { disableBodyPruning?: unknown }).disableBodyPruning;
    }
  }
  return true;
}
