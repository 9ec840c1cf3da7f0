import type { CauseCode, Confidence } from '../../model.js';
import { describeFailedAnswers } from './answers-evidence.js';
import {
  describeGatewayAnswers, describeLogCause, gatewayAnswers, describeProbes, gatewayServesEverything, GATEWAY_SERVES_NOTE, logCause, probesFailingWith, weighEvidence,
  type Candidate, type DiagnoseEvidence, type DiagnoseRule,
} from './evidence.js';
import { statusesFor } from './gateway-terms.js';

export interface CauseRuleSpec {
  code: CauseCode;
  /** How the log lines read, e.g. `"connect() failed (111: Connection refused)"`. */
  logWhat: string;
  /** The next step, from the guide: in the gateway's own words where it is known (a function of the evidence). */
  next: string | ((evidence: DiagnoseEvidence) => string);
  /**
   * Gateway answers that fit this cause where no profile says (502 for most, 504 for timeouts); with
   * a known gateway its own table decides (Apache 502 for a timeout, Varnish 503 for every failure).
   */
  gatewayStatuses?: readonly number[];
  /**
   * Adjusts the drafted finding with rule-specific evidence: return it changed, or undefined to
   * drop it (e.g. refusals the log shows at an address that is not the backend's).
   */
  refine?: (draft: Candidate, evidence: DiagnoseEvidence) => Candidate | undefined;
  /** Other evidence that alone is enough to draft the finding (e.g. a gateway 504 for timeouts). */
  alsoWhen?: (evidence: DiagnoseEvidence) => boolean;
}

/**
 * The common shape of a cause rule: backend probes failing with this cause's error, this cause's
 * lines in the nginx error log, and gateway answers that fit. Confidence: high when a probe shows
 * it now, or the log shows it and the gateway fails now; medium on the log alone.
 */
export function makeCauseRule(spec: CauseRuleSpec): DiagnoseRule {
  return (evidence) => {
    const statuses = statusesFor(evidence, spec.code, spec.gatewayStatuses ?? [502]);
    const hits = probesFailingWith(evidence, spec.code);
    const log = logCause(evidence, spec.code);
    if (hits.length === 0 && !log && !spec.alsoWhen?.(evidence)) return undefined;
    const lines = describeProbes(hits);
    if (log) {
      lines.push(describeLogCause(log, spec.logWhat, evidence.log, spec.code));
      const answered = describeFailedAnswers(evidence, spec.code, log);
      if (answered) lines.push(answered);
    }
    const gateway = describeGatewayAnswers(evidence, statuses);
    if (gateway) lines.push(gateway);
    const gatewayFails = gatewayAnswers(evidence, statuses).length > 0;
    const confidence: Confidence = hits.length > 0 || (gatewayFails && log) ? 'high' : 'medium';
    const weight = weighEvidence(hits.length, log?.count);
    const next = typeof spec.next === 'function' ? spec.next(evidence) : spec.next;
    const draft: Candidate = { finding: { code: spec.code, confidence, evidence: lines, next }, weight };
    if (hits.length > 0 && !log && gatewayServesEverything(evidence)) {
      // The backend fails directly, yet the gateway answers: backend_url is probably not the backend the gateway uses.
      draft.finding.confidence = 'low';
      draft.finding.evidence.push(GATEWAY_SERVES_NOTE);
    }
    return spec.refine ? spec.refine(draft, evidence) : draft;
  };
}
