/**
 * The base of a user's request URLs — a leading variable (`{{baseUrl}}`, `{{APIURL}}`, `{{host}}`,
 * with a port when one follows) or a literal scheme + host — and the rewrite of a URL onto a route
 * variable (`{{gateway_url}}/…`), the rest of the URL kept as it is.
 */
import postmanCollection from 'postman-collection';
import { InputError } from '../errors.js';

const { Url } = postmanCollection;

/** One base found in a collection, and how many requests start with it. */
export interface BaseUse {
  /** `{{baseUrl}}` or `https://api.box.com`. */
  base: string;
  requests: number;
}

const VARIABLE_BASE = /^\s*(\{\{\s*[^{}]+?\s*\}\}(?::\d+)?)/;
const LITERAL_BASE = /^\s*((?:https?:\/\/)[^/?#{}\s]+)/i;
const BARE_HOST = /^\s*((?:localhost|[\w-]+(?:\.[\w-]+)+|\d{1,3}(?:\.\d{1,3}){3})(?::\d+)?)(?=[/?#]|$)/i;

/** The unresolved text of a request's URL (a string, or an object with or without `raw`). */
export function rawUrlOf(url: unknown): string {
  if (typeof url === 'string') return url;
  if (!url || typeof url !== 'object') return '';
  const raw = (url as { raw?: unknown }).raw;
  if (typeof raw === 'string' && raw !== '') return raw;
  return new Url({ ...(url as object), variable: [] } as never).toString();
}

/** The base a URL starts with, or undefined (a relative or odd URL). */
export function baseOfUrl(url: string): string | undefined {
  return (VARIABLE_BASE.exec(url) ?? LITERAL_BASE.exec(url) ?? BARE_HOST.exec(url))?.[1].trim();
}

/** Every base the URLs use, most used first (ties: the first seen first). */
export function countBases(urls: readonly string[]): BaseUse[] {
  const counts = new Map<string, number>();
  for (const url of urls) {
    const base = baseOfUrl(url);
    if (base !== undefined) counts.set(base, (counts.get(base) ?? 0) + 1);
  }
  return [...counts].map(([base, requests]) => ({ base, requests })).sort((a, b) => b.requests - a.requests);
}

/**
 * The base to replace: `wanted` (`--base-var`: a variable name, with or without braces, or a literal
 * origin) when given, else the most used. Throws InputError when there is none, or `wanted` is
 * not one of them (the message lists what is there).
 */
export function chooseBase(uses: readonly BaseUse[], wanted: string | undefined, file: string): BaseUse {
  const listed = uses.map((use) => `${use.base} (${use.requests} request${use.requests === 1 ? '' : 's'})`);
  if (uses.length === 0) {
    throw new InputError(`${file}: no request URL starts with a variable such as {{baseUrl}} or with http(s)://host`, [], 'debug502 replaces that base with {{gateway_url}} and {{backend_url}}: give the requests absolute URLs or a base variable');
  }
  if (wanted === undefined) return uses[0];
  const name = wanted.trim().replace(/^\{\{\s*|\s*\}\}$/g, '');
  const found = uses.find((use) => use.base === wanted.trim() || use.base.replace(/^\{\{\s*|\s*\}\}(?::\d+)?$/g, '') === name || use.base.toLowerCase() === wanted.trim().toLowerCase().replace(/\/+$/, ''));
  if (!found) throw new InputError(`--base-var ${wanted}: no request URL starts with it`, listed.map((line) => `used: ${line}`), 'pass one of the bases listed');
  return found;
}

/**
 * `url` (string or object) with `base` replaced by `{{variable}}`, as a v2.1 URL object: raw, host,
 * path and query from the new raw text; the original query list (descriptions, disabled entries)
 * and path variables kept. Undefined when the URL does not start with `base`.
 */
export function rebaseUrl(url: unknown, base: string, variable: string): Record<string, unknown> | undefined {
  const raw = rawUrlOf(url);
  if (baseOfUrl(raw) !== base) return undefined;
  const rest = raw.trim().slice(base.length);
  const rebased = `{{${variable}}}${rest === '' || /^[/?#]/.test(rest) ? rest : `/${rest}`}`;
  const parsed = Url.parse(rebased) as unknown as Record<string, unknown>;
  const original = typeof url === 'object' && url !== null ? (url as Record<string, unknown>) : {};
  const out: Record<string, unknown> = { raw: rebased, host: parsed.host };
  if (Array.isArray(parsed.path) && parsed.path.length > 0) out.path = parsed.path;
  const query = Array.isArray(original.query) ? original.query : parsed.query;
  if (Array.isArray(query) && query.length > 0) out.query = query;
  if (parsed.hash !== undefined) out.hash = parsed.hash;
  const variables = Array.isArray(original.variable) ? original.variable : [];
  if (variables.length > 0) out.variable = variables;
  return out;
}
