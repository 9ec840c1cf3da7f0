import type { ProbeResult } from '../../model.js';

/** What is known of how long the gateway keeps an idle pooled connection to the backend. */
export interface GatewayIdle {
  /** The idle timeout; absent when unknown, unbounded or not pooling. */
  ms?: number;
  /** It keeps idle connections until the backend closes them (Apache without ttl=, HAProxy). */
  unbounded?: boolean;
  /** It pools nothing: no race through it. */
  noPooling?: boolean;
  source: 'option' | 'conf' | 'profile' | 'unknown';
  /** Where the number comes from, in words: "from --gateway-idle-timeout", "Caddy's default keepalive 2m". */
  says: string;
  /** The gateway's pooling setting in its own words, for the note when unknown. */
  pooling?: string;
}

/**
 * The keep-alive probe measures how long the backend keeps an idle connection; this judges it
 * against what is known of the gateway — positive evidence only: a race is a failed probe only when
 * the gateway's idle timeout is known (given, read from its configuration, or the documented
 * default of a gateway that pools) and longer than the backend's, or the gateway keeps idle
 * connections until the backend closes them. Unknown: the probe passes and a note says what would
 * make it a race — never a finding. Pure; returns a new probe.
 */
export function judgeKeepalive(probe: ProbeResult, idle: GatewayIdle): { probe: ProbeResult; note?: string } {
  const backendMs = probe.backendIdleTimeoutMs;
  const base = { ...probe, gatewayIdleTimeoutSource: idle.source, ...(idle.ms !== undefined ? { gatewayIdleTimeoutMs: idle.ms } : {}) };
  if (backendMs === undefined) return { probe: { ...base, ok: true } };
  const closes = `the backend closed an idle keep-alive connection after ${backendMs} ms`;
  if (idle.noPooling) return { probe: { ...base, ok: true, evidence: `${closes}; the gateway pools no connection (${idle.says}): nothing to race` } };
  if (idle.source === 'unknown') {
    const seconds = (backendMs / 1000).toFixed(1);
    return {
      probe: { ...base, ok: true, evidence: `${closes}; the gateway's idle timeout is not known (${idle.says}), so no race is judged` },
      note: `keep-alive race not judged: the backend closes idle keep-alive connections after ${seconds} s; if your gateway keeps idle upstream connections longer than ${seconds} s (${idle.pooling ?? 'its upstream keep-alive setting'}), a request it sends on one as the backend closes it fails (502) — give --gateway-idle-timeout or --gateway-conf FILE to judge it`,
    };
  }
  if (idle.unbounded) {
    return { probe: { ...base, ok: false, evidence: `${closes}, and the gateway keeps idle connections until the backend closes them (${idle.says}): a request it sends on one as the backend closes it dies (502)` } };
  }
  const first = backendMs < idle.ms!;
  return {
    probe: {
      ...base, ok: !first,
      evidence: first
        ? `${closes}, before the gateway idle timeout of ${idle.ms} ms (${idle.says}): a request the gateway sends on a pooled connection as it closes dies (502)`
        : `the backend kept an idle keep-alive connection ${backendMs} ms, past the gateway idle timeout of ${idle.ms} ms (${idle.says})`,
    },
  };
}
