import postmanCollection, { type CollectionDefinition } from 'postman-collection';
import type { EndpointConfig, ResolvedConfig, Route } from '../model.js';
import { HEALTH_FOLDER, HEALTH_REQUEST_NAME, NO_502_TEST, ROUTE_FOLDER, ROUTE_VARIABLE, ROUTES, latencyTestName } from '../model.js';
import { renderCollectionDescription, renderRequestTests } from './render-templates.js';
import { stableUuid } from './stable-id.js';

const { Collection } = postmanCollection;

// The SDK's bundled typings describe an older format (no `event`, no `url.raw`), so the
// definitions handed to it, and the JSON it gives back, are typed here.
type JsonObject = Record<string, unknown>;

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
 * The "502 Debugging" collection of `config` as Postman v2.1.0 JSON, built with the postman-collection
 * SDK: the health request (when configured) in HEALTH_FOLDER, then every endpoint at `{{gateway_url}}`
 * in ROUTE_FOLDER.gateway and again, under the same name, at `{{backend_url}}` in
 * ROUTE_FOLDER.backend, each with the guide's tests. Pure and deterministic: ids derive from names,
 * no timestamps, the same key order every time.
 */
export function buildCollection(config: ResolvedConfig): PostmanCollectionJson {
  const idOf = (...path: string[]) => stableUuid([`debug502 collection ${config.name}`, ...path].join('\u0000'));
  const ms = config.assertions.maxResponseTimeMs;

  const request = (folder: string, name: string, route: Route, endpoint: Omit<EndpointConfig, 'name'>): JsonObject => {
    const tests = renderRequestTests({
      no502TestName: NO_502_TEST,
      latencyTestName: latencyTestName(ms),
      context: `${folder} / ${name}`,
      expectStatus: endpoint.expectStatus ?? null,
      statusTestName: endpoint.expectStatus === undefined ? null : statusTestName(endpoint.expectStatus),
    });
    return {
      id: idOf(folder, name),
      name,
      request: {
        method: endpoint.method,
        url: {
          host: [`{{${ROUTE_VARIABLE[route]}}}`],
          path: endpoint.path.split('/').slice(1),
          query: Object.entries(endpoint.query).map(([key, value]) => ({ key: encodeQueryPart(key), value: encodeQueryPart(value) })),
        },
        header: buildHeaders(endpoint),
        ...(endpoint.body === undefined ? {} : { body: buildBody(endpoint.body) }),
      },
      event: [{ listen: 'test', script: { id: idOf(folder, name, 'test'), type: 'text/javascript', exec: tests } }],
    };
  };
  const folder = (name: string, description: string, item: JsonObject[]): JsonObject =>
    ({ id: idOf(name), name, description: { content: description, type: 'text/markdown' }, item });

  const folders: JsonObject[] = [];
  if (config.health) {
    const health = { method: config.health.method, path: config.health.path, query: {}, headers: {} };
    folders.push(folder(HEALTH_FOLDER, 'Is the backend up? Requested directly at `{{backend_url}}`, past the gateway.', [
      request(HEALTH_FOLDER, HEALTH_REQUEST_NAME, 'backend', health),
    ]));
  }
  for (const route of ROUTES) {
    const where = route === 'gateway' ? 'through the gateway' : 'directly, past the gateway';
    folders.push(folder(ROUTE_FOLDER[route], `Every endpoint ${where}, at \`{{${ROUTE_VARIABLE[route]}}}\`.`,
      config.endpoints.map(({ name, ...endpoint }) => request(ROUTE_FOLDER[route], name, route, endpoint))));
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
    latencyTestName: latencyTestName(ms),
    maxResponseTimeMs: ms,
  });

  const collection = new Collection({
    info: { id: idOf(), name: config.name, description: { content: description, type: 'text/markdown' } },
    variable: [{ key: MAX_RESPONSE_TIME_VARIABLE, value: String(ms), type: 'string' }],
    item: folders,
  } as CollectionDefinition);
  return withRawUrls(collection);
}

/**
 * The SDK's toJSON() leaves `url.raw` out (postman-collection issue #1211), but the Postman app and
 * other importers show the URL from it, so it is put back, first, as the app exports it.
 */
function withRawUrls(collection: InstanceType<typeof Collection>): PostmanCollectionJson {
  const rawById = new Map<string, string>();
  collection.forEachItem((item) => void rawById.set(item.id, item.request.url.toString()));
  const json = collection.toJSON() as unknown as PostmanCollectionJson;
  const visit = (items: JsonObject[] | undefined) => {
    for (const item of items ?? []) {
      const raw = rawById.get(item.id as string);
      const request = item.request as JsonObject | undefined;
      if (request && raw !== undefined) request.url = { raw, ...(request.url as JsonObject) };
      visit(item.item as JsonObject[] | undefined);
    }
  };
  visit(json.item);
  // `info` first, as the Postman app exports it: the file opens with what it is.
  const { info, ...rest } = json;
  return { info, ...rest };
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
