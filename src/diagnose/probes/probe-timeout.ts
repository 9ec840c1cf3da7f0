import type { ProbeResult } from '../../model.js';

export interface GatewayTimeout {
  limitMs: number;
  /** Where the number came from, for the evidence. */
  source: 'given' | 'inferred';
}

/**
 * The gateway's timeout as far as it can be known: the user's `--gateway-timeout`, else the time
 * the gateway took to answer 504 in the direct-vs-gateway probes (nginx answers 504 exactly when
 * proxy_read_timeout / proxy_connect_timeout expires). Undefined when neither tells it. Pure.
 */
export function findGatewayTimeout(probes: ProbeResult[], givenMs?: number): GatewayTimeout | undefined {
  if (givenMs !== undefined) return { limitMs: givenMs, source: 'given' };
  const answers504 = probes.filter((p) => p.kind === 'direct-vs-gateway' && p.route === 'gateway' && p.status === 504);
  if (answers504.length === 0) return undefined;
  return { limitMs: Math.min(...answers504.map((p) => p.timeMs)), source: 'inferred' };
}

/**
 * The timeout probe, computed from the direct answers already measured (no new requests): the
 * slowest direct backend request (health included) against the gateway's timeout. Failed when the backend needs as
 * long as the gateway waits, or never answered within the probe's own bound. Pure; undefined when
 * the timeout is unknown or no direct request was made.
 */
export function judgeTimeout(probes: ProbeResult[], timeout: GatewayTimeout | undefined): ProbeResult | undefined {
  if (!timeout) return undefined;
  const direct = probes.filter((p) => (p.kind === 'direct-vs-gateway' || p.kind === 'health') && p.route === 'backend' && (p.status !== undefined || p.error === 'ESOCKETTIMEDOUT'));
  if (direct.length === 0) return undefined;
  const slowest = direct.reduce((a, b) => (b.timeMs > a.timeMs ? b : a));
  const answered = slowest.error === undefined;
  const ok = answered && slowest.timeMs < timeout.limitMs;
  const how = timeout.source === 'given' ? 'given' : 'inferred from the gateway\'s 504 answer time';
  const measured = answered ? `answered in ${slowest.timeMs} ms` : `gave no answer within ${slowest.timeMs} ms`;
  return {
    kind: 'timeout',
    target: slowest.target,
    route: 'backend',
    request: slowest.request,
    ok,
    timeMs: slowest.timeMs,
    limitMs: timeout.limitMs,
    evidence: `slowest direct backend request ${slowest.request} ${measured}; gateway timeout ${timeout.limitMs} ms (${how})${ok ? '' : ': the backend is slower than the gateway waits'}`,
  };
}
