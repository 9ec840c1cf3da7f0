/**
 * Requests no HTTP client may send as written — a method that is no token (`GET / HTTP/1.1\r\n…`
 * would smuggle a second request into the connection), a header name that is no token, a header
 * value holding a line break or a control character — found before anything is sent, with the
 * rules of Node's client (http-syntax.ts). newman refuses each such request when it comes to it
 * (ERR_INVALID_HTTP_TOKEN, ERR_INVALID_CHAR), and a run would read that refusal as the target's
 * failure ("gateway-unreachable"); the fast engine writes its own bytes and would send them. So
 * every command refuses the collection first: exit 2, naming the item and the field.
 */
import postmanCollection from 'postman-collection';
import { InputError } from '../errors.js';
import { describeInvalidHeaderChar, hasInvalidHeaderChar, isHttpToken, quoteForMessage } from './http-syntax.js';
import { itemPath, selectRequestItems } from './items.js';
import { findUserScripts } from './scripts.js';
import { createTextResolver, type VariableSources } from './variables.js';

const { Header } = postmanCollection;

/** What to tell a user whose collection holds such a request. */
export const UNSENDABLE_HINT = "fix it in the collection (the Postman app or the JSON): a method is one word of letters, digits and !#$%&'*+-.^_`|~, and so is a header name; a header value holds no line break or control character";

/** `{{$dynamic}}` references: drawn at each send, and each drawn value is checked when it is sent. */
const DYNAMIC_REFERENCE = /\{\{\$[^{}]*\}\}/g;

/** A request item's method as the SDK and postman-request make it: upper-cased; GET when absent or empty. */
export function methodOfRequest(request: unknown): string {
  const method = typeof request === 'object' && request !== null ? (request as { method?: unknown }).method : undefined;
  const text = method === undefined || method === null ? '' : String(method).toUpperCase();
  return text === '' ? 'GET' : text;
}

/**
 * Why Node's client would refuse a request with this method and these headers, one line per
 * field (none: it can be sent). `{{$dynamic}}` references are left out of the check.
 */
export function findHeadProblems(method: string, headers: readonly (readonly [string, string])[]): string[] {
  const problems: string[] = [];
  if (!isHttpToken(method)) problems.push(`its method ${quoteForMessage(method)} is not an HTTP token (newman refuses it: ERR_INVALID_HTTP_TOKEN)`);
  for (const [rawName, rawValue] of headers) {
    const name = rawName.replace(DYNAMIC_REFERENCE, '');
    const value = rawValue.replace(DYNAMIC_REFERENCE, '');
    if (name !== '' && !isHttpToken(name)) problems.push(`its header name ${quoteForMessage(rawName)} is not an HTTP token (newman refuses it: ERR_INVALID_HTTP_TOKEN)`);
    else if (hasInvalidHeaderChar(value)) problems.push(`the value of its header ${quoteForMessage(rawName)} holds ${describeInvalidHeaderChar(value)} (newman refuses it: ERR_INVALID_CHAR)`);
  }
  return problems;
}

export interface UnsendableInput extends VariableSources {
  /** newman's `folder`: only the requests it selects (absent: all). */
  folder?: string | readonly string[];
}

/**
 * Every request of `input.folder` that cannot be sent, `"Folder / item": why` — read from the
 * collection's JSON as written (a walk, not a full description: cheap on a 50,000-request
 * collection), header names and values with their variables resolved. A header whose text refers
 * to a variable is not judged when a pre-request script runs before the request: the script may
 * set the variable.
 */
export function findUnsendableRequests(input: UnsendableInput): string[] {
  const resolve = createTextResolver(input);
  const problems: string[] = [];
  for (const { item, folders } of selectRequestItems(input.collection as { item?: unknown }, input.folder)) {
    const scripted = findUserScripts(input.collection as { event?: unknown }, folders, item).some((script) => script.listen === 'prerequest');
    const headers: [string, string][] = [];
    for (const header of rawHeaders(item.request)) {
      if (scripted && (header.key.includes('{{') || header.value.includes('{{'))) continue;
      headers.push([resolve(header.key).text, resolve(header.value).text]);
    }
    for (const problem of findHeadProblems(methodOfRequest(item.request), headers)) problems.push(`"${itemPath(item, folders)}": ${problem}`);
  }
  return problems;
}

/** Throws InputError, naming `source` (the collection file) and every request of `input` that cannot be sent, when there is one. */
export function refuseUnsendableRequests(input: UnsendableInput, source: string): void {
  refuseUnsendable(findUnsendableRequests(input), source);
}

/** findHeadProblems of described requests (method and headers as sent, auth applied), `"Folder / item": why`. */
export function findDescribedHeadProblems(requests: readonly { path: string; method: string; headers: readonly (readonly [string, string])[] }[]): string[] {
  return requests.flatMap((request) => findHeadProblems(request.method, request.headers).map((problem) => `"${request.path}": ${problem}`));
}

/** Throws InputError (exit 2) listing `problems`, after `source` when given; nothing when there are none. */
export function refuseUnsendable(problems: readonly string[], source?: string): void {
  if (problems.length === 0) return;
  const what = `${problems.length === 1 ? 'a request' : `${problems.length} requests`} cannot be sent as written — nothing was sent`;
  throw new InputError(source ? `${source}: ${what}` : what, [...problems], UNSENDABLE_HINT);
}

/** The enabled headers of a request's JSON (an array of {key, value}, or the "Key: value" lines of v2.0), as text. */
function rawHeaders(request: unknown): { key: string; value: string }[] {
  const header = typeof request === 'object' && request !== null ? (request as { header?: unknown }).header : undefined;
  const entries = typeof header === 'string' ? Header.parse(header) : Array.isArray(header) ? header : [];
  const found: { key: string; value: string }[] = [];
  for (const entry of entries as { key?: unknown; value?: unknown; disabled?: boolean }[]) {
    if (!entry || entry.disabled || !entry.key) continue;
    found.push({ key: String(entry.key), value: entry.value === undefined || entry.value === null ? '' : String(entry.value) });
  }
  return found;
}
