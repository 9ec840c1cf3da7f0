import { CADDY_LAB } from './caddy-lab.js';
import type { GatewayProfile } from './profile.js';

/**
 * Caddy's `reverse_proxy` with the `http` transport. Measured: Caddy 2.6.2 (Debian 12) in
 * test/gateways/faults.test.ts; the rest from caddyserver.com/docs/caddyfile/directives/reverse_proxy ("RP").
 */
export const CADDY: GatewayProfile = {
  kind: 'caddy',
  name: 'Caddy',
  versions: '2.6.2 (Debian 12)',
  recognition: {
    // Caddy sets "Server: Caddy" on every answer (measured); newer releases also add "Via: 1.1 Caddy"
    // to proxied answers (not in 2.6.2 — measured: absent).
    server: /^Caddy\b/,
    via: /\bCaddy\b/,
  },
  logFormats: [
    { name: 'caddy-json-access', kind: 'access', describes: 'JSON access log (`log { format json }` in a site): "handled request" with status', diagnoseReads: 'caddy' },
    { name: 'caddy-json-runtime', kind: 'runtime', describes: 'JSON runtime log: reverse_proxy errors at level error (logger http.log.error), with the status answered', diagnoseReads: 'caddy' },
  ],
  answers: {
    'backend-down': { status: 502, basis: 'measured', note: 'runtime log: "dial tcp …: connect: connection refused"' },
    'backend-closed-connection': { status: 502, basis: 'measured', note: 'runtime log: "EOF" (or "connection reset by peer")' },
    'backend-timeout': { status: 504, basis: 'measured', when: '`response_header_timeout` is set (RP: no timeout by default)', note: 'runtime log: "net/http: timeout awaiting response headers"' },
    'backend-invalid-response': { status: 502, basis: 'measured', note: 'runtime log: "net/http: HTTP/1.x transport connection broken: malformed MIME header …"' },
    'backend-unresolvable': { status: 502, basis: 'measured', note: 'runtime log: "dial tcp: lookup … no such host"; names are resolved per connection' },
    // RP "max_conns_per_host": a cap on connections (Go's Transport.MaxConnsPerHost): requests beyond it wait for one.
    'gateway-overflow': { status: null, basis: 'measured', when: '`max_conns_per_host` is set', note: 'nothing is answered at the cap: requests wait for a free connection, so it shows as latency, not errors' },
  },
  defaultReadTimeoutSec: null,
  pooling: {
    // RP `keepalive`: "how long to keep connections open (timeout). Default: 2m"; keepalive_idle_conns_per_host default 32.
    byDefault: true,
    idleTimeoutSec: 120,
    how: 'transport http { keepalive 2m (default) | off; keepalive_idle_conns_per_host 32 (default) }',
    // RP: "Idempotent requests will be retried by Go's HTTP transport, but Caddy will respond with
    // status code 502 in other cases." Measured: a GET on a dead pooled connection gets 200, a POST 502.
    retriesIdempotent: true,
    retryNote: "Go's HTTP transport retries an idempotent request (GET, HEAD, OPTIONS, TRACE, PUT/DELETE with a replayable body) once on a fresh connection; a POST gets 502",
    neverRetried: ['POST', 'PATCH', 'CONNECT'],
    basis: 'measured',
  },
  words: {
    upstream: 'reverse_proxy <upstream>',
    readTimeout: 'transport http { response_header_timeout }',
    connectTimeout: 'transport http { dial_timeout }',
    connectionLimit: 'transport http { max_conns_per_host }',
    pooling: 'transport http { keepalive }',
    retry: 'lb_retries / lb_try_duration',
    configTest: 'caddy validate --config Caddyfile',
    reload: 'caddy reload --config Caddyfile',
    logs: 'log { output file … }',
  },
  lab: CADDY_LAB,
};
