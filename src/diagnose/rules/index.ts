import type { Finding } from '../../model.js';
import { backendClosedConnection } from './backend-closed-connection.js';
import { backendDown } from './backend-down.js';
import { backendError } from './backend-error.js';
import { backendInvalidResponse } from './backend-invalid-response.js';
import { backendSent502 } from './backend-sent-502.js';
import { backendTimeout } from './backend-timeout.js';
import { backendUnreachable } from './backend-unreachable.js';
import { backendUnresolvable } from './backend-unresolvable.js';
import { connectionReset } from './connection-reset.js';
import type { Candidate, DiagnoseEvidence, DiagnoseRule } from './evidence.js';
import { gatewayMisconfigured } from './gateway-misconfigured.js';
import { gatewayOverflow } from './gateway-overflow.js';
import { keepaliveRace } from './keepalive-race.js';
import { noLiveUpstreams } from './no-live-upstreams.js';
import { rankFindings } from './rank-findings.js';
import { serviceUnavailable } from './service-unavailable.js';
import { tlsProblem } from './tls-problem.js';
import { findUnclassified } from './unclassified.js';
import { unnamedFailures } from './unnamed-failures.js';

export type { Candidate, DiagnoseEvidence, DiagnoseRule } from './evidence.js';
export { rankFindings, CAUSE_PRECEDENCE } from './rank-findings.js';

/** Every cause rule, one per file. Order does not matter: findings are ranked afterwards. */
export const RULES: readonly DiagnoseRule[] = [
  backendDown, backendClosedConnection, backendTimeout, noLiveUpstreams, backendInvalidResponse,
  backendUnresolvable, connectionReset, backendUnreachable, tlsProblem, gatewayMisconfigured, backendError,
  serviceUnavailable, keepaliveRace, gatewayOverflow, backendSent502, unnamedFailures,
];

/** Runs every rule, then the unclassified fallback, and ranks what they found. Pure. */
export function findCauses(evidence: DiagnoseEvidence, rules: readonly DiagnoseRule[] = RULES): Finding[] {
  const candidates = rules.map((rule) => rule(evidence)).filter((c): c is Candidate => c !== undefined);
  const fallback = findUnclassified(evidence, candidates.map((c) => c.finding));
  if (fallback) candidates.push(fallback);
  return rankFindings(candidates);
}
