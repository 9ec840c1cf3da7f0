import { makeCauseRule } from './cause-rule.js';

/** The gateway's own limit turned requests away before the backend saw them: Envoy UO, HAProxy sQ. */
export const gatewayOverflow = makeCauseRule({
  code: 'gateway-overflow',
  logWhat: 'requests refused by the gateway\'s own limit',
  gatewayStatuses: [503],
  next: 'The gateway\'s own limit rejected these requests; the backend never saw them. Raise it to what the backend can hold (Envoy: the cluster\'s circuit_breakers max_connections / max_pending_requests / max_requests; HAProxy: the servers\' maxconn and timeout queue) or add backend capacity so the queue drains in time.',
});
