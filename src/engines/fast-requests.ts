/**
 * The requests of a Postman collection, prepared once for the fast engine from the postman room's
 * request descriptions (src/postman/describe-request.ts: folder selection as newman's `--folder`,
 * variables with newman's precedence, auth applied, every body mode as text). What is left here is
 * what only this engine needs: the system headers postman-runtime would add, the headers its client
 * sets itself, and — when the request holds no dynamic variable — its target and its bytes.
 *
 * What the fast engine cannot do faithfully is refused before any request, all of it at once:
 * user scripts (pre-request or test, at any level — only newman runs them), auth types or bodies
 * that need more than the collection holds, URLs whose variables are not set — and what no client
 * may send: a method or header name that is no token, a header value with a line break or control
 * character (src/postman/unsendable.ts; newman refuses those too, and they could smuggle a second
 * request into the connection).
 */
import { CONFIG_DEFAULTS } from '../config/defaults.js';
import { InputError } from '../errors.js';
import type { Route } from '../model.js';
import { describeRequests, drawRequest, type RequestDescription } from '../postman/describe-request.js';
import { findDescribedHeadProblems, refuseUnsendable } from '../postman/unsendable.js';
import { VERSION } from '../version.js';
import { encodeRequest } from './fast-encode.js';
import { objectCache } from './object-cache.js';

/** Where a request goes. */
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
  description: RequestDescription;
  /** Parsed once when the URL has no dynamic variable. */
  target?: RequestTarget;
  /** Flat name, value, name, value… (repeated headers stay repeated), system headers added; when not dynamic. */
  headers?: string[];
  /** The request on the wire (fast-http1.ts), encoded once; when not dynamic and its headers can be sent. */
  bytes?: Buffer;
}

export interface PreparedRun {
  requests: PreparedRequest[];
  /** The `max_response_time_ms` variable; 5000 when unset; NaN when set to something not above 0. */
  maxResponseTimeMs: number;
}

export interface PrepareInput {
  collection: object;
  environment?: object;
  globals?: object;
  envVars?: Record<string, string>;
  folder?: string | string[];
}

/** The guide's "Response under 5 seconds": the limit when the collection sets none. */
export const DEFAULT_MAX_RESPONSE_TIME_MS = CONFIG_DEFAULTS.maxResponseTimeMs;
/** The hint of the refusal below; the exports (Locust, k6) replace it with their own. */
export const ENGINE_HINT = 'use --engine newman: it runs scripts, every auth type and every body mode, as Postman does';

/** Sent when the request has none of its own, as postman-runtime adds its system headers. */
const SYSTEM_HEADERS: readonly [string, string][] = [
  ['User-Agent', `debug502/${VERSION} (fast engine)`],
  ['Accept', '*/*'],
  ['Cache-Control', 'no-cache'],
  ['Accept-Encoding', 'gzip, deflate, br'],
];
/** Headers the client sets itself (fast-encode.ts): the connection is its business, the length the body's. */
const DROPPED_HEADERS = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'expect', 'content-length']);

/** A tab or line break in a URL: WHATWG URLs drop them, postman-url-encoder (newman) percent-encodes them. */
const URL_TAB_OR_NEWLINE = /[\t\n\r]/g;
const ENCODED: Record<string, string> = { '\t': '%09', '\n': '%0A', '\r': '%0D' };

/** `http://host:port/path?q` (no scheme: http, as Postman assumes) → origin and path (a line break in it percent-encoded, as newman sends it). */
export function parseTarget(url: string): RequestTarget {
  const text = url.replace(URL_TAB_OR_NEWLINE, (char) => ENCODED[char]);
  const parsed = new URL(/^[a-z][a-z\d+.-]*:\/\//i.test(text) ? text : `http://${text}`);
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new TypeError(`not an http(s) URL: ${url}`);
  // WHATWG URLs take `{{name}}` as a host name: an unset variable would be looked up in DNS.
  if (/[{}]/.test(parsed.hostname)) throw new TypeError(`unresolved variable in the host: ${url}`);
  return { origin: parsed.origin, path: `${parsed.pathname}${parsed.search}` };
}

/**
 * The requests of `input.folder` (every request when absent), nested folders flattened in order.
 * Throws InputError when a folder is not found, or — listing every item — when any request cannot
 * be sent faithfully by this engine.
 */
export function prepareRequests(input: PrepareInput): PreparedRun {
  // A ramp step starts C users on the same objects at once: describing once, not C times, keeps the
  // last user from starting a describe-time later than the first.
  const key = JSON.stringify([objectId(input.environment), objectId(input.globals), input.envVars ?? null, input.folder ?? null]);
  return PREPARED(input.collection, key, () => describeForFastEngine(input));
}

/** Prepared runs by collection object, then by the rest of the input: the same objects give the same (read-only) run. */
const PREPARED = objectCache<PreparedRun>(16);
const OBJECT_IDS = new WeakMap<object, number>();
let nextObjectId = 1;
function objectId(value: object | undefined): number {
  if (value === undefined) return 0;
  let id = OBJECT_IDS.get(value);
  if (id === undefined) OBJECT_IDS.set(value, (id = nextObjectId++));
  return id;
}

function describeForFastEngine(input: PrepareInput): PreparedRun {
  const described = describeRequests(input);
  // First what no client may send (newman refuses it too): its own words, not "use newman".
  refuseUnsendable(findDescribedHeadProblems(described.requests));
  const problems = described.requests.flatMap(findFastEngineProblems);
  if (problems.length > 0) {
    throw new InputError(`the fast engine cannot send ${problems.length === 1 ? 'this request' : 'these requests'} as newman would`, problems, ENGINE_HINT);
  }
  const limit = described.resolve('{{max_response_time_ms}}').text;
  const maxResponseTimeMs = limit.includes('{{') ? DEFAULT_MAX_RESPONSE_TIME_MS : Number(limit) > 0 ? Number(limit) : NaN;
  return { requests: described.requests.map(prepareRequest), maxResponseTimeMs };
}

/** Why the fast engine would send `request` differently from newman, one line each (none: it can send it). */
export function findFastEngineProblems(request: RequestDescription): string[] {
  const problems = request.scripts.map((script) => `"${request.path}": ${script.listen === 'prerequest' ? 'a pre-request' : 'a test'} script at ${script.where === request.path ? 'the request' : `"${script.where}"`}`);
  for (const what of request.unsupported) problems.push(`"${request.path}": ${what} is not supported`);
  if (!request.dynamic) {
    try {
      parseTarget(request.url);
    } catch {
      problems.push(`"${request.path}": its URL ${JSON.stringify(request.rawUrl)} resolves to ${JSON.stringify(request.url)}, not an http(s) URL — are its variables set?`);
    }
  }
  return problems;
}

/** The URL, flat headers and body to send for one request, dynamic variables drawn afresh. */
export function renderRequest(request: PreparedRequest): { target: RequestTarget; headers: string[]; body?: string; bytes?: Buffer } {
  if (request.target && request.headers) return { target: request.target, headers: request.headers, body: request.description.body?.text, bytes: request.bytes };
  const drawn = drawRequest(request.description);
  return { target: parseTarget(drawn.url), headers: flattenHeaders(drawn.headers), body: drawn.body };
}

function prepareRequest(description: RequestDescription): PreparedRequest {
  const prepared: PreparedRequest = {
    item: description.name,
    itemId: description.id,
    route: description.route === 'health' ? 'backend' : description.route,
    request: description.request,
    method: description.method,
    description,
  };
  if (!description.dynamic) {
    prepared.target = parseTarget(description.url);
    prepared.headers = flattenHeaders(description.headers);
    try {
      prepared.bytes = encodeRequest({ target: prepared.target, method: description.method, headers: prepared.headers, body: description.body?.text });
    } catch {
      // Not reached for what refuseUnsendable refused; anything else fails each send as newman's client would.
    }
  }
  return prepared;
}

/** The headers the fast engine sends for a description's headers, as pairs (exports send the same bytes). */
export function withSystemHeaders(headers: readonly [string, string][]): [string, string][] {
  const flat = flattenHeaders(headers);
  const pairs: [string, string][] = [];
  for (let i = 0; i + 1 < flat.length; i += 2) pairs.push([flat[i], flat[i + 1]]);
  return pairs;
}

/** Headers as the client takes them: flat pairs, hop-by-hop ones dropped, the system headers the request lacks added. */
function flattenHeaders(headers: readonly [string, string][]): string[] {
  const flat: string[] = [];
  const present = new Set<string>();
  for (const [name, value] of headers) {
    const lower = name.trim().toLowerCase();
    if (lower === '' || DROPPED_HEADERS.has(lower)) continue;
    present.add(lower);
    flat.push(name, value);
  }
  for (const [name, value] of SYSTEM_HEADERS) if (!present.has(name.toLowerCase())) flat.push(name, value);
  return flat;
}
