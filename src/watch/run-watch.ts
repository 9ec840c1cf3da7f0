import { setTimeout as sleepMs } from 'node:timers/promises';
import { InputError } from '../errors.js';
import type { Route, SkippedRequest, WatchOptions, WatchReport, WatchWindow } from '../model.js';
import { ROUTES } from '../model.js';
import { joinUrl } from '../diagnose/probes/join-url.js';
import { sendRequest } from '../diagnose/probes/send-request.js';
import { findProbeSecrets, loadCollectionRequests, loadEnvironmentTargets, type CollectionRequestOptions, type ProbeRequest } from '../diagnose/targets.js';
import type { ClientTls } from '../postman/client-tls.js';
import { loadCollection } from '../postman/load.js';
import { createMask, maskDeep } from '../text/mask-secrets.js';
import { VERSION } from '../version.js';
import { planArrivals } from './schedule.js';
import { createWatchTimeline, type WatchOutcome } from './timeline.js';
import { judgeWatch } from './verdict.js';

/** More requests in flight than this and an arrival is dropped (counted): the watch never piles up without bound. */
export const MAX_IN_FLIGHT = 512;

export interface WatchInput {
  /** Postman environment with gateway_url and backend_url; optional when `envVars` sets both. */
  environmentFile?: string;
  /** Its requests are sent in turn, each through the gateway and direct; without it, `GET /`. */
  collectionFile?: string;
  options: WatchOptions;
  /** `--env-var` overrides (the URLs too), `-g` globals, one `-d` row and `--folder`: as diagnose takes them (CollectionRequestOptions). */
  envVars?: Record<string, string>;
  globals?: CollectionRequestOptions['globals'];
  dataRow?: CollectionRequestOptions['dataRow'];
  folders?: readonly string[];
  /** `--working-dir` (absolute), `--no-insecure-file-read`: the files the collection's requests send, checked as run checks them. */
  workingDir?: string;
  insecureFileRead?: boolean;
  /** What the report names the files as (default: the paths as given). */
  labels?: { collection: string; environment: string };
  /** newman's TLS flags, read (postman/client-tls.ts): each request presents the client certificate its list gives the URL, and trusts the extra CAs. */
  tls?: ClientTls;
}

export interface WatchDeps {
  /** A monotonic clock in ms (default performance.now). */
  now?: () => number;
  /** Waits `ms` (default a timer), resolving early when `signal` aborts. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Sends one request (default: node http, a fresh connection each, like a first-time client). */
  send?: (url: URL, request: ProbeRequest, timeoutMs: number) => Promise<WatchOutcome>;
  /** Ctrl-C: stops the arrivals, waits for those in flight, and the report covers what ran. */
  signal?: AbortSignal;
  /** Called once the inputs are loaded and checked, before the first arrival (bad input never gets here). */
  onStart?: () => void;
  /** Called once per window after it ends (counts may still miss requests in flight). */
  onWindow?: (window: WatchWindow, index: number) => void;
  /** Wall clock for `startedAt` (default new Date). */
  wallClock?: () => Date;
}

const defaultSleep = async (ms: number, signal?: AbortSignal) => {
  try { await sleepMs(ms, undefined, { signal }); } catch { /* aborted */ }
};
const defaultSend = async (url: URL, request: ProbeRequest, timeoutMs: number, tls?: ClientTls): Promise<WatchOutcome> => {
  const sent = await sendRequest(url, { method: request.method, headers: request.headers, body: request.body, timeoutMs, tls });
  return { status: sent.status, ...(sent.status === undefined && sent.error ? { error: sent.error } : {}), latencyMs: sent.latencyMs };
};

/**
 * `debug502 watch`: steady open-model traffic for a duration — arrivals on the clock (poisson or
 * uniform), each sent through the gateway and/or direct, never waiting for answers — and a timeline
 * per window of requests, statuses, transport errors and p95 per target, with a verdict on the
 * pattern over time. Bounded by the duration, `maxRequests` (requests sent, across targets) and
 * MAX_IN_FLIGHT. Bad input throws InputError before any request — a collection given with no
 * request at either route among them; failures of the targets are data.
 */
export async function runWatch(input: WatchInput, deps: WatchDeps = {}): Promise<WatchReport> {
  const o = input.options;
  // The collection is read before the URLs are checked, so its secrets are known to any error (postman/secret-scope.ts).
  const read = { workingDir: input.workingDir, insecureFileRead: input.insecureFileRead, signal: deps.signal };
  const full = input.collectionFile ? await loadCollection(input.collectionFile, undefined, read) : undefined;
  const targets = await loadEnvironmentTargets(input.environmentFile, input.envVars, { signal: deps.signal });
  const collection = input.collectionFile
    ? await loadCollectionRequests(input.collectionFile, targets.environment, { unsafeMethods: true, envVars: input.envVars, globals: input.globals, dataRow: input.dataRow, folders: input.folders, collection: full, ...read })
    : undefined;
  if (collection && collection.requests.length === 0) throw noRequestToSend(input.labels?.collection ?? input.collectionFile!, collection.skipped);
  deps.onStart?.();
  const requests: ProbeRequest[] = collection ? collection.requests : [{ name: 'root', method: 'GET', path: '/', headers: {} }];
  const routes: Route[] = o.target === 'both' ? [...ROUTES] : [o.target];
  const base: Record<Route, URL> = { gateway: targets.gatewayUrl, backend: targets.backendUrl };
  const now = deps.now ?? (() => performance.now());
  const sleep = deps.sleep ?? defaultSleep;
  const send = deps.send ?? ((url: URL, request: ProbeRequest, timeoutMs: number) => defaultSend(url, request, timeoutMs, input.tls));
  const startedAt = (deps.wallClock ?? (() => new Date()))().toISOString();
  const timeline = createWatchTimeline(routes, o.windowMs, o.failOn);
  const pending = new Set<Promise<void>>();
  const start = now();
  let sent = 0;
  let dropped = 0;
  let nextRequest = 0;
  let reported = 0;
  let aborted: WatchReport['meta']['aborted'];

  const reportWindows = (elapsedMs: number) => {
    if (!deps.onWindow) return;
    const done = Math.floor(elapsedMs / o.windowMs);
    if (done <= reported) return;
    const windows = timeline.summary(elapsedMs, o.threshold).timeline;
    for (; reported < done && reported < windows.length; reported++) deps.onWindow(windows[reported], reported);
  };

  for (const atMs of planArrivals(o.ratePerSec, o.durationMs, o.arrivals, o.seed)) {
    const waitMs = atMs - (now() - start);
    if (waitMs > 0) await sleep(waitMs, deps.signal);
    if (deps.signal?.aborted) { aborted = { reason: 'interrupted', message: 'interrupted (Ctrl-C / SIGTERM): the report covers the arrivals sent before' }; break; }
    reportWindows(now() - start);
    // As the ramp's: every request that leaves the machine counts, across targets, and an arrival
    // that would take the total past the cap is not sent.
    if (sent + routes.length > o.maxRequests) { aborted = { reason: 'max-requests', message: `stopped at --max-requests ${o.maxRequests}: ${sent} requests sent${routes.length > 1 ? ` (${sent / routes.length} arrivals × ${routes.length} targets)` : ''}` }; break; }
    if (pending.size + routes.length > MAX_IN_FLIGHT) { dropped++; continue; }
    const request = requests[nextRequest++ % requests.length];
    sent += routes.length;
    for (const route of routes) {
      const job: Promise<void> = send(joinUrl(base[route], request.path), request, o.timeoutRequestMs)
        .then((outcome) => timeline.record(route, atMs, outcome), () => timeline.record(route, atMs, { error: 'ERROR', latencyMs: 0 }))
        .finally(() => pending.delete(job));
      pending.add(job);
    }
  }
  // What is in flight finishes within its request timeout; then the last windows are complete.
  await Promise.all(pending);
  const elapsedMs = aborted ? now() - start : Math.max(o.durationMs, now() - start);
  reportWindows(Math.ceil(elapsedMs / o.windowMs) * o.windowMs);
  const summary = timeline.summary(Math.min(elapsedMs, aborted ? elapsedMs : o.durationMs), o.threshold);
  // No report carries a secret: a name or an error could quote one.
  return maskDeep<WatchReport>({
    schemaVersion: 1,
    meta: {
      tool: 'debug502', version: VERSION, collection: input.labels?.collection ?? input.collectionFile ?? '', environment: input.labels?.environment ?? input.environmentFile ?? '', startedAt,
      ...(collection?.name ? { collectionName: collection.name } : {}),
      durationMs: Math.round(now() - start), options: o, ...(aborted ? { aborted } : {}), droppedArrivals: dropped,
    },
    targets: summary.targets,
    timeline: summary.timeline,
    verdict: judgeWatch(summary.targets, summary.timeline, { environment: input.labels?.environment ?? input.environmentFile, collection: input.labels?.collection ?? input.collectionFile }),
  }, createMask(findProbeSecrets(targets, full, input.globals)));
}

/** A collection whose requests a watch cannot send: refused, where it once fell back to `GET /` unsaid. */
function noRequestToSend(collection: string, skipped: readonly SkippedRequest[]): InputError {
  const problems = skipped.map((s) => `${s.name} (${s.request}): ${s.reason}`);
  return new InputError(`${collection}: no request to watch — none whose URL starts with {{gateway_url}} or {{backend_url}}${skipped.length > 0 ? ' that a probe can send' : ''}`, problems,
    'watch sends the collection\'s requests at {{gateway_url}} / {{backend_url}}; leave out --collection to watch GET / instead');
}
