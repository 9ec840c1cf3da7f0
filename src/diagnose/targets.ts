import { InputError } from '../errors.js';
import { ROUTE_VARIABLE, ROUTES, type Route, type SkippedRequest } from '../model.js';
import { describeRequests, drawRequest } from '../postman/describe-request.js';
import { collectionNameOf, narrowToFolders } from '../postman/items.js';
import { applyEnvVars, loadCollection, loadEnvironment, variableValue, type CollectionReadOptions, type InputReadOptions, type PostmanCollection, type PostmanEnvironment } from '../postman/load.js';
import { findSecretValues } from '../postman/secret-values.js';
import { findDescribedHeadProblems, refuseUnsendable } from '../postman/unsendable.js';

/** The two base URLs from a Postman environment file, and every variable it holds. */
export interface DiagnoseTargets {
  gatewayUrl: URL;
  backendUrl: URL;
  /** The environment as read, for resolving the collection's variables. */
  environment: PostmanEnvironment;
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
  /** Requests left out (unsafe methods unless asked for, what a probe cannot send), one per request key. */
  skipped: SkippedRequest[];
  /** The path of the collection's backend health request, when it has one. */
  healthPath?: string;
  /** The collection's own name (`info.name`), when it has one. */
  name?: string;
}

/**
 * Reads `gateway_url` and `backend_url` from a Postman environment file (via the shared loader in
 * src/postman) with `--env-var` overrides on top, or from the overrides alone when `file` is
 * undefined — as run and ramp take them. Throws InputError naming the file (or --env-var) and the
 * field when the file is missing, not JSON, not an environment, or a URL is missing or not http(s).
 */
export async function loadEnvironmentTargets(file: string | undefined, envVars: Record<string, string> = {}, options: InputReadOptions = {}): Promise<DiagnoseTargets> {
  const environment = applyEnvVars(file === undefined ? undefined : await loadEnvironment(file, undefined, options), envVars);
  const problems: string[] = [];
  const urls: Partial<Record<Route, URL>> = {};
  for (const route of ROUTES) {
    const key = ROUTE_VARIABLE[route];
    const where = key in envVars ? `--env-var ${key}` : file === undefined ? `--env-var ${key}` : `values.${key}`;
    const text = variableValue(environment.values, key);
    if (!text) { problems.push(`${where}: missing or empty`); continue; }
    const url = URL.canParse(text) ? new URL(text) : undefined;
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) problems.push(`${where}: must be an http(s) URL, got "${text}"`);
    else urls[route] = url;
  }
  if (problems.length > 0) {
    const what = file !== undefined ? `${file}: the gateway and backend URLs are not usable` : 'no --environment, and --env-var does not set both URLs';
    throw new InputError(what, problems, 'set gateway_url and backend_url, e.g. http://127.0.0.1:8080 and http://127.0.0.1:3000 (in the environment, or --env-var gateway_url=… --env-var backend_url=…)');
  }
  return { gatewayUrl: urls.gateway!, backendUrl: urls.backend!, environment };
}

/** HTTP methods that change nothing on the server (RFC 9110 §9.2.1, minus TRACE): diagnose sends only these by default. */
export const SAFE_METHODS: readonly string[] = ['GET', 'HEAD', 'OPTIONS'];

/** Also how the collection is read: `--working-dir`, `--no-insecure-file-read`, the signal (CollectionReadOptions). */
export interface CollectionRequestOptions extends CollectionReadOptions {
  /** Send POST, PUT, PATCH, DELETE… too (`--unsafe-methods`). */
  unsafeMethods?: boolean;
  /** `--env-var` overrides, over the environment file. */
  envVars?: Record<string, string>;
  /** `-g` globals (loaded, `--global-var` applied): below the environment, as in newman. */
  globals?: PostmanEnvironment;
  /** `-d`: the variables of one data row, over the environment (newman's data scope). */
  dataRow?: Record<string, unknown>;
  /** `--folder`: only these folders (or requests) inside each route folder; the health request is still found. */
  folders?: readonly string[];
  /** The collection `file` holds, when already read (loadCollection): it is not read again. */
  collection?: PostmanCollection;
}

/**
 * Reads the requests of a Postman collection file through the postman room (variables resolved
 * with Postman's precedence, path variables filled, auth applied, bodies as text): every item at
 * `{{gateway_url}}` or `{{backend_url}}` becomes one (method, path) to probe both ways, once per
 * request key. Requests with an unsafe method (unless `unsafeMethods`), or whose auth or body
 * cannot be sent from the collection alone, are listed in `skipped` with the reason.
 * Throws InputError naming the file when it is not a collection, or when a request of it cannot
 * be sent at all (a method or header name that is no token, a header value with a line break).
 */
export async function loadCollectionRequests(file: string, environment: PostmanEnvironment, options: CollectionRequestOptions = {}): Promise<CollectionRequests> {
  const full = options.collection ?? await loadCollection(file, undefined, { signal: options.signal, workingDir: options.workingDir, insecureFileRead: options.insecureFileRead });
  const collection = narrowToFolders(full, options.folders ?? [], file);
  const row = Object.fromEntries(Object.entries(options.dataRow ?? {}).map(([key, value]) => [key, typeof value === 'string' ? value : JSON.stringify(value)]));
  const sources = { environment, globals: options.globals, envVars: { ...options.envVars, ...row } };
  const { requests: narrowed, resolve } = describeRequests({ collection, ...sources });
  // --folder leaves the health folder out; the health probe still wants its path.
  const health = collection === full ? [] : describeRequests({ collection: full, ...sources }).requests.filter((r) => r.route === 'health');
  const described = [...health, ...narrowed];
  // What no client may send is refused before any probe, as run and ramp refuse it (postman/unsendable.ts).
  refuseUnsendable(findDescribedHeadProblems(described), file);
  const baseOf = (route: Route) => resolve(`{{${ROUTE_VARIABLE[route]}}}`).text;
  const seen = new Map<string, ProbeRequest>();
  const skipped: SkippedRequest[] = [];
  let healthPath: string | undefined;
  for (const request of described) {
    if (request.route === null) continue;
    const route: Route = request.route === 'health' ? 'backend' : request.route;
    const drawn = drawRequest(request);
    const path = pathUnderBase(drawn.url, baseOf(route));
    if (request.route === 'health') { healthPath ??= path; continue; }
    if (seen.has(request.request) || skipped.some((s) => s.request === request.request)) continue;
    const why = !options.unsafeMethods && !SAFE_METHODS.includes(request.method)
      ? `${request.method} may change data on the server (pass --unsafe-methods to send it)`
      : request.unsupported.length > 0 ? `${request.unsupported.join(', ')} cannot be sent by a probe` : undefined;
    if (why) { skipped.push({ name: request.path, request: request.request, reason: why }); continue; }
    const headers: Record<string, string> = {};
    for (const [name, value] of drawn.headers) headers[name] = value;
    seen.set(request.request, { name: request.name, method: request.method, path, headers, ...(drawn.body !== undefined ? { body: drawn.body } : {}) });
  }
  const name = collectionNameOf(full);
  return { requests: [...seen.values()], skipped, ...(healthPath !== undefined ? { healthPath } : {}), ...(name !== undefined ? { name } : {}) };
}

/** What follows the route's base URL in a resolved URL, as a path: `` → `/`, `?a=1` → `/?a=1`. */
function pathUnderBase(url: string, base: string): string {
  let rest: string;
  if (base !== '' && url.startsWith(base)) rest = url.slice(base.length);
  else {
    const parsed = URL.canParse(url) ? new URL(url) : undefined;
    rest = parsed ? `${parsed.pathname}${parsed.search}` : url;
  }
  return rest.startsWith('/') ? rest : `/${rest}`;
}

/**
 * The secret values of what probes send (postman/secret-values.ts): the environment as the targets
 * have it (`--env-var` applied), the globals below it and the collection — every report of the
 * probes is masked with them. Pure.
 */
export function findProbeSecrets(targets: DiagnoseTargets, collection?: PostmanCollection, globals?: PostmanEnvironment): string[] {
  const environment = globals ? { ...targets.environment, values: [...globals.values, ...targets.environment.values] } : targets.environment;
  return findSecretValues({ collection, environment });
}
