/**
 * `debug502 run` as a library call: load the collection and environment, check that the route
 * variables are set, run every request once per iteration with newman, and aggregate the outcomes
 * into a RunReport with one verdict per endpoint.
 */
import { CONFIG_DEFAULTS } from '../config/defaults.js';
import type { EngineInput, EngineSummary, FinalVariables, RunEngine } from '../engines/engine.js';
import { runNewman } from '../engines/newman.js';
import { InputError, RuntimeError } from '../errors.js';
import type { RequestOutcome, Route, RunReport } from '../model.js';
import { ROUTE_VARIABLE } from '../model.js';
import { narrowToFolders } from '../postman/items.js';
import { usedRoutes } from '../postman/route.js';
import { MAX_RESPONSE_TIME_VARIABLE } from '../generate/build-collection.js';
import { applyEnvVars, loadCollection, loadEnvironment, variableValue, type PostmanCollection, type PostmanEnvironment } from '../postman/load.js';
import { VERSION } from '../version.js';
import { findSecretValues } from '../postman/secret-values.js';
import { refuseUnsendableRequests } from '../postman/unsendable.js';
import { describeEnvironmentSource } from '../postman/env-var-list.js';
import { createMask, maskDeep } from '../text/mask-secrets.js';
import { aggregateRun } from './aggregate.js';
import type { ClientTls } from '../postman/client-tls.js';

export interface RunOptions {
  /** Path of the Postman collection file, as the user gave it (messages and the report show it so). */
  collection: string;
  /** Path of the Postman environment file; optional when --env-var sets the URLs. */
  environment?: string;
  /** `--env-var key=value` overrides, applied on top of the environment. */
  envVars?: Record<string, string>;
  /** `-g`: Postman globals (already loaded, `--global-var` applied). */
  globals?: PostmanEnvironment;
  /** `-d`: one iteration per row. */
  iterationData?: object[];
  delayRequestMs?: number;
  bail?: boolean;
  color?: 'on' | 'off' | 'auto';
  /** Passes over the collection; default 1 (the number of data rows with `iterationData`). Each endpoint keeps its worst answer per route. */
  /** `--folder`: only these folders (or requests), found inside each route folder; see narrowToFolders. */
  folders?: string[];
  /** Passes over the collection; default 1. Each endpoint keeps its worst answer per route. */
  iterations?: number;
  /** Per-request timeout; default 10000 ms. A backend that never answers then fails as ESOCKETTIMEDOUT. */
  timeoutRequestMs?: number;
  insecure?: boolean;
  /** Let newman print its own output. */
  verbose?: boolean;
  /** Follow redirects (default true); false: a 3xx is the answer (--ignore-redirects). */
  followRedirects?: boolean;
  /** Aborting it stops the run after the request in flight; the report then says `interrupted`. */
  signal?: AbortSignal;
  /** Relative file paths are read from here; default process.cwd(). */
  cwd?: string;
  /** `--working-dir` (relative to `cwd`), `--no-insecure-file-read`: the files requests send (CollectionReadOptions). */
  workingDir?: string;
  insecureFileRead?: boolean;
  /** newman's TLS flags, read (postman/client-tls.ts): client certificates, extra CAs. */
  tls?: ClientTls;
  /** newman's `--timeout` (the whole run, ms), `--timeout-script` (each script, ms), `--cookie-jar` (tough-cookie JSON text), and what the exports need kept (EngineInput). */
  runTimeoutMs?: number;
  timeoutScriptMs?: number;
  cookieJar?: string;
  keep?: { collection?: boolean; cookieJar?: boolean };
  /** newman's own reporters, run beside debug502's (EngineInput.newmanReporters). */
  newmanReporters?: EngineInput['newmanReporters'];
}

export interface RunDeps {
  /** The engine; newman by default (tests may pass a fake). */
  engine?: RunEngine;
  /** Wall clock for `startedAt`. */
  now?: () => Date;
  /** Each request as it completes (progress). */
  onOutcome?: (outcome: RequestOutcome) => void;
  /** Told the secret values of the inputs (src/postman/secret-values.ts) before any request, to mask them in output. */
  onSecrets?(values: readonly string[]): void;
  /** Told the environment and globals as the run left them (newman engine), for --export-environment / --export-globals. */
  onVariables?(variables: FinalVariables): void;
}

export const DEFAULT_TIMEOUT_REQUEST_MS = 10_000;
/** The guide's "Response under 5 seconds", as a config without `assertions` gets it. */
const DEFAULT_MAX_LATENCY_MS = CONFIG_DEFAULTS.maxResponseTimeMs;

/**
 * Runs the collection once (per iteration) through gateway and backend and returns the report.
 * Throws InputError for bad files, unset route variables or a request no client may send (a
 * method that is no token, a header value with a line break; nothing is sent then), RuntimeError
 * when newman cannot run the collection at all. Failing requests are data, never exceptions.
 */
export async function runCollection(options: RunOptions, deps: RunDeps = {}): Promise<RunReport> {
  const iterations = options.iterations ?? options.iterationData?.length ?? 1;
  const timeoutRequestMs = options.timeoutRequestMs ?? DEFAULT_TIMEOUT_REQUEST_MS;
  const cwd = options.cwd ?? process.cwd();
  const read = { signal: options.signal, workingDir: options.workingDir, insecureFileRead: options.insecureFileRead };
  const collection = narrowToFolders(await loadCollection(options.collection, cwd, read), options.folders ?? [], options.collection);
  const loaded = options.environment === undefined ? undefined : await loadEnvironment(options.environment, cwd, read);
  const environment = applyEnvVars(loaded, options.envVars ?? {});
  // Globals count for the URL check below the environment, as newman resolves them.
  const scope = options.globals ? { ...environment, values: [...environment.values, ...options.globals.values] } : environment;
  const urls = checkRouteVariables(collection, scope, options);
  const maxLatencyMs = readMaxLatencyMs(collection, environment);
  const secrets = findSecretValues({ collection, environment, envVars: options.envVars });
  deps.onSecrets?.(secrets);
  // A method that is no token, a header value with a line break: newman would refuse each such
  // request and the verdict would blame the gateway. Bad input, before anything is sent.
  refuseUnsendableRequests({ collection, environment, globals: options.globals }, options.collection);

  const startedAt = (deps.now ?? (() => new Date()))();
  const started = performance.now();
  const outcomes: RequestOutcome[] = [];
  const engine = deps.engine ?? runNewman;
  let summary: EngineSummary;
  let redirects = 0;
  try {
    summary = await engine(
      {
        collection, environment, globals: options.globals, iterationData: options.iterationData, iterationCount: iterations, timeoutRequestMs,
        delayRequestMs: options.delayRequestMs, bail: options.bail, color: options.color, insecure: options.insecure, verbose: options.verbose, followRedirects: options.followRedirects, signal: options.signal,
        ...(options.tls ? { tls: options.tls } : {}),
        ...(options.runTimeoutMs ? { runTimeoutMs: options.runTimeoutMs } : {}),
        ...(options.timeoutScriptMs ? { timeoutScriptMs: options.timeoutScriptMs } : {}),
        ...(options.cookieJar !== undefined ? { cookieJar: options.cookieJar } : {}),
        ...(options.keep ? { keep: options.keep } : {}),
        ...(options.newmanReporters?.length ? { newmanReporters: options.newmanReporters } : {}),
      },
      {
        onOutcome: (outcome) => { outcomes.push(outcome); deps.onOutcome?.(outcome); },
        onSend: (info) => { if (info.redirect) redirects += 1; },
      },
    );
  } catch (error) {
    checkRunTimeout(error as Error, options.runTimeoutMs, outcomes.length);
    throw new RuntimeError(`newman could not run ${options.collection}: ${(error as Error).message}`, 'check the collection in the Postman app, or run it with --verbose', { cause: error });
  }
  if (summary.variables) deps.onVariables?.(summary.variables);
  const interrupted = options.signal?.aborted ?? false;
  checkRunTimeout(summary.runError, options.runTimeoutMs, outcomes.length);
  if (outcomes.length === 0 && !interrupted) {
    if (summary.runError) throw new RuntimeError(`newman stopped before any request: ${summary.runError.message}`);
    throw new InputError(`${options.collection}: the collection has no requests`, [], 'add requests, or write a collection with "debug502 generate"');
  }
  // newman ended the run itself part-way (a sandbox that timed out as it started, under
  // --timeout-script): the requests after it never ran, and those that did may lack their tests —
  // a report of them would read as a pass.
  if (summary.runError && !interrupted) {
    throw new RuntimeError(`newman stopped the run after ${outcomes.length} request(s): ${describeRunError(summary.runError)}`,
      options.timeoutScriptMs ? 'give the scripts more time (--timeout-script): it bounds the script sandbox\'s start too' : 'run it with --verbose to see newman\'s own output');
  }

  const { endpoints, totals } = aggregateRun(outcomes, maxLatencyMs, { gatewayUrl: urls.gateway, backendUrl: urls.backend });
  if (redirects > 0) totals.redirects = redirects;
  const meta: RunReport['meta'] = {
    tool: 'debug502',
    version: VERSION,
    collection: options.collection,
    ...(typeof collection.info?.name === 'string' && collection.info.name !== '' ? { collectionName: collection.info.name } : {}),
    environment: describeEnvironmentSource(options.environment, options.envVars),
    startedAt: startedAt.toISOString(),
    durationMs: Math.round(performance.now() - started),
    iterations,
    maxLatencyMs,
    timeoutRequestMs,
  };
  if (urls.gateway) meta.gatewayUrl = urls.gateway;
  if (urls.backend) meta.backendUrl = urls.backend;
  if (interrupted) meta.interrupted = true;
  // No report carries a secret: an error message or a request key could quote one.
  return maskDeep<RunReport>({ schemaVersion: 1, meta, endpoints, totals }, createMask(secrets));
}

/** The first line of newman's run error, without the EventEmitter's "Unhandled error. (…)" wrapping. */
function describeRunError(error: Error): string {
  const line = error.message.split('\n')[0];
  return line.replace(/^Unhandled error\. \((?:Error: )?/, '');
}

/**
 * newman's `--timeout` ends the run unfinished ("callback timed out"): what ran is no verdict on
 * the rest, so it is a stop (RuntimeError, exit 3), as a ramp's safety limit is.
 */
function checkRunTimeout(error: Error | undefined, runTimeoutMs: number | undefined, requests: number): void {
  if (!runTimeoutMs || !/callback timed out/.test(error?.message ?? '')) return;
  throw new RuntimeError(`the run took longer than --timeout ${runTimeoutMs} ms: newman stopped it after ${requests} request(s)`, 'give it more time (--timeout), or bound each request instead (--timeout-request)');
}

/**
 * The routes the collection uses must have their URL variable set (environment, --env-var, or a
 * collection variable) to an http(s) URL; otherwise newman would send to "{{gateway_url}}/…".
 * Returns the URLs (user:password removed) for the report.
 */
export function checkRouteVariables(collection: PostmanCollection, environment: PostmanEnvironment, options: Pick<RunOptions, 'collection' | 'environment'>): Partial<Record<Route, string>> {
  const used = usedRoutes(collection);
  if (used.length === 0) {
    throw new InputError(
      `${options.collection}: no request uses {{gateway_url}} or {{backend_url}}`,
      [],
      'debug502 compares each endpoint through the gateway ({{gateway_url}}/…) and direct to the backend ({{backend_url}}/…); write such a collection with "debug502 generate"',
    );
  }
  const problems: string[] = [];
  const urls: Partial<Record<Route, string>> = {};
  for (const route of used) {
    const key = ROUTE_VARIABLE[route];
    const value = variableValue(environment.values, key) ?? variableValue(collection.variable, key);
    if (value === undefined) problems.push(`${key}: not set${options.environment ? ` in ${options.environment}` : ''} (the collection uses {{${key}}})`);
    else if (!value.includes('{{') && !/^https?:\/\/[^/\s]+/i.test(value)) problems.push(`${key}: "${value}" is not an http(s) URL`);
    else urls[route] = redactUrl(value);
  }
  if (problems.length > 0) {
    throw new InputError('the gateway and backend URLs are not usable', problems, 'pass --environment FILE, or --env-var gateway_url=http://HOST:PORT --env-var backend_url=http://HOST:PORT');
  }
  return urls;
}

/** `max_response_time_ms` from the environment, else the collection, else 5000. */
export function readMaxLatencyMs(collection: PostmanCollection, environment: PostmanEnvironment): number {
  const text = variableValue(environment.values, MAX_RESPONSE_TIME_VARIABLE) ?? variableValue(collection.variable, MAX_RESPONSE_TIME_VARIABLE);
  if (text === undefined) return DEFAULT_MAX_LATENCY_MS;
  const value = Number(text);
  if (!(Number.isFinite(value) && value > 0)) {
    throw new InputError(`${MAX_RESPONSE_TIME_VARIABLE}: "${text}" is not a positive number of milliseconds`, [], `set it to e.g. 5000 (--env-var ${MAX_RESPONSE_TIME_VARIABLE}=5000)`);
  }
  return value;
}

/** `http://user:secret@host/` → `http://host/`: reports are uploaded and shared. */
function redactUrl(url: string): string {
  return url.replace(/^(https?:\/\/)[^@/\s]*@/i, '$1');
}
