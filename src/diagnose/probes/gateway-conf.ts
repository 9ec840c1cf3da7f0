import { InputError } from '../../errors.js';
import { readInputText } from '../../fs/read-input.js';
import type { GatewayKind } from '../../model.js';
import { parseNginxTimeMs, readNginxUpstreamKeepalive } from './gateway-idle-timeout.js';

/** What a gateway's configuration says about pooled upstream connections. */
export interface GatewayConfPooling {
  /** The gateway the file is written for (from its directives). */
  kind: Extract<GatewayKind, 'nginx' | 'haproxy' | 'caddy' | 'apache'>;
  /** True when it keeps idle connections to the backend for reuse. */
  pools: boolean;
  /** How long an idle pooled connection is kept; absent when pooling is off or the file sets no bound the gateway applies (then `unbounded`). */
  idleTimeoutMs?: number;
  /** Pooled connections are kept until the backend closes them (Apache without `ttl=`, HAProxy's purge is not an idle timeout). */
  unbounded?: boolean;
  /** The directive that says so, e.g. `keepalive 16; keepalive_timeout 60s`, `http-reuse never`, `ProxyPass … ttl=30`. */
  says: string;
  /** The file turns the gateway's own retry of a failed attempt off (nginx `proxy_next_upstream off`). */
  retryOff?: string;
}

/** Which gateway a configuration is for, from directives only it has. Pure. */
export function kindOfGatewayConf(text: string): GatewayConfPooling['kind'] | undefined {
  const clean = text.replace(/^\s*#.*$/gm, '');
  if (/^\s*(?:ProxyPass|<VirtualHost|LoadModule|ProxyTimeout)\b/m.test(clean)) return 'apache';
  if (/\breverse_proxy\b/.test(clean)) return 'caddy';
  // nginx's blocks are braces and its directives end in `;` (its `listen` and `server` are HAProxy's words too).
  if (/\b(?:upstream\s+\S+\s*\{|proxy_pass\s[^;]*;|server\s*\{|http\s*\{)/.test(clean)) return 'nginx';
  if (!/[{}]/.test(clean) && /^\s*(?:frontend|backend|listen|defaults)\b/m.test(clean) && /^\s*(?:server|bind|mode)\s/m.test(clean)) return 'haproxy';
  return undefined;
}

/** Caddy durations: `2m`, `30s`, `1m30s`, `500ms` (Go's time.ParseDuration). */
function parseGoDurationMs(text: string): number | undefined {
  const units: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== text) return undefined;
  return parts.reduce((ms, p) => ms + Number(p[1]) * units[p[2]], 0);
}

/**
 * Reads the pooling settings of an nginx, HAProxy, Caddy (Caddyfile) or Apache configuration, with
 * each gateway's documented defaults where the file says nothing (src/gateways/<kind>.ts: HAProxy
 * and Apache pool by default, Caddy for 2m, nginx only with `keepalive N`). Included files are not
 * read. Undefined when the file is none of these. Pure.
 */
export function readGatewayConfPooling(text: string): GatewayConfPooling | undefined {
  const kind = kindOfGatewayConf(text);
  const clean = text.replace(/^\s*#.*$/gm, '');
  if (kind === 'nginx') {
    const nginx = readNginxUpstreamKeepalive(text);
    // Every proxy_next_upstream says off: nginx retries no failed attempt (not even a GET on a dead pooled connection).
    const nextUpstream = [...clean.matchAll(/\bproxy_next_upstream\s+([^;]+);/g)].map((m) => m[1].trim());
    const retryOff = nextUpstream.length > 0 && nextUpstream.every((v) => v === 'off') ? { retryOff: 'proxy_next_upstream off: nginx retries no failed attempt, GET or POST' } : {};
    return nginx.pools
      ? { kind, pools: true, idleTimeoutMs: nginx.idleTimeoutMs, says: `an upstream block sets keepalive (keepalive_timeout ${(nginx.idleTimeoutMs ?? 60_000) / 1000} s)`, ...retryOff }
      : { kind, pools: false, says: 'no upstream block sets keepalive, so nginx opens a fresh connection per request and pools none', ...retryOff };
  }
  if (kind === 'haproxy') {
    const reuse = /^\s*http-reuse\s+(\S+)/m.exec(clean)?.[1];
    if (reuse === 'never') return { kind, pools: false, says: 'http-reuse never: no server connection is reused' };
    return { kind, pools: true, unbounded: true, says: `http-reuse ${reuse ?? 'safe (the default)'}: idle server connections are kept and reused (purged by half every pool-purge-delay, no idle timeout)` };
  }
  if (kind === 'caddy') {
    const keepalive = /\bkeepalive\s+(\S+)/.exec(clean)?.[1];
    if (keepalive === 'off') return { kind, pools: false, says: 'transport http { keepalive off }' };
    const ms = keepalive ? parseGoDurationMs(keepalive) : undefined;
    return { kind, pools: true, idleTimeoutMs: ms ?? 120_000, says: keepalive && ms !== undefined ? `transport http { keepalive ${keepalive} }` : 'keepalive 2m (Caddy\'s default)' };
  }
  if (kind === 'apache') {
    const lines = [...clean.matchAll(/^\s*ProxyPass\s+(.*)$/gm)].map((m) => m[1]);
    if (lines.length > 0 && lines.every((l) => /\b(?:disablereuse=on|enablereuse=off)\b/i.test(l))) return { kind, pools: false, says: 'ProxyPass … disablereuse=On: each request gets a connection of its own' };
    const ttls = lines.map((l) => /\bttl=(\d+)/i.exec(l)?.[1]).filter((t): t is string => t !== undefined).map(Number);
    if (ttls.length > 0) return { kind, pools: true, idleTimeoutMs: Math.max(...ttls) * 1000, says: `ProxyPass … ttl=${Math.max(...ttls)}` };
    return { kind, pools: true, unbounded: true, says: 'ProxyPass without ttl=: reuse is on by default and idle connections are kept until the backend closes them' };
  }
  return undefined;
}

/** readGatewayConfPooling of a file; InputError naming the option when it cannot be read or is no configuration it knows. */
export async function loadGatewayConfPooling(path: string, optionName = '--gateway-conf'): Promise<GatewayConfPooling> {
  // Bounded like every input (src/fs/read-input.ts): a FIFO or an endless file cannot hold diagnose.
  const text = await readInputText(path, { kind: 'gatewayConf', label: `${optionName} ${path}`, hint: 'give the gateway\'s configuration: nginx.conf (or the file with the upstream block), haproxy.cfg, a Caddyfile, or the Apache file with ProxyPass' });
  const pooling = readGatewayConfPooling(text);
  if (!pooling) throw new InputError(`${optionName}: ${path} is no nginx, HAProxy, Caddy (Caddyfile) or Apache configuration diagnose can read`, [], 'give the file with the upstream / backend / reverse_proxy / ProxyPass directives, or --gateway-idle-timeout');
  return pooling;
}

export { parseNginxTimeMs };
