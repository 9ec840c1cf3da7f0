/** Gateway profiles: the one place that names the gateways debug502 knows (see profile.ts for the contract). */
import { ALB } from './alb.js';
import { APACHE } from './apache.js';
import { BUILTIN } from './builtin.js';
import { CADDY } from './caddy.js';
import { ENVOY } from './envoy.js';
import { HAPROXY } from './haproxy.js';
import { NGINX } from './nginx.js';
import type { GatewayKind, GatewayProfile, LabBinaryLaunch, LabInProcessLaunch } from './profile.js';
import { recogniseGatewayAmong, type GatewayRecognition, type ResponseSample } from './recognise.js';
import { TRAEFIK } from './traefik.js';
import { VARNISH } from './varnish.js';

export const GATEWAYS: Readonly<Record<GatewayKind, GatewayProfile>> = {
  nginx: NGINX, haproxy: HAPROXY, caddy: CADDY, apache: APACHE, varnish: VARNISH, traefik: TRAEFIK, alb: ALB, envoy: ENVOY, builtin: BUILTIN,
};

/** Every kind, in the registry's order: the `--gateway-kind` choices. */
export const GATEWAY_KINDS = Object.keys(GATEWAYS) as GatewayKind[];

/** A gateway the lab can start. */
export type LabGatewayKind = 'nginx' | 'haproxy' | 'caddy' | 'apache' | 'varnish' | 'builtin';
export type LabGatewayProfile = GatewayProfile & { kind: LabGatewayKind; lab: LabBinaryLaunch | LabInProcessLaunch };

function hasLab(profile: GatewayProfile): profile is LabGatewayProfile {
  return profile.lab !== undefined;
}

/** The kinds the lab starts (`lab --gateway`), derived from the profiles that have a lab part. */
export const LAB_GATEWAY_KINDS = Object.values(GATEWAYS).filter(hasLab).map((p) => p.kind);

/** `auto` tries these in order and takes the first that is installed: nginx, else the built-in gateway (always there). */
export const LAB_AUTO_ORDER: readonly LabGatewayKind[] = ['nginx', 'builtin'];

/** The lab profile of `kind`; undefined for a kind the lab cannot start. */
export function labProfileOf(kind: string): LabGatewayProfile | undefined {
  const profile = (GATEWAYS as Record<string, GatewayProfile | undefined>)[kind];
  return profile && hasLab(profile) ? profile : undefined;
}

/** Which known gateway sent `sample` (see recogniseGatewayAmong), or null. Pure. */
export function recogniseGateway(sample: ResponseSample): GatewayRecognition | null {
  return recogniseGatewayAmong(sample, Object.values(GATEWAYS));
}

export { recogniseGatewayAmong, type GatewayRecognition, type ResponseSample } from './recognise.js';
export { failureStatusesOf, failuresAnsweredWith } from './statuses.js';
export * from './profile.js';
