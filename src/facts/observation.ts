import type { RouteObservation } from '../model.js';
import { describeTransportError } from './transport-error.js';

/**
 * One observation for people: `502 in 12 ms`, `ECONNREFUSED after 1 ms — connection refused (…)`,
 * `not requested`.
 */
export function describeObservation(observation: RouteObservation | undefined): string {
  if (!observation) return 'not requested';
  if (observation.error !== undefined) {
    return `${observation.error} after ${observation.latencyMs} ms — ${describeTransportError(observation.error, observation.errorMessage)}`;
  }
  return `${observation.status} in ${observation.latencyMs} ms`;
}
