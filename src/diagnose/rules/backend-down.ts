import { makeCauseRule } from './cause-rule.js';
import type { ProbeResult } from '../../model.js';
import { logCause, logPointsAtBackend, probesFailingWith, probesOf, type DiagnoseEvidence } from './evidence.js';

/**
 * The backend refuses connections: the guide's most common cause. A log-only refusal at an address
 * that is not backend_url's is left to the gateway-misconfigured rule (wrong upstream port); one at
 * the backend's address while the backend accepts now means it was down then (restarted, flapping).
 * A health path answering 5xx counts too: the backend runs but says it is unhealthy.
 */
export const backendDown = makeCauseRule({
  code: 'backend-down',
  logWhat: '"connect() failed (111: Connection refused)"',
  next: 'Restart the backend service (systemctl status <service>; check free -h / top for memory), confirm it listens on the port in backend_url, and if it runs, fix the upstream port in the gateway config.',
  alsoWhen: (evidence) => unavailable(evidence).length > 0,
  refine: (draft, evidence) => {
    const probeShows = probesFailingWith(evidence, 'backend-down').length > 0;
    const log = logCause(evidence, 'backend-down');
    const accepting = probesOf(evidence, 'tcp', 'backend').some((p) => p.ok);
    if (!probeShows && log && accepting) {
      if (!logPointsAtBackend(evidence, log)) return undefined;
      draft.finding.confidence = 'medium';
      draft.finding.evidence.push('the backend accepts connections now: it was down at the times above (crashed and restarted, or flapping)');
    }
    for (const p of unavailable(evidence)) draft.finding.evidence.push(`${p.kind} probe: ${p.evidence}`);
    return draft;
  },
});

/** Direct answers in which the backend says it cannot serve: health 5xx, or 503 on a request. */
function unavailable(evidence: DiagnoseEvidence): ProbeResult[] {
  return [
    ...probesOf(evidence, 'health').filter((p) => p.status !== undefined && p.status >= 500),
    ...probesOf(evidence, 'direct-vs-gateway', 'backend').filter((p) => p.status === 503),
  ];
}
