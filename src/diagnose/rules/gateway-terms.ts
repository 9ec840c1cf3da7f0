import { GATEWAYS, UPSTREAM_FAILURES, failureStatusesOf, type GatewayProfile, type GatewayWords, type UpstreamFailure } from '../../gateways/index.js';
import type { CauseCode } from '../../model.js';
import type { DiagnoseEvidence } from './evidence.js';

/** The gateways measured here (src/gateways/, test/gateways/): what "some gateway answers …" ranges over when the kind is unknown. */
const MEASURED = [GATEWAYS.nginx, GATEWAYS.haproxy, GATEWAYS.caddy, GATEWAYS.apache, GATEWAYS.varnish];

function isUpstreamFailure(code: CauseCode): code is UpstreamFailure {
  return (UPSTREAM_FAILURES as readonly CauseCode[]).includes(code);
}

/**
 * The statuses through which a gateway shows `code`: the profile's own (Apache answers 502 for a
 * timeout, Varnish 503 for everything); unknown kind: every status a measured gateway answers for
 * it. Causes no profile maps (TLS, DNS at nginx …) keep `fallback`.
 */
export function statusesFor(evidence: DiagnoseEvidence, code: CauseCode, fallback: readonly number[]): number[] {
  if (!isUpstreamFailure(code)) return [...fallback];
  const profiles = evidence.gateway ? [evidence.gateway] : MEASURED;
  const statuses = new Set(profiles.map((p) => p.answers[code].status).filter((s): s is number => s !== null && s >= 500));
  return statuses.size > 0 ? [...statuses].sort() : [...fallback];
}

/** The statuses that mean an upstream failure through this gateway; unknown: 502, 503 and 504 (some gateway answers each). */
export function failureStatuses(evidence: DiagnoseEvidence): number[] {
  return evidence.gateway ? failureStatusesOf(evidence.gateway) : [502, 503, 504];
}

/** True when the gateway (or, unknown, some measured gateway) answers 503 for an upstream failure. */
export function answers503ForFailures(evidence: DiagnoseEvidence): boolean {
  return failureStatuses(evidence).includes(503);
}

const SEVERAL: GatewayWords = {
  upstream: 'the upstream (nginx proxy_pass / upstream, HAProxy server, Caddy reverse_proxy, Apache ProxyPass, Varnish backend)',
  readTimeout: 'read timeout (nginx proxy_read_timeout, HAProxy timeout server, Caddy response_header_timeout, Apache ProxyTimeout, Varnish .first_byte_timeout)',
  connectTimeout: 'connect timeout (nginx proxy_connect_timeout, HAProxy timeout connect, Apache connectiontimeout=, Varnish .connect_timeout)',
  connectionLimit: 'connection limit towards the backend (nginx max_conns, HAProxy maxconn, Apache max=, Varnish .max_connections)',
  pooling: 'upstream keep-alive (nginx keepalive, HAProxy http-reuse, Caddy keepalive, Apache ttl=, Varnish backend_idle_timeout)',
  configTest: 'its configuration test (nginx -t, haproxy -c, caddy validate, apachectl configtest)',
  reload: 'a reload',
  logs: 'its error and access logs',
};

/** The gateway's own words for next steps; unknown kind: the words of several, named as such. */
export function wordsOf(evidence: DiagnoseEvidence): GatewayWords & { name: string } {
  return evidence.gateway ? { ...evidence.gateway.words, name: evidence.gateway.name } : { ...SEVERAL, name: 'the gateway' };
}

export type { GatewayProfile };
