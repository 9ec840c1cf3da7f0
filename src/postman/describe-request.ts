/**
 * A collection's requests as plain data — method, URL, headers and body, with variables resolved
 * and auth applied, a body pruned where postman-runtime prunes it (body-pruning.ts), exactly what
 * newman would put on the wire apart from its system headers
 * (User-Agent, Accept, …: a sender adds its own) and dynamic variables (kept as `{{$guid}}`, drawn
 * at each send by drawRequest). The fast engine sends these; exporters translate them. Pure: the
 * input is read, never changed; the same input gives the same descriptions.
 */
import postmanCollection from 'postman-collection';
import { applyAuth } from './auth.js';
import { prunesBody } from './body-pruning.js';
import { describeBody, encodeForm, encodeMultipart, multipartBoundary, type RequestBody } from './body.js';
import { itemPath, selectRequestItems, type ItemJson } from './items.js';
import { requestKeyOf, routeOfItem, type ItemRoute } from './route.js';
import { findUserScripts, type ScriptAt } from './scripts.js';
import { methodOfRequest } from './unsendable.js';
import { createTextResolver, drawDynamicVariables, findUnresolvedVariables, type ResolveText, type VariableSources } from './variables.js';

const { Request, RequestAuth, Url } = postmanCollection;

/** One request of a collection, ready to send. */
export interface RequestDescription {
  /** The item's id (its path when it has none). */
  id: string;
  name: string;
  /** The folders it sits in, outermost first. */
  folders: string[];
  /** "Through gateway / Orders / Get order". */
  path: string;
  route: ItemRoute | null;
  /** `GET /api/users/:id`: the URL without its route variable, the same on both routes. */
  request: string;
  method: string;
  /** The URL as the collection writes it, unresolved. */
  rawUrl: string;
  /** The URL to send: variables resolved, path variables filled in, auth query parameters added. */
  url: string;
  /** Every header to send, in order (repeats kept): the request's own, then the auth's, then the body's Content-Type when it set none. */
  headers: [string, string][];
  body?: RequestBody;
  /** The auth applied (inherited from a folder or the collection when the request has none); absent for none. */
  auth?: { type: string; in: 'header' | 'query' | 'none' };
  /** URL, a header or the body still hold `{{$dynamic}}` variables: drawRequest draws them. */
  dynamic: boolean;
  /** `{{variables}}` no scope sets, each once: newman would send them as they are. */
  unresolved: string[];
  /** What could not be described faithfully (an auth type, a file body): a sender should refuse the request. */
  unsupported: string[];
  /** The user scripts that run around it (collection, folders, own); debug502's generated tests are not listed. */
  scripts: ScriptAt[];
}

export interface DescribeInput extends VariableSources {
  /** newman's `folder`: ids or names of folders or requests (absent: every request). */
  folder?: string | readonly string[];
}

export interface DescribedRequests {
  requests: RequestDescription[];
  /** The resolver the descriptions were made with, for other variables (e.g. `max_response_time_ms`). */
  resolve: ResolveText;
}

/**
 * Describes the requests `input.folder` selects, in run order. Throws InputError when a folder is
 * not found; never for what a request holds — that is in its `unsupported`, `unresolved`, `scripts`.
 */
export function describeRequests(input: DescribeInput): DescribedRequests {
  const collection = input.collection as { item?: unknown; auth?: unknown; event?: unknown };
  const resolve = createTextResolver(input);
  const requests = selectRequestItems(collection, input.folder).map(({ item, folders }) => describeItem(collection, folders, item, resolve));
  return { requests, resolve };
}

/** A description's URL, headers and body with its dynamic variables drawn (fresh values each call). */
export function drawRequest(description: RequestDescription): { url: string; headers: [string, string][]; body?: string } {
  const { body } = description;
  if (!description.dynamic) return { url: description.url, headers: description.headers, ...(body ? { body: body.text } : {}) };
  const headers = description.headers.map(([name, value]): [string, string] => [drawDynamicVariables(name), drawDynamicVariables(value)]);
  return { url: drawDynamicVariables(description.url), headers, ...(body ? { body: drawBody(body) } : {}) };
}

function drawBody(body: RequestBody): string {
  if (!body.fields) return drawDynamicVariables(body.text);
  const fields = body.fields.map(([key, value]): [string, string] => [drawDynamicVariables(key), drawDynamicVariables(value)]);
  return body.mode === 'urlencoded' ? encodeForm(fields) : encodeMultipart(fields, multipartBoundary(body.contentType));
}

function describeItem(collection: { auth?: unknown; event?: unknown }, folders: ItemJson[], item: ItemJson, resolve: ResolveText): RequestDescription {
  const request = new Request(item.request as never);
  const method = methodOfRequest(item.request);
  // The SDK's toString fills in path variables; the raw URL keeps `:id`, as the collection writes it.
  const rawUrl = new Url({ ...request.url.toJSON(), variable: [] } as never).toString();
  const folderNames = folders.map((folder) => folder.name ?? '(unnamed)');
  const path = itemPath(item, folders);
  const id = item.id ?? path;
  const unsupported: string[] = [];
  let dynamic = false;
  const text = (value: unknown) => {
    const resolved = resolve(value === undefined || value === null ? '' : String(value));
    dynamic ||= resolved.dynamic;
    return resolved.text;
  };

  const authJson = effectiveAuth(collection, folders, item);
  const authType = (authJson as { type?: string } | undefined)?.type;
  const parameters: Record<string, unknown> = {};
  if (authJson) {
    for (const [key, value] of Object.entries(new RequestAuth(authJson as never).parameters().toObject())) parameters[key] = typeof value === 'string' ? text(value) : value;
  }
  const applied = applyAuth(authType, parameters);
  if (applied.unsupported) unsupported.push(`its "${applied.unsupported}" auth`);

  const pathVariables = request.url.variables.all().map((v) => ({ key: v.key ?? '', value: text(v.value ?? '') }));
  const url = new Url({ ...new Url(text(rawUrl)).toJSON(), variable: pathVariables } as never);
  for (const [key, value] of applied.query) {
    url.query.remove((param: { key: string | null }) => param.key === key, undefined as never);
    url.query.add({ key: encodeQueryPart(key), value: encodeQueryPart(value) } as never);
  }

  const headers: [string, string][] = [];
  const authHeaderNames = new Set(applied.headers.map(([name]) => name.toLowerCase()));
  for (const header of request.headers.all() as { key: string; value?: unknown; disabled?: boolean }[]) {
    if (header.disabled || !header.key) continue;
    const name = text(header.key);
    if (!authHeaderNames.has(name.trim().toLowerCase())) headers.push([name, text(header.value)]);
  }
  headers.push(...applied.headers);

  // A GET's body (and a HEAD's, COPY's, …) is dropped, as postman-runtime drops it — judged on the
  // SDK's method, which keeps an empty one empty where postman-request then sends a GET.
  const bodyJson = prunesBody(String(request.method ?? ''), collection, folders, item) ? undefined : (item.request as { body?: unknown } | undefined)?.body;
  const body = describeBody(bodyJson, (value) => {
    const resolved = resolve(value);
    dynamic ||= resolved.dynamic;
    return resolved;
  }, id);
  let requestBody: RequestBody | undefined;
  if (body && 'unsupported' in body) unsupported.push(body.unsupported);
  else if (body) {
    requestBody = body;
    if (!headers.some(([name]) => name.trim().toLowerCase() === 'content-type')) headers.push(['Content-Type', body.contentType]);
  }

  const resolvedUrl = url.toString();
  const unresolved = findUnresolvedVariables([resolvedUrl, ...headers.flat(), requestBody?.text ?? ''].join('\n'));
  const description: RequestDescription = {
    id,
    name: item.name ?? '(unnamed)',
    folders: folderNames,
    path,
    route: routeOfItem(rawUrl, item.name ?? '', folderNames),
    request: requestKeyOf(method, rawUrl),
    method,
    rawUrl,
    url: resolvedUrl,
    headers,
    dynamic,
    unresolved,
    unsupported,
    scripts: findUserScripts(collection, folders, item),
  };
  if (requestBody) description.body = requestBody;
  if (authType && authType !== 'noauth' && authType !== 'inherit' && !applied.unsupported) {
    description.auth = { type: authType, in: applied.headers.length > 0 ? 'header' : applied.query.length > 0 ? 'query' : 'none' };
  }
  return description;
}

/**
 * The auth a request runs with: its own, else the nearest folder's, else the collection's, as the
 * SDK's `Item#getAuth` finds it. An explicit `{ "type": "inherit" }` is an auth of its own to newman
 * (one it knows no way to apply, so it sends none): kept so, to send what newman sends — generate
 * drops it from the collections it writes, so that they inherit as the Postman app does.
 */
function effectiveAuth(collection: { auth?: unknown }, folders: readonly ItemJson[], item: ItemJson): unknown {
  const own = (node: { auth?: unknown } | undefined) => {
    const auth = node?.auth as { type?: string } | null | undefined;
    return auth && typeof auth === 'object' && auth.type ? auth : undefined;
  };
  const chain = [item.request as { auth?: unknown } | undefined, ...[...folders].reverse(), collection];
  for (const node of chain) {
    const auth = own(node);
    if (auth) return auth;
  }
  return undefined;
}

/** Percent-encodes a query key or value added by auth, leaving `{{$dynamic}}` references to draw. */
function encodeQueryPart(text: string): string {
  return text.split(/(\{\{\$[^{}]+\}\})/).map((part, i) => (i % 2 === 1 ? part : encodeURIComponent(part))).join('');
}
