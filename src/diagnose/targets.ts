import { InputError } from '../errors.js';
import { HEALTH_FOLDER, HEALTH_REQUEST_NAME, ROUTE_VARIABLE, ROUTES, type Route } from '../model.js';
import { loadCollection, loadEnvironment, variableValue } from '../postman/load.js';

/** The two base URLs from a Postman environment file, and every variable it holds. */
export interface DiagnoseTargets {
  gatewayUrl: URL;
  backendUrl: URL;
  variables: Record<string, string>;
}

/** One request of a collection, reduced to what a probe sends: method and path under the base URL. */
export interface ProbeRequest {
  name: string;
  method: string;
  /** Starts with "/", query included; appended to the gateway and backend base URLs. */
  path: string;
  headers: Record<string, string>;
  body?: string;
}

export interface CollectionRequests {
  /** Distinct (method, path) pairs found at `{{gateway_url}}` or `{{backend_url}}`, health request excluded. */
  requests: ProbeRequest[];
  /** The path of the collection's backend health request, when it has one. */
  healthPath?: string;
}

/**
 * Reads `gateway_url` and `backend_url` from a Postman environment file (via the shared loader in
 * src/postman). Throws InputError naming the file and the field when the file is missing, not
 * JSON, not an environment, or a URL is missing or not http(s).
 */
export async function loadEnvironmentTargets(file: string): Promise<DiagnoseTargets> {
  const environment = await loadEnvironment(file);
  const variables: Record<string, string> = {};
  for (const entry of environment.values) if (entry.enabled !== false) variables[entry.key] = entry.value == null ? '' : String(entry.value);
  const problems: string[] = [];
  const urls: Partial<Record<Route, URL>> = {};
  for (const route of ROUTES) {
    const key = ROUTE_VARIABLE[route];
    const text = variableValue(environment.values, key);
    if (!text) { problems.push(`values.${key}: missing or empty`); continue; }
    const url = URL.canParse(text) ? new URL(text) : undefined;
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) problems.push(`values.${key}: must be an http(s) URL, got "${text}"`);
    else urls[route] = url;
  }
  if (problems.length > 0) {
    throw new InputError(`${file}: environment is not usable`, problems, 'set gateway_url and backend_url, e.g. http://127.0.0.1:8080 and http://127.0.0.1:3000');
  }
  return { gatewayUrl: urls.gateway!, backendUrl: urls.backend!, variables };
}

/**
 * Reads the requests of a Postman v2.x collection file: every item whose URL starts with
 * `{{gateway_url}}` or `{{backend_url}}` becomes one (method, path) to probe both ways; other
 * `{{vars}}` are filled from `variables`. Throws InputError naming the file when it is not a collection.
 */
export async function loadCollectionRequests(file: string, variables: Record<string, string>): Promise<CollectionRequests> {
  const collection = await loadCollection(file);
  // Collection variables first, environment values over them: Postman's own precedence.
  const known: Record<string, string> = {};
  for (const v of collection.variable ?? []) if (v.enabled !== false && v.value != null) known[v.key] = String(v.value);
  Object.assign(known, variables);
  const seen = new Map<string, ProbeRequest>();
  let healthPath: string | undefined;
  const fill = (text: string) => text.replace(/\{\{([^{}]+)\}\}/g, (whole, name: string) => known[name.trim()] ?? whole);
  walkItems(collection.item, [], (item, folders) => {
    const request = item.request as RawRequest | string;
    const raw = typeof request === 'string' ? request : rawUrl(request?.url);
    const match = raw ? /^\s*\{\{\s*(gateway_url|backend_url)\s*\}\}(.*)$/.exec(raw) : null;
    if (!match) return;
    const path = normalizePath(fill(match[2]));
    const isHealth = folders.includes(HEALTH_FOLDER) || item.name === HEALTH_REQUEST_NAME;
    if (isHealth) { healthPath ??= path; return; }
    const method = (typeof request === 'string' ? 'GET' : String(request.method ?? 'GET')).toUpperCase();
    const key = `${method} ${path}`;
    if (seen.has(key)) return;
    const headers: Record<string, string> = {};
    if (typeof request !== 'string') {
      for (const h of request.header ?? []) if (h && !h.disabled && h.key) headers[h.key] = fill(String(h.value ?? ''));
    }
    const body = typeof request !== 'string' && request.body?.mode === 'raw' && request.body.raw ? fill(request.body.raw) : undefined;
    seen.set(key, { name: String(item.name ?? key), method, path, headers, ...(body !== undefined ? { body } : {}) });
  });
  return { requests: [...seen.values()], ...(healthPath !== undefined ? { healthPath } : {}) };
}

interface RawRequest {
  method?: string;
  url?: string | { raw?: string; host?: string[] | string; path?: string[] | string; query?: Array<{ key: string; value?: string; disabled?: boolean }> };
  header?: Array<{ key?: string; value?: string; disabled?: boolean }>;
  body?: { mode?: string; raw?: string };
}
type RawItem = { name?: string; item?: unknown; request?: unknown };

function walkItems(items: unknown, folders: string[], visit: (item: RawItem, folders: string[]) => void): void {
  if (!Array.isArray(items)) return;
  for (const item of items as RawItem[]) {
    if (Array.isArray(item?.item)) walkItems(item.item, [...folders, String(item.name ?? '')], visit);
    else if (item?.request) visit(item, folders);
  }
}

function rawUrl(url: RawRequest['url']): string | undefined {
  if (typeof url === 'string') return url;
  if (!url) return undefined;
  if (url.raw) return url.raw;
  const host = Array.isArray(url.host) ? url.host.join('.') : url.host ?? '';
  const path = Array.isArray(url.path) ? url.path.join('/') : url.path ?? '';
  const query = (url.query ?? []).filter((q) => !q.disabled).map((q) => `${q.key}=${q.value ?? ''}`).join('&');
  return `${host}/${path}${query ? `?${query}` : ''}`;
}

/** What follows `{{gateway_url}}` as a path: `` → `/`, `?a=1` → `/?a=1`, `api` → `/api`. */
function normalizePath(rest: string): string {
  const trimmed = rest.trim();
  return trimmed.startsWith('/') ? trimmed : `/${trimmed}`;
}
