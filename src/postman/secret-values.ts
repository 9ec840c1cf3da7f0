/**
 * Which values of a collection and its environment are secrets, so that debug502 never prints or
 * writes them (reports, progress, log lines, error messages) and exports (k6, Locust) can leave
 * them out: the values of variables of type `secret` (environment, collection, and `--env-var`
 * overrides of them), every field of an auth helper (collection, folder or request `auth`: bearer
 * tokens, API keys, basic and digest passwords, OAuth tokens… — all but the few fields that only
 * say how auth is applied), the `Authorization` and `Proxy-Authorization` header values, and
 * whatever those refer to: `{{token}}` in an auth field makes the value of `token` secret too.
 * Basic auth also yields the `user:password` base64 that goes on the wire.
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
  const addText = (text: string) => {
    if (text === '') return;
    secrets.add(text);
    for (const match of text.matchAll(VARIABLE_REFERENCE)) {
      if (!match[1].startsWith('$')) names.add(match[1]);
      const value = variables.values.get(match[1]);
      if (value) secrets.add(value);
    }
    const resolved = text.replace(VARIABLE_REFERENCE, (whole, name: string) => variables.values.get(name) ?? whole);
    secrets.add(resolved);
  };
  for (const name of variables.secretNames) {
    const value = variables.values.get(name);
    if (value) secrets.add(value);
  }
  const stack: unknown[] = [sources.collection];
  while (stack.length > 0) {
    const node = stack.pop();
    if (!isObject(node)) continue;
    if (isObject(node.auth)) for (const text of authTexts(node.auth, variables.values)) addText(text);
    const request = node.request;
    if (isObject(request)) {
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
