import type { GatewayProfile } from './profile.js';

/**
 * Traefik Proxy (v3), from its documentation and source — not packaged in Debian, not run here.
 * Status codes: pkg/proxy/httputil/proxy.go ComputeStatusCode (io.EOF → 502, a net.Error timeout →
 * 504, any other net.Error → 502); transport defaults: doc.traefik.io/traefik/reference/routing-configuration/http/load-balancing/serverstransport/ ("ST").
 */
export const TRAEFIK: GatewayProfile = {
  kind: 'traefik',
  name: 'Traefik',
  versions: 'v3 (documentation and source, 2026)',
  recognition: {
    note: 'Traefik sends no Server or Via header by default; its own errors are plain text ("Bad Gateway", "Gateway Timeout")',
  },
  logFormats: [
    { name: 'traefik-clf', kind: 'access', describes: 'access log in Common Log Format (the default `accessLog` format), with router, service and duration fields appended', diagnoseReads: 'traefik' },
    { name: 'traefik-json', kind: 'access', describes: 'access log as JSON (`accessLog.format: json`): DownstreamStatus, OriginStatus, Duration, …', diagnoseReads: 'traefik' },
  ],
  answers: {
    'backend-down': { status: 502, basis: 'documented', note: 'a dial error (net.Error, no timeout)' },
    'backend-closed-connection': { status: 502, basis: 'documented', note: 'io.EOF or a reset' },
    'backend-timeout': { status: 504, basis: 'documented', when: '`forwardingTimeouts.responseHeaderTimeout` is set (ST: 0s, no timeout, by default)' },
    'backend-invalid-response': { status: 502, basis: 'documented', note: "a malformed answer is an error of Go's HTTP transport" },
    'backend-unresolvable': { status: 502, basis: 'documented', note: 'a DNS error is a net.Error without a timeout' },
    'gateway-overflow': { status: null, basis: 'documented', note: 'no connection cap towards a server by default; the `inFlightReq` middleware answers 429 when configured' },
  },
  defaultReadTimeoutSec: null,
  pooling: {
    // ST forwardingTimeouts.idleConnTimeout: 90s; install options serverstransport.maxidleconnsperhost: 200.
    byDefault: true,
    idleTimeoutSec: 90,
    how: 'serversTransport: maxIdleConnsPerHost (200 by default; negative turns reuse off), forwardingTimeouts.idleConnTimeout (90s)',
    retriesIdempotent: true,
    retryNote: "Go's HTTP transport retries an idempotent request once on a fresh connection when a reused one fails before any answer; the `retry` middleware is off by default",
    neverRetried: ['POST', 'PATCH', 'CONNECT'],
    basis: 'documented',
  },
  words: {
    upstream: 'services … loadBalancer.servers',
    readTimeout: 'serversTransport forwardingTimeouts.responseHeaderTimeout',
    connectTimeout: 'serversTransport forwardingTimeouts.dialTimeout',
    pooling: 'serversTransport maxIdleConnsPerHost / forwardingTimeouts.idleConnTimeout',
    retry: 'retry middleware',
    logs: 'accessLog / log',
  },
};
