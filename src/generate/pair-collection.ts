/**
 * A user's collection (v2.1 JSON) as a "502 Debugging" collection: every request twice, under
 * ROUTE_FOLDER.gateway and ROUTE_FOLDER.backend, the folder tree kept inside each, the request's
 * base (a leading `{{baseUrl}}`, or a literal scheme + host) replaced by `{{gateway_url}}` /
 * `{{backend_url}}`, and the guide's two tests put in front of each request's own test script.
 * Everything else is kept as it is: method, headers, query, path variables, bodies, auth at every
 * level, collection variables, pre-request and test scripts (saved response examples are not).
 * Pure and deterministic: ids derive from the collection's name and each item's place.
 */
import { NO_502_TEST, ROUTE_FOLDER, ROUTE_VARIABLE, ROUTES, latencyTestName, type Route } from '../model.js';
import { isFolder, itemPath, listRequestItems, type ItemJson } from '../postman/items.js';
import { OWN_SCRIPT_MARK } from '../postman/scripts.js';
import { baseOfUrl, chooseBase, countBases, rawUrlOf, rebaseUrl, type BaseUse } from './base-url.js';
import { MAX_RESPONSE_TIME_VARIABLE, type PostmanCollectionJson } from './build-collection.js';
import { renderRequestTests } from './render-templates.js';
import { stableUuid } from './stable-id.js';

const SCHEMA = 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json';

export interface PairOptions {
  /** What the collection came from, for its description: `conduit.postman_collection.json`. */
  source: string;
  /** `--base-var`: which base to replace when the requests use more than one. */
  baseVar?: string;
  maxResponseTimeMs: number;
  /** Default: the collection's own name, with " (502 Debugging)". */
  name?: string;
}

export interface PairedCollection {
  collection: PostmanCollectionJson;
  /** The base replaced, and every base the requests use. */
  base: BaseUse;
  bases: BaseUse[];
  /** Requests left out because their URL does not start with the base ("Auth / Login: https://other/…"). */
  leftOut: string[];
  /** Path variables that had no value: now `{{name}}`, a collection variable set to "1". */
  filledPathVariables: string[];
  /** Requests per route folder. */
  requests: number;
}

type Json = Record<string, unknown>;

/** Pairs `source` (a v2.1 collection); InputError when no base can be found or --base-var is not used. */
export function pairCollection(source: { info?: Json; item?: unknown; auth?: unknown; event?: unknown; variable?: unknown }, options: PairOptions): PairedCollection {
  const requests = listRequestItems(source.item);
  const bases = countBases(requests.map(({ item }) => rawUrlOf((item.request as Json | string | undefined) && typeof item.request === 'object' ? (item.request as Json).url : item.request)));
  const base = chooseBase(bases, options.baseVar, options.source);
  const sourceName = typeof source.info?.name === 'string' && source.info.name.trim() !== '' ? source.info.name : 'Collection';
  const name = options.name ?? `${sourceName} (502 Debugging)`;
  const idOf = (...path: (string | number)[]) => stableUuid([`debug502 paired ${name}`, ...path].join('\u0000'));
  const leftOut: string[] = [];
  const emptyPathVariables = new Set<string>();
  const existingVariables = new Set((Array.isArray(source.variable) ? source.variable : []).map((v) => String((v as Json).key)));
  const latencyTest = latencyTestName(options.maxResponseTimeMs);

  const copyItems = (items: unknown, route: Route, folders: ItemJson[], at: (string | number)[]): Json[] => {
    const out: Json[] = [];
    (Array.isArray(items) ? (items as ItemJson[]) : []).forEach((item, index) => {
      const place = [...at, index];
      if (isFolder(item)) {
        const children = copyItems(item.item, route, [...folders, item], place);
        if (children.length > 0 || item.item.length === 0) out.push(withoutIds({ ...item, id: idOf(route, ...place), auth: normalizeAuth(item.auth), item: children }));
        return;
      }
      if (item.request === undefined) return;
      const request: Json = typeof item.request === 'string' ? { method: 'GET', url: item.request } : { ...(item.request as Json) };
      const url = rebaseUrl(request.url, base.base, ROUTE_VARIABLE[route]);
      if (!url) {
        if (route === 'gateway') leftOut.push(`${itemPath(item, folders)}: ${rawUrlOf(request.url)}`);
        return;
      }
      if (Array.isArray(url.variable)) url.variable = url.variable.map((v) => fillPathVariable(v as Json, emptyPathVariables, existingVariables));
      request.url = url;
      const auth = normalizeAuth(request.auth);
      if (auth === undefined) delete request.auth;
      else request.auth = auth;
      const context = [ROUTE_FOLDER[route], ...folders.map((f) => f.name ?? ''), item.name ?? ''].join(' / ');
      const guide = renderRequestTests({ no502TestName: NO_502_TEST, latencyTestName: latencyTest, context, expectStatus: null, statusTestName: null });
      // Saved response examples are left out: documentation, not requests, and their own copies of
      // the old base URL would only mislead.
      const { response: _examples, ...rest } = item;
      out.push(withoutIds({ ...rest, id: idOf(route, ...place), request, event: withGuideTests(item.event, guide, idOf(route, ...place, 'test')) }));
    });
    return out;
  };

  const folders = ROUTES.map((route) => ({
    id: idOf(route),
    name: ROUTE_FOLDER[route],
    description: { content: `Every request of ${options.source} ${route === 'gateway' ? 'through the gateway' : 'directly, past the gateway'}, at \`{{${ROUTE_VARIABLE[route]}}}\` instead of \`${base.base}\`.`, type: 'text/markdown' },
    item: copyItems(source.item, route, [], []),
  }));
  const variables = (Array.isArray(source.variable) ? (source.variable as Json[]) : []).filter((v) => v.key !== MAX_RESPONSE_TIME_VARIABLE).map((v) => withoutIds({ ...v }));
  for (const key of emptyPathVariables) variables.push({ key, value: '1', type: 'string', description: 'A path variable the source left empty: set the real value here or with --env-var.' });
  variables.push({ key: MAX_RESPONSE_TIME_VARIABLE, value: String(options.maxResponseTimeMs), type: 'string' });

  const collection: PostmanCollectionJson = {
    info: { _postman_id: idOf(), name, schema: SCHEMA, description: { content: describePaired(options.source, base.base, latencyTest), type: 'text/markdown' } },
    item: folders,
    ...(normalizeAuth(source.auth) ? { auth: normalizeAuth(source.auth) } : {}),
    ...(Array.isArray(source.event) && source.event.length > 0 ? { event: source.event } : {}),
    variable: variables,
  };
  return { collection, base, bases, leftOut, filledPathVariables: [...emptyPathVariables], requests: listRequestItems(folders[0].item).length };
}

/**
 * The guide's test script first, then the request's own test script(s) after OWN_SCRIPT_MARK, in
 * one `test` event (the Postman app shows one test script per request): the guide's tests are
 * registered before the user's code runs, so a user script that throws on a 502 page cannot hide them.
 */
function withGuideTests(events: unknown, guide: string[], id: string): Json[] {
  const list = Array.isArray(events) ? (events as Json[]) : [];
  const own = list.filter((e) => e.listen === 'test' && !e.disabled);
  const ownLines = own.flatMap((e) => {
    const exec = (e.script as Json | undefined)?.exec;
    return Array.isArray(exec) ? exec.map(String) : typeof exec === 'string' ? exec.split('\n') : [];
  });
  const exec = ownLines.some((line) => line.trim() !== '') ? [...guide, '', OWN_SCRIPT_MARK, ...ownLines] : guide;
  const others = list.filter((e) => !own.includes(e)).map((e) => withoutIds({ ...e }));
  return [...others, { listen: 'test', script: { id, type: 'text/javascript', exec } }];
}

/** `{ type: "inherit" }` dropped, so the request inherits as in the Postman app (newman would send no auth). */
function normalizeAuth(auth: unknown): unknown {
  if (!auth || typeof auth !== 'object') return undefined;
  return (auth as Json).type === 'inherit' ? undefined : auth;
}

function fillPathVariable(variable: Json, empty: Set<string>, existing: Set<string>): Json {
  const value = variable.value;
  if (value !== undefined && value !== null && String(value) !== '') return variable;
  const key = String(variable.key ?? '');
  if (key === '') return variable;
  if (!existing.has(key)) empty.add(key);
  return { ...variable, value: `{{${key}}}` };
}

/** A copy without the ids the source gave (every item exists twice now; ids are set afresh). */
function withoutIds<T extends Json>(node: T): T {
  const copy: Json = { ...node };
  delete copy._postman_id;
  if (copy.id === undefined) delete copy.id;
  return copy as T;
}

function describePaired(source: string, base: string, latencyTest: string): string {
  return [
    `Generated by debug502 from ${source}: every request twice, once through the gateway and once straight to the backend behind it (the 502 guide's "test without the gateway").`,
    '',
    `- **${ROUTE_FOLDER.gateway}**: every request at \`{{${ROUTE_VARIABLE.gateway}}}\` instead of \`${base}\`.`,
    `- **${ROUTE_FOLDER.backend}**: the same requests, by the same names, at \`{{${ROUTE_VARIABLE.backend}}}\`.`,
    '',
    `Every request keeps its own scripts and gets the guide's tests: \`${NO_502_TEST}\` and \`${latencyTest}\` (the variable \`${MAX_RESPONSE_TIME_VARIABLE}\`).`,
    'Pick an environment that sets gateway_url and backend_url, then run it in Postman or with `newman run`.',
    '',
  ].join('\n');
}

export { baseOfUrl };
