import { makeCauseRule } from './cause-rule.js';
import { logCause, logPointsAtBackend, probesFailingWith, probesOf } from './evidence.js';
import { wordsOf } from './gateway-terms.js';

/**
 * The backend refuses connections: the guide's most common cause. A log-only refusal at an address
 * that is not backend_url's is left to the gateway-misconfigured rule (wrong upstream port); one at
 * the backend's address while the backend accepts now means it was down then (restarted, flapping).
 * A backend that answers — even 500 or 503 — is not down: backend-error and service-unavailable
 * take those answers.
 */
export const backendDown = makeCauseRule({
  code: 'backend-down',
  logWhat: '"connect() failed (111: Connection refused)"',
  next: (evidence) => `Restart the backend service (systemctl status <service>; check free -h / top for memory), confirm it listens on the port in backend_url, and if it runs, fix the upstream port in the gateway's ${wordsOf(evidence).upstream}.`,
  refine: (draft, evidence) => {
    const probeShows = probesFailingWith(evidence, 'backend-down').length > 0;
    const log = logCause(evidence, 'backend-down');
    const accepting = probesOf(evidence, 'tcp', 'backend').some((p) => p.ok);
    if (!probeShows && log && accepting) {
      if (!logPointsAtBackend(evidence, log)) return undefined;
      draft.finding.confidence = 'medium';
      draft.finding.evidence.push('the backend accepts connections now: it was down at the times above (crashed and restarted, or flapping)');
    }
    return draft;
  },
});
