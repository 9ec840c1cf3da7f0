import type { GatewayKind, GatewayProfile, Recognition } from './profile.js';

/** What a gateway answered, as far as recognition needs it: header names in any case, values as received. */
export interface ResponseSample {
  headers: Readonly<Record<string, string | readonly string[] | undefined>>;
  /** The body, when there is one (a gateway's own error page); the first few KB are enough. */
  body?: string;
}

export interface GatewayRecognition {
  kind: GatewayKind;
  /** What gave it away, e.g. `Via: 1.1 varnish (Varnish/7.1)`. */
  evidence: string;
}

/** Headers are tried before bodies; within each, the profiles' order in the registry. */
const CLUES: readonly ((recognition: Recognition, sample: ResponseSample) => string | undefined)[] = [
  (r, s) => matchHeader(s, 'via', r.via),
  (r, s) => matchHeader(s, 'server', r.server),
  (r, s) => r.headers?.map((h) => matchHeader(s, h.name, h.value)).find(Boolean),
  (r, s) => (r.errorBody && s.body && r.errorBody.test(s.body) ? `its error page (${r.errorBody.exec(s.body)![0]})` : undefined),
];

/**
 * Which gateway sent `sample`, from the profiles' recognition clues, or null when nothing identifies
 * one (HAProxy and Traefik send no identifying header: only their own error pages say who they are).
 * A `Via` is looked at first: a backend's own `Server` header may be passed through. Pure.
 */
export function recogniseGatewayAmong(sample: ResponseSample, profiles: readonly GatewayProfile[]): GatewayRecognition | null {
  for (const clue of CLUES) {
    for (const profile of profiles) {
      const evidence = clue(profile.recognition, sample);
      if (evidence) return { kind: profile.kind, evidence };
    }
  }
  return null;
}

function matchHeader(sample: ResponseSample, name: string, pattern: RegExp | undefined): string | undefined {
  if (!pattern) return undefined;
  for (const [key, raw] of Object.entries(sample.headers)) {
    if (key.toLowerCase() !== name || raw === undefined) continue;
    const value = (typeof raw === 'string' ? [raw] : raw).find((v) => pattern.test(v));
    if (value !== undefined) return `${canonicalName(name)}: ${value}`;
  }
  return undefined;
}

function canonicalName(name: string): string {
  return name.replace(/(^|-)([a-z])/g, (_, dash: string, c: string) => dash + c.toUpperCase());
}
