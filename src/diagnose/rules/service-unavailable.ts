import type { Confidence } from '../../model.js';
import type { ProbeResult } from '../../model.js';
import { describeGatewayAnswers, describeLogCause, describeProbes, logCause, probesOf, UPSTREAM_FAILURE_CAUSES, weighEvidence, type DiagnoseEvidence, type DiagnoseRule } from './evidence.js';
import { answers503ForFailures } from './gateway-terms.js';

const BACKEND_NEXT = 'A 503 is deliberate: the backend says it cannot serve now (maintenance, rate limiting, overload protection, no healthy instance behind it). Read the Retry-After header and its status page or health endpoint; wait for the maintenance to end, send fewer requests, or add capacity.';
const GATEWAY_NEXT = 'The gateway itself answers 503 while the backend answers directly: check the gateway\'s rate and connection limits (nginx limit_req / limit_conn answer 503), maintenance rules and the health of its upstream pool; the Retry-After header, when sent, says when to try again.';

/**
 * 503 Service Unavailable, from the backend or from the gateway: the server knows it cannot serve
 * (the guide's table) — not a crash, not a 502. When the backend answers directly and only the
 * gateway says 503, the gateway's own limits are the suspect. High when requests get 503 now,
 * medium on the health path or the log's "limiting requests" lines alone.
 */
export const serviceUnavailable: DiagnoseRule = (evidence) => {
  const backend = [...probesOf(evidence, 'health', 'backend'), ...probesOf(evidence, 'direct-vs-gateway', 'backend')].filter((p) => p.status === 503);
  const gateway = probesOf(evidence, 'direct-vs-gateway', 'gateway').filter((p) => p.status === 503 && !isUpstreamFailureAnswer(evidence, p));
  const log = logCause(evidence, 'service-unavailable');
  if (backend.length === 0 && gateway.length === 0 && !log) return undefined;
  const lines = describeProbes(backend);
  const gatewayLine = gateway.length > 0 || backend.length > 0 ? describeGatewayAnswers(evidence, [503]) : undefined;
  if (gatewayLine) lines.push(gatewayLine);
  const gatewayOnly = backend.length === 0 && (gateway.length > 0 || log !== undefined);
  if (gatewayOnly && gateway.length > 0) {
    const direct = probesOf(evidence, 'direct-vs-gateway', 'backend').filter((p) => gateway.some((g) => g.request === p.request) && p.ok);
    if (direct.length > 0) lines.push(`the backend answers the same request(s) directly (${direct.map((p) => `${p.request}: ${p.status}`).join(', ')}): the 503 comes from the gateway`);
  }
  if (log) lines.push(describeLogCause(log, '"limiting requests" / "limiting connections"', evidence.log, 'service-unavailable'));
  const requests = backend.filter((p) => p.kind === 'direct-vs-gateway').length + gateway.length;
  const confidence: Confidence = requests > 0 ? 'high' : 'medium';
  return {
    finding: { code: 'service-unavailable', confidence, evidence: lines, next: gatewayOnly ? GATEWAY_NEXT : BACKEND_NEXT },
    weight: weighEvidence(backend.length + gateway.length, log?.count),
  };
};

/**
 * A gateway 503 that is the gateway's answer to an upstream failure, not a deliberate "unavailable":
 * HAProxy, Apache and Varnish answer 503 when the backend is down (Varnish for every failure) — so
 * where the gateway is one of those (or unknown), a 503 while the backend refuses the same request
 * directly, or while the log shows upstream failures, belongs to that failure's finding.
 */
function isUpstreamFailureAnswer(evidence: DiagnoseEvidence, probe: ProbeResult): boolean {
  if (!answers503ForFailures(evidence)) return false;
  const direct = probesOf(evidence, 'direct-vs-gateway', 'backend').find((p) => p.request === probe.request);
  if (direct && direct.status === undefined && direct.error !== undefined) return true;
  return UPSTREAM_FAILURE_CAUSES.some((code) => logCause(evidence, code) !== undefined) || logCause(evidence, 'gateway-overflow') !== undefined;
}
