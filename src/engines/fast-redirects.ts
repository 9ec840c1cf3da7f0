/**
 * The fast engine's redirects: which answer is a redirect to follow, and what the next hop sends —
 * newman's rules (postman-request's lib/redirect.js, as postman-runtime configures it), followed in
 * the engine itself. (undici's redirect interceptor, used before the engine had its own client,
 * followed other rules — credentials dropped on a port change, PUT kept after a 301, the 11th 3xx
 * as the answer.)
 * The rules: any 3xx with a Location is followed, whatever the method; after anything but a 307 or
 * 308 the next hop is a GET (a HEAD stays a HEAD) without body, Content-Type or Content-Length; a
 * change of host name (not of port or scheme) drops Host and Authorization; at most 10 redirects,
 * and an 11th is an error with postman-request's words.
 */
import type { RequestTarget } from './fast-requests.js';

/** postman-request's default redirect limit. */
export const MAX_REDIRECTS = 10;

/** What one hop sends. */
export interface Hop {
  target: RequestTarget;
  method: string;
  /** Flat name, value, name, value… */
  headers: string[];
  body?: string;
}

/** Whether an answer with this status is a redirect (when it has a Location). */
export function isRedirectStatus(statusCode: number): boolean {
  return statusCode >= 300 && statusCode <= 399;
}

/** The Location of an answer that is a redirect to follow, else undefined. */
export function redirectLocation(statusCode: number, location: string | string[] | undefined): string | undefined {
  if (!isRedirectStatus(statusCode)) return undefined;
  const value = Array.isArray(location) ? location[0] : location;
  return value ? value : undefined;
}

/** The error of a redirect beyond MAX_REDIRECTS, worded as postman-request words it. */
export function tooManyRedirects(hop: Hop): Error {
  return new Error(`Exceeded maxRedirects. Probably stuck in a redirect loop ${hop.target.origin}${hop.target.path}`);
}

/** The hop that follows `hop`'s `statusCode` answer to `location`. Throws TypeError for a Location that is no http(s) URL. */
export function nextHop(hop: Hop, statusCode: number, location: string): Hop {
  const from = new URL(`${hop.target.origin}${hop.target.path}`);
  const url = new URL(location, from);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new TypeError(`redirect to a URL that is not http(s): ${location}`);
  const keepsBody = statusCode === 307 || statusCode === 308;
  const method = keepsBody || hop.method === 'HEAD' ? hop.method : 'GET';
  const hostChanged = url.hostname !== from.hostname;
  const headers: string[] = [];
  for (let i = 0; i + 1 < hop.headers.length; i += 2) {
    const name = hop.headers[i].toLowerCase();
    if (!keepsBody && (name === 'content-type' || name === 'content-length')) continue;
    if (hostChanged && (name === 'host' || name === 'authorization')) continue;
    headers.push(hop.headers[i], hop.headers[i + 1]);
  }
  return { target: { origin: url.origin, path: `${url.pathname}${url.search}` }, method, headers, body: keepsBody ? hop.body : undefined };
}
