import { makeCauseRule } from './cause-rule.js';
import { wordsOf } from './gateway-terms.js';

/** The gateway's own limit turned requests away before the backend saw them: Envoy UO, HAProxy sQ, Apache AH00941, Varnish "busy". */
export const gatewayOverflow = makeCauseRule({
  code: 'gateway-overflow',
  logWhat: 'requests refused by the gateway\'s own limit',
  gatewayStatuses: [503],
  next: (evidence) => `The gateway's own limit rejected these requests; the backend never saw them. Raise its ${wordsOf(evidence).connectionLimit ?? 'connection limit towards the backend'} to what the backend can hold, or add backend capacity so the queue drains in time.`,
});
