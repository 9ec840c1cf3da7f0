import type { Confidence, ProbeResult } from '../../model.js';
import {
  describeGatewayAnswers, describeProbes, gatewayServesEverything, GATEWAY_SERVES_NOTE, weighEvidence, type DiagnoseRule,
} from './evidence.js';

/**
 * A 5xx that is the backend's own failure, not a gateway error: 503 is deliberate unavailability
 * (service-unavailable) and 504 a timeout, so every other 5xx counts — the 500 of the guide's table.
 */
function isOwnError(status: number | undefined): status is number {
  return status !== undefined && status >= 500 && status !== 503 && status !== 504;
}

/** Direct backend answers (health and requests) that are the backend's own 5xx. */
function backendErrorAnswers(probes: readonly ProbeResult[]): ProbeResult[] {
  return probes.filter((p) => p.route === 'backend' && (p.kind === 'health' || p.kind === 'direct-vs-gateway') && isOwnError(p.status));
}

/**
 * The backend itself answers 500 (the guide: "Backend server failed unexpectedly — error occurred
 * inside the backend"): the gateway only passes it on, so restarting or reconfiguring the gateway
 * does not help. High when requests fail directly now; medium when only the health path does;
 * low when the gateway serves every request (backend_url is likely not the gateway's backend).
 */
export const backendError: DiagnoseRule = (evidence) => {
  const answers = backendErrorAnswers(evidence.probes);
  if (answers.length === 0) return undefined;
  const requests = answers.filter((p) => p.kind === 'direct-vs-gateway');
  const lines = describeProbes(answers);
  const statuses = [...new Set(answers.map((p) => p.status!))];
  const gateway = describeGatewayAnswers(evidence, statuses);
  if (gateway) lines.push(`${gateway}: the gateway passes the backend's error on`);
  let confidence: Confidence = requests.length > 0 ? 'high' : 'medium';
  if (requests.length > 0 && gatewayServesEverything(evidence)) {
    confidence = 'low';
    lines.push(GATEWAY_SERVES_NOTE);
  }
  return {
    finding: {
      code: 'backend-error',
      confidence,
      evidence: lines,
      next: 'The error happens inside the backend (a 500 is not a gateway problem; the gateway passes it on): read the backend\'s application logs around these requests (journalctl -u <service>, its log files) and fix the failing code path; check what it depends on (database, disk, other services).',
    },
    weight: weighEvidence(answers.length),
  };
};
