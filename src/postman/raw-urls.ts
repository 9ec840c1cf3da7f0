/**
 * A v2.1 request URL given as an object whose text is only in `raw` — `{ "raw": "{{gateway_url}}/api/users?page=1" }`,
 * perhaps with `query` or `variable` beside it but no `host` — is valid Postman JSON (every part of
 * a URL object is optional), and the Postman app shows and sends the raw text. postman-collection
 * builds a URL object from its parts alone and gets "" for it: newman sends nothing, the request
 * descriptions have no route, and a probe or a watch skipped every such request without a word.
 * Read once, on loading, such a URL takes the parts Postman's own parser (`Url.parse`) finds in
 * `raw`, so every command and engine sends what the app would. A URL with a `host` keeps its
 * parts, as newman sends them.
 */
import postmanCollection from 'postman-collection';
import { listRequestItems } from './items.js';

const { Url } = postmanCollection;

interface UrlObject {
  raw?: unknown;
  host?: unknown;
  variable?: unknown;
  [extra: string]: unknown;
}

/** Whether `url` is an object whose parts say nothing of where it goes, while `raw` does. */
function hasOnlyRaw(url: unknown): url is UrlObject & { raw: string } {
  if (typeof url !== 'object' || url === null || Array.isArray(url)) return false;
  const object = url as UrlObject;
  const noHost = object.host === undefined || object.host === '' || (Array.isArray(object.host) && object.host.length === 0);
  return typeof object.raw === 'string' && object.raw.trim() !== '' && noHost;
}

/**
 * Gives every request URL of `collection` that has only `raw` the parts parsed from it, in place
 * (the collection was just parsed from its file: nobody else holds it). Path-variable values
 * (`variable`) and a description given beside `raw` are kept. Returns how many URLs were read so.
 */
export function readRawOnlyUrls(collection: { item?: unknown }): number {
  let read = 0;
  for (const { item } of listRequestItems(collection.item)) {
    const request = item.request as { url?: unknown } | undefined;
    if (typeof request !== 'object' || request === null || !hasOnlyRaw(request.url)) continue;
    const url = request.url;
    const parsed = Url.parse(url.raw) as unknown as UrlObject;
    request.url = { ...url, ...parsed, ...(Array.isArray(url.variable) && url.variable.length > 0 ? { variable: url.variable } : {}) };
    read += 1;
  }
  return read;
}
