import type { CauseCode, Confidence, Finding } from '../../model.js';
import type { Candidate } from './evidence.js';

/** Most confident first. */
export const CONFIDENCE_ORDER: readonly Confidence[] = ['high', 'medium', 'low'];
/**
 * Tie-break between equally supported causes: root causes before their consequences (a name that
 * does not resolve explains a refused or timed-out connect, a dead backend explains "no live
 * upstreams"), and the catch-alls last.
 */
export const CAUSE_PRECEDENCE: readonly CauseCode[] = [
  'backend-unresolvable', 'backend-unreachable', 'tls-problem', 'backend-down', 'backend-invalid-response',
  'keepalive-race', 'backend-closed-connection', 'connection-reset', 'backend-timeout', 'gateway-overflow', 'service-unavailable',
  'backend-sent-502', 'backend-error', 'gateway-misconfigured', 'no-live-upstreams', 'unclassified',
];

/**
 * Orders findings most likely first: by confidence, then by weight (how much evidence supports
 * each: probes now outweigh log lines then), then by CAUSE_PRECEDENCE. Pure; returns new findings.
 */
export function rankFindings(candidates: readonly Candidate[]): Finding[] {
  return [...candidates]
    .sort((a, b) =>
      CONFIDENCE_ORDER.indexOf(a.finding.confidence) - CONFIDENCE_ORDER.indexOf(b.finding.confidence)
      || b.weight - a.weight
      || CAUSE_PRECEDENCE.indexOf(a.finding.code) - CAUSE_PRECEDENCE.indexOf(b.finding.code))
    .map((c) => ({
      code: c.finding.code, confidence: c.finding.confidence, evidence: [...c.finding.evidence], next: c.finding.next,
      ...(c.finding.measured ? { measured: { ...c.finding.measured } } : {}),
    }));
}
