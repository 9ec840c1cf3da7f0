/**
 * `init --from-collection F` / `--from-openapi F`: the source's requests as config endpoints —
 * name, method, path under the request's base, query — to seed the starter config. Only what a
 * config endpoint holds: auth, headers, bodies and scripts stay in the source (generate
 * --from-collection / --from-openapi keeps them).
 */
import { baseOfUrl, rawUrlOf } from '../generate/base-url.js';
import { readOpenApiFile } from '../generate/read-openapi.js';
import { listRequestItems } from '../postman/items.js';
import type { PostmanCollection } from '../postman/load.js';
import { readCollectionFile } from '../postman/read-collection.js';

/** One endpoint for the starter config. */
export interface EndpointSketch {
  name: string;
  method: string;
  /** Starts with "/"; path variables (`:id`, `{{id}}`) written as 1. */
  path: string;
  query: Record<string, string>;
}

/** Reads the source (InputError naming the file when it is not a collection / a spec) and lists its endpoints. */
export async function readSourceEndpoints(source: { fromCollection?: string; fromOpenapi?: string }, cwd: string, options: { signal?: AbortSignal } = {}): Promise<EndpointSketch[]> {
  const collection = source.fromCollection !== undefined
    ? (await readCollectionFile(source.fromCollection, cwd, options)).collection
    : (await readOpenApiFile(source.fromOpenapi!, cwd, options)).collection;
  return listEndpoints(collection);
}

/** The collection's requests in run order, each once by method and path, names made unique. Pure. */
export function listEndpoints(collection: PostmanCollection): EndpointSketch[] {
  const endpoints: EndpointSketch[] = [];
  const seen = new Set<string>();
  const names = new Map<string, number>();
  for (const { item } of listRequestItems(collection.item)) {
    const request = item.request as { method?: string; url?: unknown } | string | undefined;
    const method = (typeof request === 'object' && request?.method ? request.method : 'GET').toUpperCase();
    const raw = rawUrlOf(typeof request === 'string' ? request : request?.url);
    const rest = raw.slice((baseOfUrl(raw) ?? '').length).replace(/^\s+/, '');
    const [pathPart, queryPart = ''] = rest.split('#')[0].split('?');
    const path = `/${pathPart.replace(/^\/+/, '')}`.replace(/\/:[^/]+/g, '/1').replace(/\{\{[^{}]+\}\}/g, '1').replace(/\s+/g, '');
    const key = `${method} ${path}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const query: Record<string, string> = {};
    for (const pair of queryPart.split('&').filter(Boolean)) {
      const [name, value = ''] = pair.split('=');
      query[decode(name)] = /\{\{[^{}]+\}\}/.test(value) ? '1' : decode(value);
    }
    const base = (item.name ?? key).trim() || key;
    const count = (names.get(base) ?? 0) + 1;
    names.set(base, count);
    endpoints.push({ name: count === 1 ? base : `${base} (${count})`, method, path, query });
  }
  return endpoints;
}

/** `%20` → ` `; a malformed escape stays as it is. */
function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
