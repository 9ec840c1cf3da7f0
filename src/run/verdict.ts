/**
 * The verdict of one endpoint from its gateway and backend observations: one ordered rule table
 * (first match wins) after issue 4's verdict table and the guide's table of causes (500 fails inside
 * the backend, 502 is bad communication, 503 is deliberate unavailability, 504 is a backend too slow).
 *
 * Order matters and says what we trust most:
 * 1. A gateway we cannot even connect to hides everything behind it.
 * 2. The backend hit directly tells the most: refused, unresolvable, unreachable, malformed.
 *    A connection the backend accepts and then closes or resets without answering (ECONNRESET
 *    "socket hang up", nginx's "upstream prematurely closed connection") is read as `backend-down`:
 *    the guide files "backend crashed mid-request" under a backend that is down, and nothing came
 *    back that could be malformed (`backend-invalid-response` is kept for answers that did come).
 * 3. Status codes either side may give: 503 (deliberate), then 504 / too slow, then 500.
 * 4. Only the gateway failed while the backend answered directly → the gateway's configuration.
 * 5. No direct request to compare with: the gateway's answer alone, read as the guide reads it.
 */
import type { RouteObservation, RunVerdictCode, Verdict } from '../model.js';
import { classifyObservation, type ObservationKind } from './classify.js';
import { explainVerdict, type VerdictContext, type VerdictFacts } from './verdict-text.js';

export type { VerdictContext, VerdictFacts } from './verdict-text.js';

interface Rule {
  code: RunVerdictCode;
  when(facts: VerdictFacts): boolean;
}

const GATEWAY_CONNECT_FAILURES: ObservationKind[] = ['refused', 'unresolvable', 'unreachable', 'transport-other'];
const GATEWAY_FAILURES: ObservationKind[] = ['status-502', 'status-5xx', 'timeout', 'slow', 'malformed', 'closed'];

/** True when a slow gateway answer is mostly the backend's own time (at least half of it). */
function backendExplainsSlowGateway(f: VerdictFacts): boolean {
  if (!f.backendObservation || !f.gatewayObservation) return true;
  return f.backendObservation.latencyMs * 2 >= f.gatewayObservation.latencyMs;
}

/** The table. Read top to bottom; the first rule that holds gives the code. */
export const VERDICT_RULES: readonly Rule[] = [
  { code: 'gateway-unreachable', when: (f) => GATEWAY_CONNECT_FAILURES.includes(f.gateway) },
  { code: 'backend-down', when: (f) => f.backend === 'refused' || f.backend === 'closed' },
  { code: 'backend-unresolvable', when: (f) => f.backend === 'unresolvable' },
  { code: 'backend-unreachable', when: (f) => f.backend === 'unreachable' || f.backend === 'transport-other' },
  { code: 'backend-invalid-response', when: (f) => f.backend === 'malformed' },
  { code: 'service-unavailable', when: (f) => f.gateway === 'status-503' || f.backend === 'status-503' },
  {
    code: 'backend-timeout',
    when: (f) =>
      f.gateway === 'status-504' || f.backend === 'status-504' || f.backend === 'timeout' || f.backend === 'slow' ||
      (f.gateway === 'slow' && f.backend === 'ok' && backendExplainsSlowGateway(f)),
  },
  { code: 'backend-error', when: (f) => f.backend === 'status-5xx' || f.backend === 'status-502' },
  // From here the backend answered directly without fault (or was not asked).
  { code: 'gateway-misconfigured', when: (f) => f.backend === 'ok' && GATEWAY_FAILURES.includes(f.gateway) },
  // No direct request for this endpoint: the gateway's answer alone.
  { code: 'backend-timeout', when: (f) => f.backend === 'absent' && (f.gateway === 'timeout' || f.gateway === 'slow') },
  { code: 'backend-error', when: (f) => f.backend === 'absent' && f.gateway === 'status-5xx' },
  { code: 'backend-invalid-response', when: (f) => f.backend === 'absent' && f.gateway === 'malformed' },
  // A 502 (or a dropped connection) with nothing to compare: the guide's most common cause.
  { code: 'backend-down', when: (f) => f.backend === 'absent' && (f.gateway === 'status-502' || f.gateway === 'closed') },
  { code: 'ok', when: () => true },
];

/**
 * Decides one endpoint's verdict. Pure: the same observations always give the same verdict.
 * `maxLatencyMs` is the latency limit (the collection's `max_response_time_ms`); an answer at or
 * above it counts as slow. `context` only fills the URLs into the message and next step.
 */
export function decideVerdict(
  gateway: RouteObservation | undefined,
  backend: RouteObservation | undefined,
  maxLatencyMs: number,
  context: VerdictContext = {},
): Verdict<RunVerdictCode> {
  const facts: VerdictFacts = {
    gateway: classifyObservation(gateway, maxLatencyMs),
    backend: classifyObservation(backend, maxLatencyMs),
    gatewayObservation: gateway,
    backendObservation: backend,
    maxLatencyMs,
  };
  const rule = VERDICT_RULES.find((r) => r.when(facts))!;
  return explainVerdict(rule.code, facts, context);
}
