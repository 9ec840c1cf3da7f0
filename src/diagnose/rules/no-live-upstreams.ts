import { describeGatewayAnswers, describeLogCause, logCause, UPSTREAM_FAILURE_CAUSES, weighEvidence, type DiagnoseRule } from './evidence.js';
import { failureStatuses, wordsOf } from './gateway-terms.js';

/**
 * Every server of an upstream block is marked failed (max_fails / fail_timeout), so nginx does not
 * even try: known only from the log. When the log also shows why servers failed, this is their
 * consequence and ranks below them (low); alone it is medium.
 */
export const noLiveUpstreams: DiagnoseRule = (evidence) => {
  const log = logCause(evidence, 'no-live-upstreams');
  if (!log) return undefined;
  const reasons = UPSTREAM_FAILURE_CAUSES.filter((code) => logCause(evidence, code));
  const lines = [describeLogCause(log, '"no live upstreams"', evidence.log, 'no-live-upstreams')];
  if (reasons.length > 0) lines.push(`follows from the upstream failures also in the log: ${reasons.join(', ')}`);
  const gateway = describeGatewayAnswers(evidence, failureStatuses(evidence).filter((s) => s !== 504));
  if (gateway) lines.push(gateway);
  return {
    finding: {
      code: 'no-live-upstreams',
      confidence: reasons.length > 0 ? 'low' : 'medium',
      evidence: lines,
      next: `Every upstream server was marked failed or is at its connection limit (${wordsOf(evidence).connectionLimit ?? 'its limit'}): bring the backends back (restart/scale) or raise the limit, then add health checks and more than one backend server for redundancy.`,
    },
    weight: weighEvidence(0, log.count),
  };
};
