import type { RouteObservation } from '../model.js';

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

const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NODATA', 'EAI_NONAME']);
const UNREACHABLE_CODES = new Set(['ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EHOSTDOWN', 'ENETDOWN', 'EADDRNOTAVAIL']);
const CLOSED_CODES = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED']);

/** The kind of a transport error code. */
export function classifyTransportError(code: string): ObservationKind {
  if (code === 'ECONNREFUSED') return 'refused';
  if (DNS_CODES.has(code)) return 'unresolvable';
  if (UNREACHABLE_CODES.has(code)) return 'unreachable';
  if (code === 'ESOCKETTIMEDOUT') return 'timeout';
  if (code.startsWith('HPE_')) return 'malformed';
  if (CLOSED_CODES.has(code)) return 'closed';
  return 'transport-other';
}

/** Classifies one route's observation against the latency limit (`undefined` → `absent`). */
export function classifyObservation(observation: RouteObservation | undefined, maxLatencyMs: number): ObservationKind {
  if (!observation) return 'absent';
  if (observation.error !== undefined) return classifyTransportError(observation.error);
  const status = observation.status ?? 0;
  if (status === 502) return 'status-502';
  if (status === 503) return 'status-503';
  if (status === 504) return 'status-504';
  if (status >= 500 && status <= 599) return 'status-5xx';
  if (observation.latencyMs >= maxLatencyMs) return 'slow';
  return 'ok';
}

/** True for the kinds where no HTTP answer came back at all. */
export function isTransportKind(kind: ObservationKind): boolean {
  return ['refused', 'unresolvable', 'unreachable', 'timeout', 'malformed', 'closed', 'transport-other'].includes(kind);
}

const MEANING: Partial<Record<ObservationKind, string>> = {
  refused: 'connection refused',
  unresolvable: 'host name does not resolve',
  unreachable: 'connect timed out or host unreachable',
  timeout: 'no answer within the request timeout',
  malformed: 'malformed HTTP answer',
  closed: 'connection closed without an answer',
};

/**
 * One observation for people: `502 in 12 ms`, `ECONNREFUSED (connection refused) after 1 ms`,
 * `not requested`.
 */
export function describeObservation(observation: RouteObservation | undefined): string {
  if (!observation) return 'not requested';
  if (observation.error !== undefined) {
    const meaning = MEANING[classifyTransportError(observation.error)] ?? observation.errorMessage ?? 'no answer';
    return `${observation.error} (${meaning}) after ${observation.latencyMs} ms`;
  }
  return `${observation.status} in ${observation.latencyMs} ms`;
}
