import { InputError } from '../errors.js';
import type { GatewayKind, LabGatewayConfig, LabLogFile } from '../gateways/profile.js';
import { splitHostPort } from './ports.js';

export { LAB_UPSTREAM_IDLE_TIMEOUT_SEC } from '../gateways/nginx-lab.js';

/** A log a running lab gateway writes, with its absolute path. */
export interface RunningGatewayLog extends LabLogFile {
  path: string;
}

/** A gateway the lab started: a real binary (nginx, HAProxy, Caddy, Apache, Varnish) or the built-in Node proxy. */
export interface RunningGateway {
  kind: GatewayKind;
  /** `http://127.0.0.1:PORT` — no trailing slash. */
  url: string;
  port: number;
  /**
   * The log to give `diagnose --log`: the first of `logs` (nginx and the built-in proxy: the
   * nginx-format error log; HAProxy: its httplog; Caddy: its runtime log; Apache: its error log;
   * Varnish: varnishncsa's). Readable until close().
   */
  errorLogPath?: string;
  /** Every log it writes, as the lab prints them (`error_log:`, `access_log:`, …); readable until close(). */
  logs: readonly RunningGatewayLog[];
  /** The generated configuration (nginx.conf: diagnose --nginx-conf reads its upstream keepalive); readable until close(). */
  configPath?: string;
  /** What the lab prints the configuration path as, e.g. `nginx_conf`. */
  configLabel?: string;
  /** The main process's pid (it leads its own process group). Absent for the built-in proxy. */
  pid?: number;
  /** Its settings in its own words, e.g. ["timeout server 5000 ms", "no maxconn", …]. */
  summary: readonly string[];
  /** Lab options it could not apply as asked, and what it does instead. */
  notes: readonly string[];
  /** Stops the gateway (and the programs beside it), waits for every process to exit, frees the port; safe to call twice. */
  close(): Promise<void>;
}

export interface GatewayOptions {
  /** `host:port` of the backend; may be an unresolvable `*.invalid` host or a dead port. */
  upstream: string;
  /** 0 or absent: a free port. */
  port?: number;
  /** nginx `proxy_read_timeout`; default 5000. Above it the gateway answers 504. */
  proxyReadTimeoutMs?: number;
  /** nginx `proxy_connect_timeout`; default 5000. */
  proxyConnectTimeoutMs?: number;
  /** nginx `max_conns` of the one upstream server; beyond it: 502 "no live upstreams". Default: none. */
  maxConns?: number;
  /** nginx `max_fails` (default 1). With one upstream server nginx ignores it, and so does the built-in proxy. */
  maxFails?: number;
  /** nginx `fail_timeout` in seconds (default 10); see maxFails. */
  failTimeoutSec?: number;
  /**
   * Idle connections to the backend kept for reuse (nginx `keepalive N` in the upstream block, with
   * `keepalive_timeout 60s`). Absent: the gateway's own default — nginx and the built-in proxy a fresh
   * connection per request; HAProxy, Caddy, Apache and Varnish pool. 0: no pooling.
   */
  keepalive?: number;
  /**
   * nginx `proxy_next_upstream`: `error timeout` (nginx's default: a failed attempt is retried —
   * with one server, only when it failed on a cached keep-alive connection, and never for POST,
   * LOCK or PATCH) or `off` (never retried). Default `error timeout`.
   */
  nextUpstream?: NextUpstream;
  /** Keep the temp dir (config, logs) after close(); default false. */
  keepFiles?: boolean;
}

export type NextUpstream = LabGatewayConfig['nextUpstream'];
export const NEXT_UPSTREAM_CHOICES: readonly NextUpstream[] = ['error timeout', 'off'];

export const DEFAULT_PROXY_READ_TIMEOUT_MS = 5000;
export const DEFAULT_PROXY_CONNECT_TIMEOUT_MS = 5000;

/** GatewayOptions with defaults applied and checked; the upstream split into host and port (the renderers' input). */
export type ResolvedGatewayOptions = LabGatewayConfig;

/** Applies defaults and validates every field at once; InputError lists each problem. */
export function resolveGatewayOptions(options: GatewayOptions): ResolvedGatewayOptions {
  const problems: string[] = [];
  const upstream = splitHostPort(options.upstream);
  if (!upstream) problems.push(`upstream: "${options.upstream}" is not host:port`);
  const positive = (field: string, value: number | undefined, min: number) => {
    if (value !== undefined && !(Number.isInteger(value) && value >= min)) problems.push(`${field}: must be a whole number ≥ ${min}`);
  };
  positive('proxyReadTimeoutMs', options.proxyReadTimeoutMs, 1);
  positive('proxyConnectTimeoutMs', options.proxyConnectTimeoutMs, 1);
  positive('maxConns', options.maxConns, 1);
  positive('maxFails', options.maxFails, 0);
  positive('failTimeoutSec', options.failTimeoutSec, 1);
  positive('keepalive', options.keepalive, 0);
  if (options.nextUpstream !== undefined && !NEXT_UPSTREAM_CHOICES.includes(options.nextUpstream)) {
    problems.push(`nextUpstream: must be one of ${NEXT_UPSTREAM_CHOICES.map((c) => `"${c}"`).join(', ')}`);
  }
  if (options.port !== undefined && !(Number.isInteger(options.port) && options.port >= 0 && options.port <= 65535)) {
    problems.push('port: must be a port number 0–65535');
  }
  if (problems.length > 0 || !upstream) throw new InputError('invalid gateway options', problems);
  return {
    upstreamHost: upstream.host,
    upstreamPort: upstream.port,
    port: options.port ?? 0,
    proxyReadTimeoutMs: options.proxyReadTimeoutMs ?? DEFAULT_PROXY_READ_TIMEOUT_MS,
    proxyConnectTimeoutMs: options.proxyConnectTimeoutMs ?? DEFAULT_PROXY_CONNECT_TIMEOUT_MS,
    maxConns: options.maxConns,
    maxFails: options.maxFails ?? 1,
    failTimeoutSec: options.failTimeoutSec ?? 10,
    keepalive: options.keepalive,
    nextUpstream: options.nextUpstream ?? 'error timeout',
    keepFiles: options.keepFiles ?? false,
  };
}

/** True for a literal IPv4/IPv6 address (no DNS needed). */
export function isIpLiteral(host: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(host) || host.startsWith('[') || host.includes(':');
}
