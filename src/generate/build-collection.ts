import postmanCollection from 'postman-collection';
import type { EndpointConfig, ResolvedConfig, Route } from '../model.js';
import { HEALTH_FOLDER, HEALTH_REQUEST_NAME, NO_502_TEST, ROUTE_FOLDER, ROUTE_VARIABLE, ROUTES, latencyTestName } from '../model.js';
import { renderCollectionDescription, renderRequestTests } from './render-templates.js';
import { jsonChunks, LazyJsonArray } from '../text/json-chunks.js';
import { stableUuid } from './stable-id.js';

const { QueryParam } = postmanCollection;

type JsonObject = Record<string, unknown>;

/** The `info.schema` of every v2.1.0 collection. */
export const COLLECTION_SCHEMA_URL = 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json';

/** A generated Postman v2.1.0 collection, as written to `collections/`. */
export interface PostmanCollectionJson {
  info: { _postman_id: string; name: string; schema: string; description?: unknown };
  item: JsonObject[];
  variable?: JsonObject[];
  [key: string]: unknown;
}

/** The collection variable the latency test reads; retunable in Postman or by `--env-var`. */
export const MAX_RESPONSE_TIME_VARIABLE = 'max_response_time_ms';

/** `Status is 201`: the title of the test `expectStatus` adds. */
export function statusTestName(status: number): string {
  return `Status is ${status}`;
}

/** `502 Debugging` → `502-debugging`: the file name of the collection, without extension. */
export function slugify(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return slug || 'collection';
}

/** `<slug>.postman_collection.json`, where `generate` writes the collection. */
export function collectionFileName(config: ResolvedConfig): string {
  return `${slugify(config.name)}.postman_collection.json`;
}

/**
 * The "502 Debugging" collection of `config` as Postman v2.1.0 JSON: the health request (when
 * configured) in HEALTH_FOLDER, then every endpoint at `{{gateway_url}}` in ROUTE_FOLDER.gateway and
 * again, under the same name, at `{{backend_url}}` in ROUTE_FOLDER.backend, each with the guide's
 * tests. Pure and deterministic: ids derive from names, no timestamps, the same key order every
 * time — the order the postman-collection SDK's toJSON() writes (a test holds it to that), with
 * `url.raw` first as the Postman app exports it.
 */
export function buildCollection(config: ResolvedConfig): PostmanCollectionJson {
  return shapeCollection(config, (requests) => [...requests()]) as PostmanCollectionJson;
}

/**
 * The text `generate` writes for the collection — `JSON.stringify(buildCollection(config), null, 2)`
 * and a newline — in chunks, each request built only when its turn comes: a big config never has
 * its whole collection in memory, as objects or as text. Re-iterable; each pass builds it again.
 */
export function serializeCollection(config: ResolvedConfig): Iterable<string> {
  return jsonChunks(shapeCollection(config, (requests) => new LazyJsonArray(requests)), '\n');
}

/** The collection with each folder's requests as `wrap` makes them (an array, or a lazy one). */
function shapeCollection(config: ResolvedConfig, wrap: (requests: () => Iterable<JsonObject>) => unknown): JsonObject {
  const idOf = (...path: string[]) => stableUuid([`debug502 collection ${config.name}`, ...path].join('\u0000'));
  const ms = config.assertions.maxResponseTimeMs;
  const latency = latencyTestName(ms);

  const request = (folder: string, name: string, route: Route, endpoint: Omit<EndpointConfig, 'name'>): JsonObject => {
    const tests = renderRequestTests({
      no502TestName: NO_502_TEST,
      latencyTestName: latency,
      context: `${folder} / ${name}`,
      expectStatus: endpoint.expectStatus ?? null,
      statusTestName: endpoint.expectStatus === undefined ? null : statusTestName(endpoint.expectStatus),
    });
    const host = [`{{${ROUTE_VARIABLE[route]}}}`];
    const path = endpoint.path.split('/').slice(1);
    const query = Object.entries(endpoint.query).map(([key, value]) => ({ key: encodeQueryPart(key), value: encodeQueryPart(value) }));
    const header = buildHeaders(endpoint);
    return {
      id: idOf(folder, name),
      name,
      request: {
        url: { raw: formatRawUrl(host, path, query), path, host, query, variable: [] },
        ...(header.length > 0 ? { header } : {}),
        method: endpoint.method,
        ...(endpoint.body === undefined ? {} : { body: buildBody(endpoint.body) }),
      },
      response: [],
      event: [{ listen: 'test', script: { id: idOf(folder, name, 'test'), type: 'text/javascript', exec: tests } }],
    };
  };
  const folder = (name: string, description: string, requests: () => Iterable<JsonObject>): JsonObject =>
    ({ id: idOf(name), name, description: { content: description, type: 'text/markdown' }, item: wrap(requests), event: [] });

  const folders: JsonObject[] = [];
  const { health } = config;
  if (health) {
    const endpoint = { method: health.method, path: health.path, query: {}, headers: {} };
    folders.push(folder(HEALTH_FOLDER, 'Is the backend up? Requested directly at `{{backend_url}}`, past the gateway.',
      () => [request(HEALTH_FOLDER, HEALTH_REQUEST_NAME, 'backend', endpoint)]));
  }
  for (const route of ROUTES) {
    const where = route === 'gateway' ? 'through the gateway' : 'directly, past the gateway';
    folders.push(folder(ROUTE_FOLDER[route], `Every endpoint ${where}, at \`{{${ROUTE_VARIABLE[route]}}}\`.`, function* () {
      for (const { name, ...endpoint } of config.endpoints) yield request(ROUTE_FOLDER[route], name, route, endpoint);
    }));
  }

  const environments = Object.keys(config.environments);
  const description = renderCollectionDescription({
    gatewayFolder: ROUTE_FOLDER.gateway,
    backendFolder: ROUTE_FOLDER.backend,
    healthFolder: HEALTH_FOLDER,
    healthRequest: HEALTH_REQUEST_NAME,
    healthPath: config.health?.path ?? null,
    healthMethod: config.health?.method ?? null,
    gatewayVariable: `{{${ROUTE_VARIABLE.gateway}}}`,
    backendVariable: `{{${ROUTE_VARIABLE.backend}}}`,
    environments,
    firstEnvironment: environments[0],
    collectionFile: collectionFileName(config),
    no502TestName: NO_502_TEST,
    latencyTestName: latency,
    maxResponseTimeMs: ms,
  });

  return {
    info: { _postman_id: idOf(), name: config.name, schema: COLLECTION_SCHEMA_URL, description: { content: description, type: 'text/markdown' } },
    item: folders,
    event: [],
    variable: [{ type: 'string', value: String(ms), key: MAX_RESPONSE_TIME_VARIABLE }],
  };
}

/**
 * `{{gateway_url}}/api/users?page=1`: the URL as the SDK's Url#toString() writes it (host, the path
 * after a slash, the query string after a `?` when there are parameters; keys and values are already
 * encoded by encodeQueryPart, and QueryParam.unparse adds the SDK's own normalization).
 */
function formatRawUrl(host: string[], path: string[], query: { key: string; value: string }[]): string {
  const search = query.length > 0 ? `?${QueryParam.unparse(query)}` : '';
  return `${host.join('.')}/${path.join('/')}${search}`;
}

function buildHeaders(endpoint: Pick<EndpointConfig, 'headers' | 'body'>): { key: string; value: string }[] {
  const headers = Object.entries(endpoint.headers).map(([key, value]) => ({ key, value }));
  const isJson = endpoint.body !== undefined && typeof endpoint.body !== 'string';
  if (isJson && !headers.some((h) => h.key.toLowerCase() === 'content-type')) {
    headers.push({ key: 'Content-Type', value: 'application/json' });
  }
  return headers;
}

function buildBody(body: NonNullable<EndpointConfig['body']>): JsonObject {
  if (typeof body === 'string') return { mode: 'raw', raw: body };
  return { mode: 'raw', raw: JSON.stringify(body, null, 2), options: { raw: { language: 'json' } } };
}

/**
 * Percent-encodes a query key or value so the raw URL reads back as the same parameters (a value
 * may hold `&`, `=`, `#` or spaces), leaving `{{variable}}` references for Postman to fill in.
 */
function encodeQueryPart(text: string): string {
  return text
    .split(/(\{\{[^{}]+\}\})/)
    .map((part, i) => (i % 2 === 1 ? part : encodeURIComponent(part)))
    .join('');
}
