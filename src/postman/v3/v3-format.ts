/**
 * The Postman Collection v3 format (schema 3.0.0, Postman v12's Native Git): a collection is a
 * directory of YAML files. What is here was learned from Postman's "Collections schemas" page and
 * checked against what Postman's own CLI (`postman collection migrate`, `lint`, `run`, 1.34.0) writes
 * and accepts:
 *
 * ```
 * <collection>/.resources/definition.yaml     $kind: collection — name, description, variables, auth (a list), scripts
 * <collection>/<request>.request.yaml          $kind: http-request — url, method, headers, queryParams, pathVariables, body, auth, scripts, order
 * <collection>/<folder>/.resources/definition.yaml   $kind: collection too — description, auth, scripts, order
 * ```
 *
 * A request's name is its file name unless the file says `name:` (Postman writes it when the name is
 * not file-safe); a folder's is its directory name. Siblings are ordered by `order`, then by name.
 */

export const DEFINITION_DIR = '.resources';
export const DEFINITION_FILE = 'definition.yaml';
export const REQUEST_SUFFIX = '.request.yaml';
/** Postman also parses `.yml`; it writes `.yaml`. */
export const REQUEST_SUFFIX_YML = '.request.yml';
export const COLLECTION_KIND = 'collection';
export const HTTP_REQUEST_KIND = 'http-request';
export const GRAPHQL_REQUEST_KIND = 'graphql-request';
/** Kinds Postman knows that Newman cannot send (and so neither can debug502). */
export const OTHER_REQUEST_KINDS = ['grpc-request', 'websocket-request', 'socketio-request', 'mqtt-request', 'mcp-request', 'llm-request'];
/** The gap `migrate` leaves between sibling orders, so a hand-inserted item fits between two. */
export const ORDER_STEP = 1000;

/** Script types: requests say `beforeRequest`, collections and folders `http:beforeRequest`. */
export const SCRIPT_TYPE = {
  prerequest: { request: 'beforeRequest', scope: 'http:beforeRequest' },
  test: { request: 'afterResponse', scope: 'http:afterResponse' },
} as const;
export type V2Listen = keyof typeof SCRIPT_TYPE;

/** v3 `body.type` for each v2.1 raw-body language (no language: text). */
export const RAW_BODY_TYPES: Readonly<Record<string, string>> = { json: 'json', text: 'text', xml: 'xml', html: 'html', javascript: 'javascript' };

/** The auth types of the v2.1 schema: what newman can apply. */
export const AUTH_TYPES = ['apikey', 'awsv4', 'basic', 'bearer', 'digest', 'edgegrid', 'hawk', 'noauth', 'oauth1', 'oauth2', 'ntlm', 'jwt', 'asap'];

/** One file of a v3 collection: its path inside the collection directory ("/"-separated) and its YAML. */
export interface V3File {
  path: string;
  text: string;
}

/**
 * A name as a file or directory name, as `postman collection migrate` makes it: every character a
 * file system or a URL path refuses (`/ \ : * ? " < > |`, control characters) becomes "-", leading
 * and trailing dots and spaces go, and an empty result is "untitled".
 */
export function toFileSafeName(name: string): string {
  // eslint-disable-next-line no-control-regex
  const safe = name.replace(/[/\\:*?"<>|\u0000-\u001f]/g, '-').replace(/^[\s.]+|[\s.]+$/g, '');
  return safe === '' ? 'untitled' : safe;
}

/**
 * File-safe names for siblings, unique regardless of case (the schema's rule, and what macOS and
 * Windows need): a repeat gets " 1", " 2", … as `migrate` does ("dup", "dup 1", "DUP 2").
 */
export function uniqueFileNames(names: readonly string[]): string[] {
  const taken = new Set<string>();
  return names.map((name) => {
    const base = toFileSafeName(name);
    let candidate = base;
    for (let n = 1; taken.has(candidate.toLowerCase()); n += 1) candidate = `${base} ${n}`;
    taken.add(candidate.toLowerCase());
    return candidate;
  });
}
