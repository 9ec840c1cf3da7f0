/**
 * What Node's HTTP client lets into a request's head — the rules of lib/_http_common.js
 * (`checkIsHttpToken`, `checkInvalidHeaderChar`) and lib/_http_client.js (the request path):
 * - the method and every header name are tokens (RFC 9110 tchar: letters, digits, !#$%&'*+-.^_`|~);
 * - a header value holds no byte but HTAB, SP…~ and U+0080…U+00FF — no CR, LF, NUL, other
 *   control character, DEL, nor anything above U+00FF;
 * - the path holds nothing outside U+0021…U+00FF (no space, no control character).
 * newman sends through that client, so what breaks a rule is what newman refuses to send
 * (ERR_INVALID_HTTP_TOKEN, ERR_INVALID_CHAR, ERR_UNESCAPED_CHARACTERS); the fast engine, which
 * writes its own bytes, keeps the same rules so nothing it writes can end a line or a head early.
 * test/engines/wire-refusals.test.ts checks these against Node's own functions for every code unit up to U+01FF.
 */

const TOKEN = /^[\^_`a-zA-Z\-0-9!#$%&'*+.|~]+$/;
const INVALID_HEADER_CHAR = /[^\t\x20-\x7e\x80-\xff]/;
const INVALID_PATH_CHAR = /[^\u0021-\u00ff]/;

/** Whether `text` may be a method or a header name (a non-empty token). */
export function isHttpToken(text: string): boolean {
  return TOKEN.test(text);
}

/** Whether a header value holds a character Node's client refuses. */
export function hasInvalidHeaderChar(value: string): boolean {
  return INVALID_HEADER_CHAR.test(value);
}

/** Whether a request path (with its query) holds a character Node's client refuses. */
export function hasInvalidPathChar(path: string): boolean {
  return INVALID_PATH_CHAR.test(path);
}

/** The first character of `value` a header may not hold, named: "a line break (CR)", "U+20AC (above U+00FF)". */
export function describeInvalidHeaderChar(value: string): string {
  const char = INVALID_HEADER_CHAR.exec(value)?.[0];
  if (char === undefined) return 'nothing invalid';
  const code = char.charCodeAt(0);
  const hex = `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  if (char === '\r') return 'a line break (CR)';
  if (char === '\n') return 'a line break (LF)';
  if (code === 0) return 'a NUL';
  if (code < 0x20 || code === 0x7f) return `the control character ${hex}`;
  return `${hex} (above U+00FF, which a header cannot carry)`;
}

/** `text` as JSON (line breaks shown as \r\n), cut after `max` characters: for messages. */
export function quoteForMessage(text: string, max = 60): string {
  return JSON.stringify(text.length > max ? `${text.slice(0, max)}…` : text);
}
