/**
 * Masks secret values (src/postman/secret-values.ts finds them) as `***` in text and in report
 * data, in the forms they take on the way out: in any letter case (DNS and newman lower-case a
 * host: `SecretHost` comes back as `getaddrinfo ENOTFOUND secrethost`), with any of their
 * characters percent-encoded (a path or query: `a b/c` as `a%20b%2Fc`, `a+b/c`, half-encoded by
 * postman-collection, or encoded twice: `%252F`), JSON-escaped (`\"`, `\\`, `\/`), and a host
 * name in its punycode form (`bücher.example` as `xn--bcher-kva.example`).
 */
import { domainToASCII } from 'node:url';

/** What a secret becomes. */
export const MASK = '***';

/**
 * Values shorter than this are not masked: a 1–3 character "secret" (`1`, `dev`) would turn
 * ordinary text — status codes, numbers, words — into asterisks and make every report unreadable.
 */
export const MIN_SECRET_LENGTH = 4;

/** Replaces every secret in a text with `***`; the identity when there is none. */
export type Mask = (text: string) => string;

export const NO_MASK: Mask = (text) => text;

/** Characters no encoder changes (RFC 3986's unreserved): they match only as themselves. */
const UNRESERVED = /^[A-Za-z0-9\-_.~]$/;

/** A Mask for `secrets` (any order; duplicates and short ones dropped). Pure. */
export function createMask(secrets: Iterable<string>): Mask {
  const patterns = new Set<string>();
  for (const secret of secrets) {
    if (secret.length < MIN_SECRET_LENGTH) continue;
    patterns.add(patternOf(secret));
    const ascii = hostnameToAscii(secret);
    if (ascii !== undefined) patterns.add(patternOf(ascii));
  }
  if (patterns.size === 0) return NO_MASK;
  // Longest first, so a secret that contains another is masked whole.
  const pattern = new RegExp([...patterns].sort((a, b) => b.length - a.length).join('|'), 'giu');
  return (text) => (text.length < MIN_SECRET_LENGTH ? text : text.replace(pattern, MASK));
}

/**
 * The regular expression source that matches `secret` in every form it takes on the way out: each
 * character as itself or as each of its encodings (the `i` flag adds every letter case).
 */
function patternOf(secret: string): string {
  let source = '';
  for (const char of secret) {
    if (UNRESERVED.test(char)) { source += char; continue; }
    const forms = new Set([char, ...encodingsOf(char)]);
    source += `(?:${[...forms].sort((a, b) => b.length - a.length).map(escapeRegExp).join('|')})`;
  }
  return source;
}

/** What one reserved character can turn into: percent-encoded (once or twice), `+` for a space, JSON-escaped. */
function encodingsOf(char: string): string[] {
  const bytes = [...Buffer.from(char, 'utf8')].map((b) => b.toString(16).toUpperCase().padStart(2, '0'));
  const forms = [bytes.map((b) => `%${b}`).join(''), bytes.map((b) => `%25${b}`).join(''), JSON.stringify(char).slice(1, -1)];
  if (char === ' ') forms.push('+');
  if (char === '/') forms.push('\\/');
  return forms;
}

/** A host name's punycode form (`xn--…`) when it has one that differs; undefined for anything else. */
function hostnameToAscii(text: string): string | undefined {
  if (/^[\x00-\x7f]*$/.test(text) || /[\s/?#@:]/.test(text)) return undefined;
  const ascii = domainToASCII(text);
  return ascii !== '' && ascii !== text.toLowerCase() ? ascii : undefined;
}

/**
 * `value` with every string in it (object keys included) masked: for report data, before it is
 * rendered or written. Returns a copy; the input is not changed. Walks without recursion.
 */
export function maskDeep<T>(value: T, mask: Mask): T {
  if (mask === NO_MASK) return value;
  const copy = (node: unknown): unknown => (typeof node === 'string' ? mask(node) : Array.isArray(node) ? [...node] : isObject(node) ? { ...node } : node);
  const root = { value: copy(value) };
  const stack: unknown[] = [root.value];
  while (stack.length > 0) {
    const node = stack.pop();
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) {
        node[i] = copy(node[i]);
        stack.push(node[i]);
      }
    } else if (isObject(node)) {
      for (const key of Object.keys(node)) {
        const child = copy(node[key]);
        const maskedKey = mask(key);
        if (maskedKey !== key) delete node[key];
        node[maskedKey] = child;
        stack.push(child);
      }
    }
  }
  return root.value as T;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
