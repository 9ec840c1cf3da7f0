import { ROUTES, type ProbeResult, type Route } from '../model.js';
import { probeDirectVsGateway } from './probes/probe-direct-vs-gateway.js';
import { probeDns, type LookupAll } from './probes/probe-dns.js';
import { probeHealth } from './probes/probe-health.js';
import { probeKeepalive, type GatewayIdleTimeout } from './probes/probe-keepalive.js';
import { probeTcp } from './probes/probe-tcp.js';
import { findGatewayTimeout, judgeTimeout } from './probes/probe-timeout.js';
import { probeTls } from './probes/probe-tls.js';
import type { ProbeRequest } from './targets.js';
import type { ClientTls } from '../postman/client-tls.js';

export interface ProbePlan {
  urls: Record<Route, URL>;
  requests: ProbeRequest[];
  healthPath?: string;
  gatewayTimeoutMs?: number;
  /** Bound of each DNS, TCP and TLS probe. */
  connectTimeoutMs: number;
  /** Bound of each HTTP request. */
  requestTimeoutMs: number;
  nowMs: number;
  lookup?: LookupAll;
  /** The keep-alive probe's comparison; absent: no keep-alive probe. */
  gatewayIdle?: GatewayIdleTimeout;
  /** Ctrl-C: the HTTP probe in flight is cut and no other starts. */
  signal?: AbortSignal;
  /** newman's TLS flags, read: every TLS and HTTP probe presents the client certificate and trusts the extra CAs. */
  tls?: ClientTls;
}

/**
 * Runs the guide's checks in its order — DNS, then TCP to what resolved, TLS for https, backend
 * health, each request through the gateway and direct — and derives the timeout probe from those
 * answers. Every probe is bounded by its timeout, so the whole run is too.
 */
export async function runProbes(plan: ProbePlan): Promise<ProbeResult[]> {
  const dns = await Promise.all(ROUTES.map((route) => probeDns(plan.urls[route].hostname, route, { timeoutMs: plan.connectTimeoutMs, lookup: plan.lookup })));
  const resolved = ROUTES.filter((_, i) => dns[i].ok);
  const tcp = await Promise.all(resolved.map((route) => probeTcp(plan.urls[route].hostname, portOf(plan.urls[route]), route, { timeoutMs: plan.connectTimeoutMs })));
  const secure = resolved.filter((route, i) => plan.urls[route].protocol === 'https:' && tcp[i].ok);
  const tls = await Promise.all(secure.map((route) => probeTls(plan.urls[route].hostname, portOf(plan.urls[route]), route, { timeoutMs: plan.connectTimeoutMs, nowMs: plan.nowMs, tls: plan.tls })));
  // The keep-alive probe mostly waits (up to the gateway's idle timeout): it runs beside the others.
  const backendAccepts = tcp.some((p) => p.route === 'backend' && p.ok);
  const keepalive = plan.gatewayIdle && backendAccepts
    ? probeKeepalive(plan.urls.backend, { gateway: plan.gatewayIdle, requestTimeoutMs: plan.requestTimeoutMs, path: keepalivePath(plan), signal: plan.signal, tls: plan.tls })
    : undefined;
  const health = plan.healthPath !== undefined ? [await probeHealth(plan.urls.backend, plan.healthPath, { timeoutMs: plan.requestTimeoutMs, signal: plan.signal, tls: plan.tls })] : [];
  const http = await probeDirectVsGateway(plan.urls, plan.requests, { timeoutMs: plan.requestTimeoutMs, signal: plan.signal, tls: plan.tls });
  const probes = [...dns, ...tcp, ...tls, ...health, ...http, ...(keepalive ? [await keepalive] : [])];
  // A probe the signal cut (`interrupted`) has no time to judge.
  const finished = probes.filter((p) => !p.interrupted);
  const timeout = judgeTimeout(finished, findGatewayTimeout(finished, plan.gatewayTimeoutMs));
  return timeout ? [...probes, timeout] : probes;
}

function portOf(url: URL): number {
  return url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
}

/** A harmless request for the keep-alive probe: the health path, else the first GET, else `/`. */
function keepalivePath(plan: ProbePlan): string {
  return plan.healthPath ?? plan.requests.find((r) => r.method === 'GET')?.path ?? '/';
}
