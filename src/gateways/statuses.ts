import type { GatewayProfile, UpstreamFailure } from './profile.js';
import { UPSTREAM_FAILURES } from './profile.js';

/** The statuses a gateway answers as a gateway (RFC 9110 §15.6.3–15.6.5: 502, 503, 504). */
const GATEWAY_STATUSES = new Set([502, 503, 504]);

/**
 * The statuses that mean "the gateway could not get a good answer from upstream" through this
 * gateway: every 502–504 its profile answers for an upstream failure, ascending (nginx [502, 504],
 * HAProxy [502, 503, 504], Varnish [503]) — the failure statuses a ramp should count through it.
 * A 500 (Apache's DNS failure) is left out: applications answer 500 themselves, so on its own it
 * says nothing about the gateway; failuresAnsweredWith still names it. Pure.
 */
export function failureStatusesOf(profile: GatewayProfile): number[] {
  const statuses = new Set<number>();
  for (const failure of UPSTREAM_FAILURES) {
    const status = profile.answers[failure].status;
    if (status !== null && GATEWAY_STATUSES.has(status)) statuses.add(status);
  }
  return [...statuses].sort((a, b) => a - b);
}

/** The upstream failures this gateway answers with `status` (Varnish 503: all but DNS; nginx 504: the timeout). Pure. */
export function failuresAnsweredWith(profile: GatewayProfile, status: number): UpstreamFailure[] {
  return UPSTREAM_FAILURES.filter((failure) => profile.answers[failure].status === status);
}
