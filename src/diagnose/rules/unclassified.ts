import type { Finding } from '../../model.js';
import { describeGatewayAnswers, logLabel, type Candidate, type DiagnoseEvidence } from './evidence.js';

/**
 * The fallback, run after every other rule: the gateway fails (502) or the log has error lines
 * about upstreams that no rule knows, and no other rule found a cause. Low confidence; the
 * evidence carries the unknown log samples so a person can read them.
 */
export function findUnclassified(evidence: DiagnoseEvidence, others: readonly Finding[]): Candidate | undefined {
  if (others.length > 0) return undefined;
  const lines: string[] = [];
  const gateway = describeGatewayAnswers(evidence, [502, 504]);
  if (gateway) lines.push(gateway);
  const unknown = evidence.log?.unknown;
  const upstreamSamples = (unknown?.samples ?? []).filter((s) => s.includes('upstream'));
  if (unknown && upstreamSamples.length > 0) {
    lines.push(`${logLabel(evidence.log)}: ${unknown.count} line(s) no rule knows, e.g.`);
    for (const s of upstreamSamples) lines.push(`  ${s}`);
  }
  if (lines.length === 0) return undefined;
  return {
    finding: {
      code: 'unclassified',
      confidence: 'low',
      evidence: lines,
      next: 'Read the gateway\'s error log around the failures (tail -f /var/log/nginx/error.log) and pass it with --nginx-log; check the backend health endpoint with --health-path.',
    },
    weight: 0,
  };
}
