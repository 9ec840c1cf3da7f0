import { readInputText } from '../../fs/read-input.js';
import { DEFAULT_GATEWAY_IDLE_TIMEOUT_MS } from './probe-keepalive.js';

/** What an nginx config says about pooled upstream connections. */
export interface NginxUpstreamKeepalive {
  /** True when some `upstream {}` block has `keepalive N;` (nginx then pools idle connections). */
  pools: boolean;
  /** The smallest upstream `keepalive_timeout` (default 60 s when `keepalive` is set). */
  idleTimeoutMs?: number;
}

const NGINX_UNITS_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** nginx time syntax: `60s`, `75`, `1m30s`, `500ms` (a bare number is seconds) → ms, or undefined. Pure. */
export function parseNginxTimeMs(text: string): number | undefined {
  const parts = [...text.trim().matchAll(/(\d+)(ms|s|m|h|d)?/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== text.trim()) return undefined;
  return parts.reduce((ms, p) => ms + Number(p[1]) * NGINX_UNITS_MS[p[2] ?? 's'], 0);
}

/**
 * Reads the `upstream {}` blocks of an nginx config: whether any pools connections (`keepalive N;`)
 * and their `keepalive_timeout` (the upstream one, nginx ≥ 1.15.3 — not the client-side
 * `keepalive_timeout` of http/server blocks). Comments are ignored; `include`d files are not read. Pure.
 */
export function readNginxUpstreamKeepalive(text: string): NginxUpstreamKeepalive {
  const clean = text.replace(/#[^\n]*/g, '');
  let pools = false;
  let idleTimeoutMs: number | undefined;
  for (const block of clean.matchAll(/\bupstream\s+[^{\s]+\s*\{([^}]*)\}/g)) {
    const body = block[1];
    if (!/(^|[;\s])keepalive\s+\d+\s*;/.test(body)) continue;
    pools = true;
    const timeout = /(^|[;\s])keepalive_timeout\s+([^;\s]+)\s*;/.exec(body);
    const ms = timeout ? parseNginxTimeMs(timeout[2]) : DEFAULT_GATEWAY_IDLE_TIMEOUT_MS;
    if (ms !== undefined) idleTimeoutMs = Math.min(idleTimeoutMs ?? ms, ms);
  }
  return { pools, ...(idleTimeoutMs !== undefined ? { idleTimeoutMs } : {}) };
}

/** readNginxUpstreamKeepalive of a file; InputError naming `--nginx-conf` when it cannot be read. */
export async function loadNginxUpstreamKeepalive(path: string): Promise<NginxUpstreamKeepalive> {
  const text = await readInputText(path, { kind: 'nginxConf', label: `--nginx-conf ${path}`, hint: 'give the nginx config that holds the upstream block, e.g. /etc/nginx/nginx.conf or /etc/nginx/conf.d/app.conf' });
  return readNginxUpstreamKeepalive(text);
}
