import { causeOfTransportError } from '../facts/transport-error.js';
import type { CauseCode, RouteObservation } from '../model.js';

/**
 * What one route's observation amounts to, before the two routes are compared. Transport codes are
 * the ones postman-request really gives (test/run/transport-codes.test.ts):
 * - `refused` ECONNREFUSED: nothing listens on that port.
 * - `unresolvable` ENOTFOUND / EAI_*: the host name does not resolve.
 * - `unreachable` ETIMEDOUT (postman-request's *connect* timeout), EHOSTUNREACH, ENETUNREACH, …:
 *   packets do not get through (firewall, route, a full accept queue).
 * - `timeout` ESOCKETTIMEDOUT: connected, but no answer within --timeout-request (too slow).
 * - `malformed` HPE_*: an answer Node's HTTP parser refuses (bad header line, bad status line).
 * - `closed` ECONNRESET ("socket hang up", "read ECONNRESET", "aborted"), EPIPE: the peer accepted,
 *   then closed or reset without a whole answer — a crash mid-request or a server over capacity.
 * - `transport-other`: any other code (TLS certificate errors, …).
 * HTTP answers: `status-502/503/504`, `status-5xx` (500 and other 5xx), `slow` (at or above the
 * latency limit), `ok` (anything else, 4xx included: the guide's tests only look for 502 and time).
 */
export type ObservationKind =
  | 'absent'
  | 'ok'
  | 'slow'
  | 'status-502'
  | 'status-503'
  | 'status-504'
  | 'status-5xx'
  | 'refused'
  | 'unresolvable'
  | 'unreachable'
  | 'timeout'
  | 'malformed'
  | 'closed'
  | 'transport-other';

/** The diagnose room's cause of a transport error, as the kind run compares. One table of codes for both. */
const KIND_OF_CAUSE: Partial<Record<CauseCode, ObservationKind>> = {
  'backend-down': 'refused',
  'backend-unresolvable': 'unresolvable',
  'backend-unreachable': 'unreachable',
  'backend-timeout': 'timeout',
  'backend-invalid-response': 'malformed',
  'backend-closed-connection': 'closed',
  'connection-reset': 'closed',
};

/** The kind of a transport error code (see causeOfTransportError for the codes). */
export function classifyTransportError(code: string, message?: string): ObservationKind {
  // A write to a socket the peer already closed: the same crash, seen while sending.
  if (code === 'EPIPE' || code === 'ECONNABORTED') return 'closed';
  const cause = causeOfTransportError(code, message);
  return (cause && KIND_OF_CAUSE[cause]) ?? 'transport-other';
}

/** Classifies one route's observation against the latency limit (`undefined` → `absent`). */
export function classifyObservation(observation: RouteObservation | undefined, maxLatencyMs: number): ObservationKind {
  if (!observation) return 'absent';
  if (observation.error !== undefined) return classifyTransportError(observation.error, observation.errorMessage);
  const status = observation.status ?? 0;
  if (status === 502) return 'status-502';
  if (status === 503) return 'status-503';
  if (status === 504) return 'status-504';
  if (status >= 500 && status <= 599) return 'status-5xx';
  if (observation.latencyMs >= maxLatencyMs) return 'slow';
  return 'ok';
}
