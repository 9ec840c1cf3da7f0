import type { GatewayProfile } from './profile.js';

/**
 * Envoy, from its documentation and issues — not packaged in Debian, not run here.
 * Response flags: envoyproxy.io/docs/envoy/latest/configuration/observability/access_log/usage
 * (UF, UC, UT, UPE, UH, UO); 502 for upstream protocol errors since envoyproxy/envoy#15033 (1.18);
 * connect failures and resets stay 503 "for historical reasons" (envoyproxy/envoy#14201).
 */
export const ENVOY: GatewayProfile = {
  kind: 'envoy',
  name: 'Envoy',
  versions: '1.18+ (documentation)',
  recognition: {
    // `server_name` defaults to "envoy"; proxied answers carry x-envoy-upstream-service-time.
    server: /^envoy\b/,
    headers: [{ name: 'x-envoy-upstream-service-time', value: /^\d+$/ }],
    errorBody: /upstream connect error or disconnect\/reset before headers|no healthy upstream|upstream request timeout/,
  },
  logFormats: [{ name: 'envoy-access', kind: 'access', describes: 'access log, default text format or JSON, with %RESPONSE_FLAGS%', diagnoseReads: 'envoy' }],
  answers: {
    'backend-down': { status: 503, basis: 'documented', note: 'flag UF: "upstream connect error or disconnect/reset before headers. reset reason: connection failure"' },
    'backend-closed-connection': { status: 503, basis: 'documented', note: 'flag UC (connection termination) or UR' },
    'backend-timeout': { status: 504, basis: 'documented', note: 'flag UT "upstream request timeout" after the route timeout (15 s by default)' },
    'backend-invalid-response': { status: 502, basis: 'documented', note: 'flag UPE (1.18+; 503 UC before)' },
    'backend-unresolvable': { status: 503, basis: 'documented', note: 'a DNS cluster without hosts: flag UH "no healthy upstream"' },
    'gateway-overflow': { status: 503, basis: 'documented', when: 'a circuit-breaker threshold (max_connections, max_pending_requests: 1024 by default) is reached', note: 'flag UO' },
  },
  // Route timeout default: 15 s.
  defaultReadTimeoutSec: 15,
  pooling: {
    // HttpProtocolOptions common_http_protocol_options.idle_timeout: "If not specified, this defaults to 1 hour" for upstream connections.
    byDefault: true,
    idleTimeoutSec: 3600,
    how: 'cluster typed_extension_protocol_options … common_http_protocol_options.idle_timeout (1 h by default)',
    retriesIdempotent: false,
    retryNote: 'no retries without a route retry_policy (e.g. retry_on: reset, connect-failure); then the client gets 503 UC',
    basis: 'documented',
  },
  words: {
    upstream: 'clusters … load_assignment',
    readTimeout: 'route timeout',
    connectTimeout: 'cluster connect_timeout',
    connectionLimit: 'cluster circuit_breakers (max_connections, max_pending_requests)',
    pooling: 'common_http_protocol_options.idle_timeout',
    retry: 'route retry_policy',
    configTest: 'envoy --mode validate -c envoy.yaml',
    logs: 'access_log',
  },
};
