import type { GatewayProfile } from './profile.js';

/**
 * AWS Application Load Balancer, from its documentation — a cloud service, not run here.
 * docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-troubleshooting.html ("TS")
 * and …/edit-load-balancer-attributes.html ("EA").
 */
export const ALB: GatewayProfile = {
  kind: 'alb',
  name: 'AWS Application Load Balancer',
  versions: 'AWS documentation, 2026',
  recognition: {
    // The answers ALB generates itself (its 502/503/504 pages) carry "Server: awselb/2.0".
    server: /^awselb\b/,
    errorBody: /<center>awselb\/[\d.]+<\/center>/,
  },
  logFormats: [{ name: 'alb-access', kind: 'access', describes: 'access logs written to S3 (`.log.gz`): elb_status_code, target_status_code, error_reason', diagnoseReads: 'alb' }],
  answers: {
    'backend-down': { status: 502, basis: 'documented', note: 'TS: "The load balancer received a TCP RST from the target when attempting to establish a connection"' },
    'backend-closed-connection': { status: 502, basis: 'documented', note: 'TS: "The target closed the connection with a TCP RST or a TCP FIN while the load balancer had an outstanding request"' },
    'backend-timeout': { status: 504, basis: 'documented', note: 'TS: no answer within the idle timeout (60 s by default), or no connection within 10 s' },
    'backend-invalid-response': { status: 502, basis: 'documented', note: 'TS: "The target response is malformed or contains HTTP headers that are not valid"' },
    'backend-unresolvable': { status: null, basis: 'documented', note: 'targets are registered by instance or IP: there is no name to resolve' },
    'gateway-overflow': { status: null, basis: 'documented', note: 'no per-target connection cap to configure' },
  },
  defaultReadTimeoutSec: 60,
  pooling: {
    // EA "Connection idle timeout": 60 s for client and target connections; targets' keep-alive should be longer,
    // "Otherwise … the load balancer sends an HTTP 502 Bad Gateway error to the client".
    byDefault: true,
    idleTimeoutSec: 60,
    how: 'keeps target connections open; the connection idle timeout attribute (60 s by default) applies to them',
    retriesIdempotent: false,
    retryNote: 'EA: a request sent on a target connection the target had closed gets 502 — ALB does not retry it',
    basis: 'documented',
  },
  words: {
    upstream: 'target group',
    readTimeout: 'idle_timeout.timeout_seconds (connection idle timeout)',
    connectTimeout: 'the 10 s target connection timeout (fixed)',
    pooling: 'idle_timeout.timeout_seconds',
    logs: 'access_logs.s3.enabled',
  },
};
