import type { ProbeResult, Route } from '../../model.js';
import type { ProbeRequest } from '../targets.js';
import { joinUrl } from './join-url.js';
import { sendRequest } from './send-request.js';
import { describeFailure } from './transport-error.js';

export interface DirectVsGatewayOptions {
  timeoutMs: number;
  /** Requests probed at most (each is sent twice); the rest are left out and said so. Default 20. */
  maxRequests?: number;
  /** Pairs probed at once. Default 4: quick, yet far below any capacity limit worth finding. */
  concurrency?: number;
}

/**
 * The guide's "test without the gateway": each request once through the gateway, then once direct
 * to the backend, with node's http client so a malformed direct answer is named (HPE_*). Returns
 * one probe per request per route, gateway first. A probe is ok when an HTTP answer came back that
 * is not a gateway error (502/503/504); any other status counts as an answer.
 */
export async function probeDirectVsGateway(
  urls: Record<Route, URL>,
  requests: ProbeRequest[],
  options: DirectVsGatewayOptions,
): Promise<ProbeResult[]> {
  const chosen = requests.slice(0, options.maxRequests ?? 20);
  const results: ProbeResult[][] = new Array(chosen.length);
  let next = 0;
  const worker = async () => {
    while (next < chosen.length) {
      const index = next++;
      const request = chosen[index];
      const gateway = await probeOne(urls.gateway, 'gateway', request, options.timeoutMs);
      const backend = await probeOne(urls.backend, 'backend', request, options.timeoutMs);
      results[index] = [gateway, backend];
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency ?? 4, chosen.length) }, worker));
  return results.flat();
}

const GATEWAY_ERRORS = new Set([502, 503, 504]);

async function probeOne(base: URL, route: Route, request: ProbeRequest, timeoutMs: number): Promise<ProbeResult> {
  const url = joinUrl(base, request.path);
  const label = `${request.method} ${request.path}`;
  const sent = await sendRequest(url, { method: request.method, headers: request.headers, body: request.body, timeoutMs });
  const base_ = { kind: 'direct-vs-gateway' as const, target: url.href, route, request: label, timeMs: sent.latencyMs };
  const side = route === 'gateway' ? 'through gateway' : 'direct';
  if (sent.error !== undefined) {
    return { ...base_, ok: false, error: sent.error, ...(sent.status ? { status: sent.status } : {}), evidence: `${label} ${side}: ${describeFailure(sent.error, sent.errorMessage)} after ${sent.latencyMs} ms` };
  }
  const status = sent.status!;
  return { ...base_, ok: !GATEWAY_ERRORS.has(status), status, evidence: `${label} ${side}: ${status} in ${sent.latencyMs} ms` };
}
