import { InputError } from '../errors.js';
import type { LabGatewayConfig } from './profile.js';

/**
 * Helpers the lab renderers share. The lab binds and connects to loopback only; the renderers
 * write that address into every configuration (src/lab/ports.ts LOOPBACK is the same address).
 */
export const LAB_LISTEN_HOST = '127.0.0.1';

/** `host:port` of the upstream as the configuration names it. */
export function upstreamAddress(config: LabGatewayConfig): string {
  return `${config.upstreamHost}:${config.upstreamPort}`;
}

/** Whole seconds, rounded up, at least 1: for settings that take nothing finer (Apache's ProxyTimeout). */
export function wholeSecondsAtLeastOne(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000));
}

/** A JSON-quoted path or value: safe in nginx, HAProxy, Caddyfile, Apache and VCL strings for the temp-dir paths and hosts the lab uses. */
export function quoted(text: string): string {
  return JSON.stringify(text);
}

/**
 * The InputError of a gateway that cannot rehearse an unresolvable upstream name here, with why:
 * the lab never lets a lookup leave this machine.
 */
export function unresolvableUpstreamRefused(gateway: string, why: string): InputError {
  return new InputError(`${gateway} cannot rehearse an upstream name that does not resolve in the lab`, [`upstream: ${why}`], 'use --gateway nginx, haproxy, caddy or builtin for the DNS case');
}
