import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { ClientTls } from '../../postman/client-tls.js';
import { withSecureContext } from './send-request.js';
import type { ProbeResult } from '../../model.js';
import { joinUrl } from './join-url.js';
import { elapsed } from './probe-dns.js';
import { describeFailure, errorCode } from './transport-error.js';

/**
 * How long the probe waits, and what that number is: the gateway's idle timeout where known (then
 * judgeKeepalive compares), or — unknown, or a gateway that keeps idle connections until the
 * backend closes them — DEFAULT_GATEWAY_IDLE_TIMEOUT_MS, a wait bound and nothing more.
 */
export interface GatewayIdleTimeout {
  ms: number;
  source: 'option' | 'conf' | 'profile' | 'unknown';
}

/** ALB's idle timeout and nginx's upstream `keepalive_timeout` both default to 60 s: the probe's wait when the gateway's is not known. */
export const DEFAULT_GATEWAY_IDLE_TIMEOUT_MS = 60_000;
/** How much longer than the gateway the probe waits before it calls the backend the survivor. */
export const KEEPALIVE_MARGIN_MS = 1000;
/** A close this soon after the answer is a server that keeps nothing idle (HTTP/1.0 style), not an idle timeout. */
const CLOSES_AT_ONCE_MS = 20;

export interface KeepaliveProbeOptions {
  gateway: GatewayIdleTimeout;
  /** Bound of the request itself (the answer must come within it). */
  requestTimeoutMs: number;
  path?: string;
  /** Ctrl-C: stop waiting; the probe ends at once, measuring nothing (`interrupted`, not ok). */
  signal?: AbortSignal;
  /** newman's TLS flags, read: client certificates, extra CAs. */
  tls?: ClientTls;
}

const SOURCE_WORDS: Record<GatewayIdleTimeout['source'], string> = {
  option: 'from --gateway-idle-timeout',
  conf: 'read from --gateway-conf',
  profile: 'the documented default of the gateway\'s kind',
  unknown: 'not known: the probe\'s wait bound, not a gateway setting',
};

/**
 * The keep-alive race, measured: one request to the backend on a keep-alive connection, then the
 * connection is left idle and the probe times how long the backend keeps it open. Bounded: it waits
 * at most the gateway's idle timeout plus KEEPALIVE_MARGIN_MS. Failed when the backend closes the idle
 * connection before the gateway would (the gateway may send a request on it just as it closes: 502).
 * An answer with `Connection: close` keeps nothing idle: nothing to race, ok. Never throws.
 */
export function probeKeepalive(backendUrl: URL, options: KeepaliveProbeOptions): Promise<ProbeResult> {
  const url = joinUrl(backendUrl, options.path ?? '/');
  const target = url.toString();
  const gatewayMs = options.gateway.ms;
  const compared = `gateway idle timeout ${gatewayMs} ms (${SOURCE_WORDS[options.gateway.source]})`;
  const base = { kind: 'keepalive' as const, target, route: 'backend' as const, gatewayIdleTimeoutMs: gatewayMs, gatewayIdleTimeoutSource: options.gateway.source };
  const startedMs = performance.now();
  const secure = url.protocol === 'https:';
  const agent = secure ? new HttpsAgent({ keepAlive: true, maxSockets: 1, rejectUnauthorized: false, ...withSecureContext(options.tls, url) }) : new HttpAgent({ keepAlive: true, maxSockets: 1 });
  // Node's agent closes an idle socket itself a second before the server's `Keep-Alive: timeout=N`
  // hint; the probe must see the backend's own close, so it keeps the socket exactly as it is.
  agent.keepSocketAlive = () => true;
  return new Promise((resolve) => {
    let settled = false;
    let waitTimer: NodeJS.Timeout | undefined;
    const finish = (result: Omit<ProbeResult, 'kind' | 'target' | 'route' | 'timeMs'>) => {
      if (settled) return;
      settled = true;
      options.signal?.removeEventListener('abort', stop);
      clearTimeout(requestTimer);
      clearTimeout(waitTimer);
      agent.destroy();
      resolve({ ...base, ...result, timeMs: elapsed(startedMs) });
    };
    // Cut, not passed: what the backend would have done is unknown (ProbeResult.interrupted).
    const stop = () => finish({ ok: false, interrupted: true, evidence: `${target}: interrupted before the idle timeout was measured` });
    if (options.signal?.aborted) { stop(); return; }
    options.signal?.addEventListener('abort', stop, { once: true });
    const req = (secure ? httpsRequest : httpRequest)(url, { agent, headers: { connection: 'keep-alive' } });
    const requestTimer = setTimeout(() => {
      req.destroy();
      finish({ ok: true, error: 'ESOCKETTIMEDOUT', evidence: `${target}: no answer within ${options.requestTimeoutMs} ms, so the idle timeout could not be measured` });
    }, options.requestTimeoutMs);
    req.once('error', (error) => {
      const code = errorCode(error);
      finish({ ok: true, error: code, evidence: `${target}: ${describeFailure(code, error.message)} — the idle timeout could not be measured` });
    });
    req.once('response', (res) => {
      const announced = res.headers['keep-alive'];
      const closes = /\bclose\b/i.test(String(res.headers.connection ?? ''));
      res.resume();
      res.once('end', () => {
        clearTimeout(requestTimer);
        const socket = res.socket ?? req.socket;
        if (closes || !socket || socket.destroyed) {
          return finish({ ok: true, status: res.statusCode, evidence: `${target} answers with Connection: close: it keeps no idle connection, so there is nothing to race (${compared})` });
        }
        const idleFromMs = performance.now();
        const note = announced ? ` (it announces Keep-Alive: ${announced})` : '';
        socket.once('close', () => {
          const backendMs = Math.round(performance.now() - idleFromMs);
          if (backendMs < CLOSES_AT_ONCE_MS) {
            return finish({ ok: true, status: res.statusCode, evidence: `${target} closes the connection right after each answer (${backendMs} ms): it keeps no idle connection, so there is nothing to race (${compared})` });
          }
          const first = backendMs < gatewayMs;
          finish({
            ok: !first,
            status: res.statusCode,
            backendIdleTimeoutMs: backendMs,
            evidence: first
              ? `the backend closed an idle keep-alive connection after ${backendMs} ms${note}, before the ${compared}: a request the gateway sends on a pooled connection as it closes dies (502)`
              : `the backend kept an idle keep-alive connection ${backendMs} ms${note}, past the ${compared}`,
          });
        });
        waitTimer = setTimeout(() => finish({
          ok: true,
          status: res.statusCode,
          evidence: `the backend kept an idle keep-alive connection open for ${gatewayMs + KEEPALIVE_MARGIN_MS} ms${note}, past the ${compared}: the gateway closes first`,
        }), gatewayMs + KEEPALIVE_MARGIN_MS);
      });
    });
    req.end();
  });
}
