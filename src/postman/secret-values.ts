/**
 * Which values of a collection and its environment are secrets, so that debug502 never prints or
 * writes them (reports, progress, log lines, error messages) and exports (k6, Locust) can leave
 * them out: the values of variables of type `secret` (environment, collection, and `--env-var`
 * overrides of them), every field of an auth helper (collection, folder or request `auth`: bearer
 * tokens, API keys, basic and digest passwords, OAuth tokens… — all but the few fields that only
 * say how auth is applied), the `Authorization` and `Proxy-Authorization` header values, and
 * whatever those refer to: `{{token}}` in an auth field makes the value of `token` secret too.
 * Basic auth also yields the `user:password` base64 that goes on the wire. A URL's userinfo
 * (`http://user:password@host`, in any variable or request URL) is a credential too: its password
 * (or a lone `token@`), as written and decoded, and the base64 newman sends for it. A secret that
 * is a URL also hides its host name as URL parsing writes it (lower case, punycode): what a DNS
 * error quotes (`getaddrinfo ENOTFOUND secrethost.invalid`).
 */
import type { PostmanVariable } from './load.js';

export interface SecretSources {
  /** A Postman v2.x collection as plain JSON. */
  collection?: unknown;
  /** A Postman environment as plain JSON. */
  environment?: unknown;
  /** `--env-var` overrides. */
  envVars?: Readonly<Record<string, string>>;
}

/** Header names whose values are credentials. */
export const SECRET_HEADERS: ReadonlySet<string> = new Set(['authorization', 'proxy-authorization']);

/** Auth helper fields that say how auth is applied, not what the credential is. */
const NON_SECRET_AUTH_FIELDS = new Set([
  'in', 'key', 'addTokenTo', 'headerPrefix', 'tokenType', 'algorithm', 'grant_type', 'client_authentication',
  'disableRetryRequest', 'isSecretBase64Encoded', 'queryParamKey', 'addAuthDataToQuery', 'signatureMethod',
  'version', 'includeBodyHash', 'addEmptyParamsToSign', 'challengeAlgorithm', 'tokenName', 'service', 'region',
  'authUrl', 'accessTokenUrl', 'redirect_uri', 'useBrowser', 'scope', 'state', 'realm', 'qop', 'opaque', 'nonceCount',
  'workstation', 'domain', 'autoEncodeURI',
]);

const VARIABLE_REFERENCE = /\{\{\s*([^{}]+?)\s*\}\}/g;

/** What `findSecrets` finds: the secret values, and the names of the variables that hold secrets. */
export interface FoundSecrets {
  /** Every secret value, longest first, each once; no empty string. */
  values: string[];
  /**
   * Variables of type `secret`, and variables an auth helper field or an Authorization header
   * refers to (`{{token}}`) — set or not: an export reads them at run time. Sorted; no `{{$dynamic}}`.
   */
  variables: string[];
}

/**
 * Every secret value in `sources`, longest first, each once; empty strings are left out. Pure.
 * Walks the collection without recursion, so 3,000 nested folders are no problem.
 */
export function findSecretValues(sources: SecretSources): string[] {
  return findSecrets(sources).values;
}

/** The secret values and the secret variables' names of `sources` (see FoundSecrets). Pure. */
export function findSecrets(sources: SecretSources): FoundSecrets {
  const variables = collectVariables(sources);
  const secrets = new Set<string>();
  const names = new Set<string>(variables.secretNames);
  const resolveText = (text: string) => text.replace(VARIABLE_REFERENCE, (whole, name: string) => variables.values.get(name) ?? whole);
  const addText = (text: string) => {
    if (text === '') return;
    secrets.add(text);
    for (const match of text.matchAll(VARIABLE_REFERENCE)) {
      if (!match[1].startsWith('$')) names.add(match[1]);
      const value = variables.values.get(match[1]);
      if (value) secrets.add(value);
    }
    secrets.add(resolveText(text));
  };
  for (const name of variables.secretNames) {
    const value = variables.values.get(name);
    if (value) {
      secrets.add(value);
      for (const part of secretUrlParts(value)) secrets.add(part);
    }
  }
  for (const value of variables.values.values()) {
    if (!value.includes('@')) continue;
    for (const part of userinfoSecrets(resolveText(value))) secrets.add(part);
  }
  const stack: unknown[] = [sources.collection];
  while (stack.length > 0) {
    const node = stack.pop();
    if (!isObject(node)) continue;
    if (isObject(node.auth)) for (const text of authTexts(node.auth, variables.values)) addText(text);
    const request = node.request;
    if (isObject(request)) {
      const url = typeof request.url === 'string' ? request.url : isObject(request.url) && typeof request.url.raw === 'string' ? request.url.raw : undefined;
      // Userinfo written in the URL (`http://ada:{{password}}@…`); a variable holding a whole URL was read above. Only
      // a URL with an @ is resolved: 50,000 requests take a few ms.
      if (url !== undefined && url.includes('@')) {
        for (const text of [url, resolveText(url)]) for (const part of userinfoSecrets(text)) secrets.add(part);
      }
      if (isObject(request.auth)) for (const text of authTexts(request.auth, variables.values)) addText(text);
      if (Array.isArray(request.header)) {
        for (const header of request.header) {
          if (isObject(header) && typeof header.key === 'string' && SECRET_HEADERS.has(header.key.trim().toLowerCase()) && typeof header.value === 'string') {
            addText(header.value);
            const credential = /^\s*\S+\s+(\S.*)$/.exec(header.value)?.[1];
            if (credential) addText(credential);
          }
        }
      }
    }
    if (Array.isArray(node.item)) for (const child of node.item) stack.push(child);
  }
  secrets.delete('');
  return { values: [...secrets].sort((a, b) => b.length - a.length), variables: [...names].sort() };
}

/** The userinfo of a URL: `scheme://` then everything up to the last `@` before the host (as URL parsing takes it). */
const USERINFO = /^\s*[a-z][a-z0-9+.-]*:\/\/([^/?#\s]*)@/i;

/**
 * The credential in a URL's userinfo: the password of `user:password@` (or the whole of a lone
 * `token@`), as written and percent-decoded, and the base64 of `user:password` that newman sends
 * as basic auth for it. Nothing for a text that is not such a URL.
 */
function userinfoSecrets(text: string): string[] {
  const userinfo = USERINFO.exec(text)?.[1];
  if (!userinfo) return [];
  const at = userinfo.indexOf(':');
  const user = at < 0 ? '' : userinfo.slice(0, at);
  const password = at < 0 ? userinfo : userinfo.slice(at + 1);
  if (password === '') return [];
  const parts = [password, decodePercent(password)];
  if (at >= 0) for (const pair of [`${user}:${password}`, `${decodePercent(user)}:${decodePercent(password)}`]) parts.push(Buffer.from(pair).toString('base64'));
  return parts;
}

/** A secret that is an http(s) URL: its host name as URL parsing writes it (lower case, punycode). */
function secretUrlParts(value: string): string[] {
  if (!/^\s*https?:\/\//i.test(value) || !URL.canParse(value.trim())) return [];
  const { hostname } = new URL(value.trim());
  return hostname === '' ? [] : [hostname];
}

function decodePercent(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

interface Variables {
  /** name → value, with envVars over environment over collection (newman's precedence). */
  values: Map<string, string>;
  /** Names of variables of type `secret` anywhere. */
  secretNames: Set<string>;
}

function collectVariables(sources: SecretSources): Variables {
  const values = new Map<string, string>();
  const secretNames = new Set<string>();
  const take = (list: unknown) => {
    if (!Array.isArray(list)) return;
    for (const variable of list as PostmanVariable[]) {
      if (!isObject(variable) || typeof variable.key !== 'string') continue;
      if (variable.type === 'secret') secretNames.add(variable.key);
      if (variable.enabled === false || variable.value === undefined || variable.value === null) continue;
      values.set(variable.key, String(variable.value));
    }
  };
  take(isObject(sources.collection) ? sources.collection.variable : undefined);
  take(isObject(sources.environment) ? sources.environment.values : undefined);
  for (const [key, value] of Object.entries(sources.envVars ?? {})) values.set(key, value);
  return { values, secretNames };
}

/**
 * The credential texts of one auth helper, v2.1 (`bearer: [{ key, value }]`) or v2.0
 * (`bearer: { token }`) form; basic auth adds base64(`user:password`) as it is sent.
 */
function authTexts(auth: Record<string, unknown>, variables: ReadonlyMap<string, string>): string[] {
  const type = typeof auth.type === 'string' ? auth.type : undefined;
  if (!type || type === 'noauth') return [];
  const params = auth[type];
  const fields = new Map<string, string>();
  if (Array.isArray(params)) {
    for (const p of params) if (isObject(p) && typeof p.key === 'string' && p.value !== undefined && p.value !== null && typeof p.value !== 'object') fields.set(p.key, String(p.value));
  } else if (isObject(params)) {
    for (const [key, value] of Object.entries(params)) if (value !== undefined && value !== null && typeof value !== 'object') fields.set(key, String(value));
  }
  const texts = [...fields].filter(([key]) => !NON_SECRET_AUTH_FIELDS.has(key)).map(([, value]) => value);
  if (type === 'basic') {
    const resolve = (text: string) => text.replace(VARIABLE_REFERENCE, (whole, name: string) => variables.get(name) ?? whole);
    const pair = `${resolve(fields.get('username') ?? '')}:${resolve(fields.get('password') ?? '')}`;
    if (pair !== ':') texts.push(Buffer.from(pair).toString('base64'));
  }
  return texts;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
