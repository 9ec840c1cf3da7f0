import { recogniseGateway } from '../../gateways/index.js';
import type { ProbeResult, Route } from '../../model.js';
import type { ClientTls } from '../../postman/client-tls.js';
import type { ProbeRequest } from '../targets.js';
import { joinUrl } from './join-url.js';
import { describeRetryAfter, sendRequest, STOPPED } from './send-request.js';
import { describeFailure } from './transport-error.js';

/** How many of the collection's requests the probe sends by default (each twice): the rest are left out. */
export const MAX_PROBED_REQUESTS = 20;

export interface DirectVsGatewayOptions {
  timeoutMs: number;
  /** Ctrl-C: the request in flight is cut, no new one starts. */
  signal?: AbortSignal;
  /** Requests probed at most (each is sent twice); the rest are left out. Default MAX_PROBED_REQUESTS. */
  maxRequests?: number;
  /**
   * No new request starts after this many ms (default 30 000): with every request timing out, the
   * probe still ends in bounded time. Requests not sent are left out of the results.
   */
  budgetMs?: number;
  /** newman's TLS flags, read: client certificates, extra CAs. */
  tls?: ClientTls;
}

/**
 * The guide's "test without the gateway": each request once through the gateway, then once direct
 * to the backend, with node's http client so a malformed direct answer is named (HPE_*). Returns
 * one probe per request per route, gateway first. A probe is ok when an HTTP answer below 500 came
 * back (a 404 is still an answer); any 5xx — a backend's own 500 as much as a gateway's 502 — is a
 * failed probe, on either route.
 */
export async function probeDirectVsGateway(
  urls: Record<Route, URL>,
  requests: ProbeRequest[],
  options: DirectVsGatewayOptions,
): Promise<ProbeResult[]> {
  const chosen = requests.slice(0, options.maxRequests ?? MAX_PROBED_REQUESTS);
  const deadlineMs = performance.now() + (options.budgetMs ?? 30_000);
  const results: ProbeResult[] = [];
  // One request at a time: the probe must not itself overload a backend with a small capacity.
  for (const request of chosen) {
    if (performance.now() > deadlineMs || options.signal?.aborted) break;
    results.push(await probeOne(urls.gateway, 'gateway', request, options));
    if (options.signal?.aborted) break;
    results.push(await probeOne(urls.backend, 'backend', request, options));
  }
  return results;
}

async function probeOne(base: URL, route: Route, request: ProbeRequest, options: DirectVsGatewayOptions): Promise<ProbeResult> {
  const url = joinUrl(base, request.path);
  const label = `${request.method} ${request.path}`;
  const sent = await sendRequest(url, { method: request.method, headers: request.headers, body: request.body, timeoutMs: options.timeoutMs, signal: options.signal, tls: options.tls });
  const base_ = { kind: 'direct-vs-gateway' as const, target: url.href, route, request: label, timeMs: sent.latencyMs };
  const side = route === 'gateway' ? 'through gateway' : 'direct';
  if (sent.error === STOPPED) return { ...base_, ok: false, interrupted: true, evidence: `${label} ${side}: cut by Ctrl-C / SIGTERM after ${sent.latencyMs} ms, before an answer` };
  if (sent.error !== undefined) {
    return { ...base_, ok: false, error: sent.error, ...(sent.status ? { status: sent.status } : {}), evidence: `${label} ${side}: ${describeFailure(sent.error, sent.errorMessage)} after ${sent.latencyMs} ms` };
  }
  const status = sent.status!;
  // Which gateway answered, from its own headers (or error page): diagnose then judges with its status table.
  const recognised = route === 'gateway' && sent.headers ? recogniseGateway({ headers: sent.headers, body: sent.bodyHead }) : null;
  return {
    ...base_, ok: status < 500, status, evidence: `${label} ${side}: ${status} in ${sent.latencyMs} ms${describeRetryAfter(sent.retryAfter)}`,
    ...(recognised ? { recognised } : {}),
  };
}
