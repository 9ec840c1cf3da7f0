import type { ProbeResult } from '../../model.js';
import type { ClientTls } from '../../postman/client-tls.js';
import { joinUrl } from './join-url.js';
import { describeRetryAfter, sendRequest, STOPPED } from './send-request.js';
import { describeFailure } from './transport-error.js';

/**
 * GET backend_url + healthPath, direct (the guide's `curl http://backend:8080/health`).
 * ok on 2xx/3xx; a 4xx is reported as a failed probe with a hint that the path may be wrong.
 */
export async function probeHealth(backendUrl: URL, healthPath: string, options: { timeoutMs: number; signal?: AbortSignal; tls?: ClientTls }): Promise<ProbeResult> {
  const url = joinUrl(backendUrl, healthPath);
  const request = `GET ${healthPath}`;
  const sent = await sendRequest(url, { timeoutMs: options.timeoutMs, signal: options.signal, tls: options.tls });
  const base = { kind: 'health' as const, target: url.href, route: 'backend' as const, request, timeMs: sent.latencyMs };
  if (sent.error === STOPPED) return { ...base, ok: false, interrupted: true, evidence: `${request} direct: cut by Ctrl-C / SIGTERM before an answer` };
  if (sent.error !== undefined) {
    return { ...base, ok: false, error: sent.error, evidence: `${request} direct: ${describeFailure(sent.error, sent.errorMessage)}` };
  }
  const status = sent.status!;
  const ok = status < 400;
  const hint = status === 404 || status === 405 ? ' (is --health-path right?)' : status >= 500 ? ' (the backend says it is unhealthy)' : '';
  return { ...base, ok, status, evidence: `${request} direct: ${status} in ${sent.latencyMs} ms${describeRetryAfter(sent.retryAfter)}${hint}` };
}
