import { makeCauseRule } from './cause-rule.js';
import { gatewayAnswers, logCause, probesOf, weighEvidence } from './evidence.js';
import { statusesFor, wordsOf } from './gateway-terms.js';

/**
 * The backend answers slower than the gateway waits (or not at all): the timeout probe, direct
 * requests that never answered, gateway 504s and "upstream timed out" lines. When the log says the
 * timeouts happen "while connecting to upstream", the next step points at connectivity instead.
 */
export const backendTimeout = makeCauseRule({
  code: 'backend-timeout',
  logWhat: '"upstream timed out (110: Connection timed out)"',
  next: (evidence) => `Raise the gateway's ${wordsOf(evidence).readTimeout} (the guide uses 120s) or make the backend answer faster / add capacity so it answers within the gateway timeout.`,
  gatewayStatuses: [504],
  // A 504 is a timeout at every gateway that answers it; another status only says so with a timeout probe or log line beside it.
  alsoWhen: (evidence) => gatewayAnswers(evidence, statusesFor(evidence, 'backend-timeout', [504]).filter((s) => s === 504)).length > 0 || probesOf(evidence, 'timeout').some((p) => !p.ok),
  refine: (draft, evidence) => {
    const slow = probesOf(evidence, 'timeout').filter((p) => !p.ok);
    for (const p of slow) draft.finding.evidence.unshift(`timeout probe: ${p.evidence}`);
    if (slow.length > 0) {
      draft.finding.confidence = 'high';
      draft.weight += weighEvidence(slow.length);
    }
    const connecting = logCause(evidence, 'backend-timeout')?.phases?.['connecting to upstream'] ?? 0;
    if (connecting > 0 && connecting * 2 >= (logCause(evidence, 'backend-timeout')?.count ?? 0)) {
      draft.finding.next = `Most timeouts happen while connecting: check firewall rules between gateway and backend (iptables -L, telnet <host> <port>) and whether the backend's accept queue is full (overload: scale it); ${wordsOf(evidence).connectTimeout} bounds this wait.`;
    }
    return draft;
  },
});
