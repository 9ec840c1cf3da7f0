/**
 * The requests of a Postman collection, resolved once for the fast engine: which items a folder
 * selects (as newman's `--folder` finds them), and each item's method, URL, headers and body with
 * `{{variables}}` substituted by the postman-collection SDK — envVars over environment values over
 * collection variables, newman's precedence. Dynamic variables (`{{$guid}}`, `{{$randomInt}}`) are
 * left as templates and drawn again for every request, as newman does.
 *
 * What the fast engine cannot do faithfully — scripts that change the request, auth helpers,
 * form-data, file or GraphQL bodies — is refused with a RuntimeError naming the item, rather than
 * sending something else than newman would.
 */
import postmanCollection from 'postman-collection';
import { CONFIG_DEFAULTS } from '../config/defaults.js';
import { InputError, RuntimeError } from '../errors.js';
import type { Route } from '../model.js';
import { VERSION } from '../version.js';
import { requestKeyOf, routeOfUrl } from './newman.js';

const { Collection, ItemGroup, Property, VariableScope } = postmanCollection;

/** Text whose dynamic variables are drawn at each send; plain text when `dynamic` is false. */
export interface Template {
  text: string;
  dynamic: boolean;
  /** A urlencoded body's pairs: encoded after their variables are drawn. */
  form?: [Template, Template][];
}

/** Where a request goes, as undici takes it. */
export interface RequestTarget {
  origin: string;
  /** Path and query. */
  path: string;
}

export interface PreparedRequest {
  item: string;
  itemId: string;
  route: Route | null;
  /** `GET /api/users?page=1`: the request key of RequestOutcome. */
  request: string;
  method: string;
  url: Template;
  /** Parsed once when the URL has no dynamic variable. */
  target?: RequestTarget;
  /** Flat name, value, name, value… (repeated headers stay repeated). */
  headers: Template[];
  body?: Template;
}

export interface PreparedRun {
  requests: PreparedRequest[];
  /** The `max_response_time_ms` variable; 5000 when unset; NaN when set to something not above 0. */
  maxResponseTimeMs: number;
}

export interface PrepareInput {
  collection: object;
  environment?: object;
  envVars?: Record<string, string>;
  folder?: string | string[];
}

/** The guide's "Response under 5 seconds": the limit when the collection sets none. */
export const DEFAULT_MAX_RESPONSE_TIME_MS = CONFIG_DEFAULTS.maxResponseTimeMs;
const ENGINE_HINT = 'run this collection with the newman engine, which runs scripts and every body mode';

/** Sent when the request has none of its own, as postman-runtime adds its system headers. */
const SYSTEM_HEADERS: readonly [string, string][] = [
  ['User-Agent', `debug502/${VERSION} (fast engine)`],
  ['Accept', '*/*'],
  ['Cache-Control', 'no-cache'],
  ['Accept-Encoding', 'gzip, deflate, br'],
];
/** Headers undici sets itself (or refuses): the connection is its business, the length the body's. */
const DROPPED_HEADERS = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'expect', 'content-length']);
/** postman-runtime's Content-Type for a raw body of each language. */
const RAW_CONTENT_TYPE: Record<string, string> = {
  html: 'text/html', text: 'text/plain', json: 'application/json', javascript: 'application/javascript', xml: 'application/xml',
};
const DYNAMIC_MARK = '\u0000';
const DYNAMIC_TOKEN = /\{\{(\$[^{}]*?)\}\}/g;

/** Draws the dynamic variables of a template (a fresh `{{$guid}}` each call). */
export function renderTemplate(template: Template): string {
  if (!template.dynamic) return template.text;
  if (template.form) return encodeForm(template.form.map(([key, value]) => [renderTemplate(key), renderTemplate(value)]));
  return Property.replaceSubstitutions(template.text, []);
}

/** `http://host:port/path?q` (no scheme: http, as Postman assumes) → undici's origin and path. */
export function parseTarget(url: string): RequestTarget {
  const parsed = new URL(/^[a-z][a-z\d+.-]*:\/\//i.test(url) ? url : `http://${url}`);
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new TypeError(`not an http(s) URL: ${url}`);
  // WHATWG URLs take `{{name}}` as a host name: an unset variable would be looked up in DNS.
  if (/[{}]/.test(parsed.hostname)) throw new TypeError(`unresolved variable in the host: ${url}`);
  return { origin: parsed.origin, path: `${parsed.pathname}${parsed.search}` };
}

/**
 * The requests of `input.folder` (every request when absent), nested folders flattened in order.
 * Throws InputError when a folder is not found, RuntimeError when an item cannot be sent faithfully.
 */
export function prepareRequests(input: PrepareInput): PreparedRun {
  const collection = new Collection(input.collection as never);
  const environment = new VariableScope((input.environment ?? {}) as never);
  for (const [key, value] of Object.entries(input.envVars ?? {})) environment.set(key, value, undefined as never);
  const resolve = createResolver(input, [environment.values, collection.variables]);
  const requests = selectItems(collection, input.folder).map((item) => prepareItem(item, resolve));
  const limit = resolve('{{max_response_time_ms}}').text;
  const maxResponseTimeMs = limit.includes('{{') ? DEFAULT_MAX_RESPONSE_TIME_MS : Number(limit) > 0 ? Number(limit) : NaN;
  return { requests, maxResponseTimeMs };
}

type Resolve = (text: string) => Template;

/**
 * Substitution over the variable sources, first one wins. Dynamic variable names found anywhere in
 * the input are shielded by a marker during the one-time pass, then put back as `{{$name}}`.
 */
function createResolver(input: PrepareInput, sources: unknown[]): Resolve {
  const shield: Record<string, string> = {};
  const everything = JSON.stringify([input.collection, input.environment ?? null, input.envVars ?? null]);
  for (const match of everything.matchAll(DYNAMIC_TOKEN)) shield[match[1]] = `${DYNAMIC_MARK}${match[1]}${DYNAMIC_MARK}`;
  const marked = new RegExp(`${DYNAMIC_MARK}(\\$[^${DYNAMIC_MARK}]*)${DYNAMIC_MARK}`, 'g');
  return (text) => {
    // A fresh array each time: the SDK appends its dynamic variables to the one it is given.
    const resolved = Property.replaceSubstitutions(text, [...sources, shield] as never);
    const restored = resolved.replace(marked, '{{$1}}');
    return { text: restored, dynamic: restored !== resolved };
  };
}

type SdkItem = InstanceType<typeof postmanCollection.Item>;
type SdkGroup = InstanceType<typeof postmanCollection.ItemGroup<SdkItem>>;

/** newman's lookup: by id or name, a level's own children before their children; folders flatten. */
function selectItems(collection: SdkGroup, folder: string | string[] | undefined): SdkItem[] {
  const flatten = (node: SdkItem | SdkGroup): SdkItem[] => {
    if (!ItemGroup.isItemGroup(node)) return [node as SdkItem];
    const items: SdkItem[] = [];
    (node as SdkGroup).forEachItem((item) => items.push(item));
    return items;
  };
  if (folder === undefined || (Array.isArray(folder) && folder.length === 0)) return flatten(collection);
  const names = Array.isArray(folder) ? folder : [folder];
  const found = names.map((name) => findNode(collection, name));
  const missing = names.filter((_, i) => !found[i]);
  if (missing.length > 0) {
    throw new InputError(`collection: no folder or request named ${missing.map((n) => `"${n}"`).join(', ')}`, [], 'check the folder name (case matters)');
  }
  // Several entries run in collection order, each item once (newman's multipleIdOrName).
  const seen = new Set<string>();
  const order = flatten(collection).map((item) => item.id);
  return found
    .flatMap((node) => flatten(node!))
    .filter((item) => !seen.has(item.id) && seen.add(item.id))
    .sort((a, b) => order.indexOf(a.id) - order.indexOf(b.id));
}

function findNode(group: SdkGroup, name: string): SdkItem | SdkGroup | undefined {
  const children = (group.items as unknown as { all(): (SdkItem | SdkGroup)[] }).all();
  const own = children.find((child) => child.id === name || child.name === name);
  if (own) return own;
  for (const child of children) {
    if (!ItemGroup.isItemGroup(child)) continue;
    const inner = findNode(child as SdkGroup, name);
    if (inner) return inner;
  }
  return undefined;
}

/** "Through gateway / Create user": where an item sits, for messages. */
function itemPath(item: SdkItem): string {
  const names: string[] = [item.name];
  for (let parent = item.parent() as any; parent && typeof parent.parent === 'function' && parent.parent(); parent = parent.parent()) {
    names.unshift(parent.name);
  }
  return names.join(' / ');
}

function refuse(item: SdkItem, what: string): never {
  throw new RuntimeError(`the fast engine cannot send "${itemPath(item)}": ${what}`, ENGINE_HINT);
}

function hasCode(event: { script?: { exec?: string[] | string } }): boolean {
  const exec = event.script?.exec ?? [];
  const code = Array.isArray(exec) ? exec.join('\n') : String(exec);
  return code.replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '').trim() !== '';
}

function prepareItem(item: SdkItem, resolve: Resolve): PreparedRequest {
  const request = item.request as any;
  if ((item.events as any).listeners('prerequest').some(hasCode)) refuse(item, 'it has a pre-request script');
  const auth = item.getAuth() as { type?: string } | undefined;
  if (auth?.type && auth.type !== 'noauth') refuse(item, `its "${auth.type}" auth is not supported`);
  const rawUrl: string = request.url.toString();
  const method = String(request.method ?? 'GET').toUpperCase();
  const url = resolve(rawUrl);
  let target: RequestTarget | undefined;
  if (!url.dynamic) {
    try {
      target = parseTarget(url.text);
    } catch {
      refuse(item, `its URL ${JSON.stringify(rawUrl)} resolves to ${JSON.stringify(url.text)}, not an http(s) URL — are its variables set?`);
    }
  }
  const headers: Template[] = [];
  const present = new Set<string>();
  for (const header of request.headers.all() as { key: string; value: string; disabled?: boolean }[]) {
    if (header.disabled) continue;
    const name = resolve(header.key);
    const lower = name.text.trim().toLowerCase();
    if (lower === '' || DROPPED_HEADERS.has(lower)) continue;
    present.add(lower);
    headers.push(name, resolve(header.value ?? ''));
  }
  const body = prepareBody(item, resolve);
  if (body && !present.has('content-type')) headers.push(plain('Content-Type'), plain(body.contentType));
  for (const [name, value] of SYSTEM_HEADERS) if (!present.has(name.toLowerCase())) headers.push(plain(name), plain(value));
  return { item: item.name, itemId: item.id, route: routeOfUrl(rawUrl), request: requestKeyOf(method, rawUrl), method, url, target, headers, body: body?.text };
}

function plain(text: string): Template {
  return { text, dynamic: false };
}

function prepareBody(item: SdkItem, resolve: Resolve): { text: Template; contentType: string } | undefined {
  const body = (item.request as any).body;
  if (!body || body.disabled || !body.mode || body.isEmpty()) return undefined;
  if (body.mode === 'raw') {
    const language: string = body.options?.raw?.language ?? 'text';
    const raw = typeof body.raw === 'string' ? body.raw : JSON.stringify(body.raw);
    return { text: resolve(raw), contentType: RAW_CONTENT_TYPE[language] ?? RAW_CONTENT_TYPE.text };
  }
  if (body.mode === 'urlencoded') {
    const params = (body.urlencoded.all() as { key: string; value?: string; disabled?: boolean }[]).filter((p) => !p.disabled);
    const form = params.map((p): [Template, Template] => [resolve(p.key), resolve(p.value ?? '')]);
    const dynamic = form.some(([key, value]) => key.dynamic || value.dynamic);
    const text = encodeForm(form.map(([key, value]) => [key.text, value.text]));
    return { text: { text, dynamic, form }, contentType: 'application/x-www-form-urlencoded' };
  }
  return refuse(item, `its body mode "${body.mode}" is not supported (raw and urlencoded are)`);
}

/** As postman-request's `form` (qs) encodes: RFC 3986, so `!'()*` are escaped too. */
function encodeForm(pairs: [string, string][]): string {
  const encode = (text: string) => encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return pairs.map(([key, value]) => `${encode(key)}=${encode(value)}`).join('&');
}
