import { InputError } from '../errors.js';
import { LAB_GATEWAY_KINDS, type LabGatewayKind, type LabGatewayProfile } from '../gateways/index.js';
import { NODE_KEEPALIVE_TIMEOUT_MS, startLabBackend, type LabBackend } from './backend.js';
import type { LabFault } from './fault.js';
import { DEFAULT_PROXY_READ_TIMEOUT_MS, LAB_UPSTREAM_IDLE_TIMEOUT_SEC, type GatewayOptions, type NextUpstream, type RunningGateway } from './gateway.js';
import { LOOPBACK, splitHostPort } from './ports.js';
import { pickLabGateway, startLabGateway } from './start-gateway.js';

/** `auto` (nginx when installed, else the built-in gateway) or a gateway the lab starts, from the registry. */
export type GatewayChoice = 'auto' | LabGatewayKind;
export const GATEWAY_CHOICES: readonly GatewayChoice[] = ['auto', ...LAB_GATEWAY_KINDS];

export interface LabOptions {
  /** Backend: most requests in flight; beyond it sockets are destroyed. Default: no cap. */
  capacity?: number;
  /** Backend: latency of every answer; default 0. */
  latencyMs?: number;
  fault?: LabFault;
  /** `auto` (default): nginx when installed, else the built-in proxy; or nginx, haproxy, caddy, apache, varnish, builtin. */
  gateway?: GatewayChoice;
  gatewayPort?: number;
  backendPort?: number;
  /** How long the gateway waits for the backend's answer (nginx `proxy_read_timeout`, HAProxy `timeout server`, …); default 5000. */
  gatewayTimeoutMs?: number;
  /** The gateway's cap on connections to the backend (nginx `max_conns`, HAProxy `maxconn`, Caddy `max_conns_per_host`, Apache `max=`, Varnish `.max_connections`). */
  maxConns?: number;
  /**
   * Gateway: idle backend connections pooled (nginx `keepalive N`). Default: the gateway's own
   * (nginx and the built-in proxy do not pool; HAProxy, Caddy, Apache and Varnish do), or 16 with the
   * keepalive-race fault. 0: no pooling.
   */
  keepalive?: number;
  /**
   * Gateway `proxy_next_upstream`. Default `error timeout` (nginx's), or `off` with the keepalive-race
   * fault: nginx retries an idempotent request once on a fresh connection when a pooled one fails,
   * which hides the race from GETs (its error log still shows every failed attempt).
   */
  nextUpstream?: NextUpstream;
  /**
   * `host:port` the gateway forwards to instead of the lab backend (which still starts, so
   * `backend_url` answers): a dead port, another port, or an unresolvable `NAME.invalid` — the guide's
   * misconfigured gateway and DNS causes. Only loopback hosts and `.invalid` names; see checkLabUpstream.
   */
  upstream?: string;
  /** Keep the gateway's temp dir (config, logs) after close(). */
  keepFiles?: boolean;
  /** Where binaries are looked up (PATH, NGINX_BIN, HAPROXY_BIN, CADDY_BIN, APACHE_BIN, VARNISHD_BIN); default process.env. */
  env?: Record<string, string | undefined>;
}

export interface Lab {
  gateway: RunningGateway;
  /** The gateway's profile (src/gateways): its words, status table and pooling facts. */
  profile: LabGatewayProfile;
  backend: LabBackend;
  /** Where the gateway forwards: `127.0.0.1:<backend port>`, or `options.upstream`. */
  upstream: string;
  /** True when the gateway forwards to the lab backend (no `upstream`, or one naming the backend's port). */
  upstreamIsBackend: boolean;
  /** Stops the gateway, then the backend; safe to call twice. */
  close(): Promise<void>;
}

/**
 * Starts the lab backend (with its fault) and a gateway in front of it, both on 127.0.0.1. The
 * gateway comes from the registry (src/gateways): a named one that is not installed is a
 * RuntimeError; `auto` falls back to the built-in proxy and reports it through `lab.gateway.kind`.
 */
export async function startLab(options: LabOptions = {}): Promise<Lab> {
  const choice = options.gateway ?? 'auto';
  if (!GATEWAY_CHOICES.includes(choice)) {
    throw new InputError(`gateway: unknown gateway "${choice}"`, [`gateway: must be one of ${GATEWAY_CHOICES.join(', ')}`]);
  }
  const upstreamProblem = options.upstream === undefined ? null : checkLabUpstream(options.upstream, options.gatewayPort);
  if (upstreamProblem) throw new InputError('invalid lab options', [`upstream: ${upstreamProblem}`], UPSTREAM_HINT);
  const profile = pickLabGateway(choice, options.env);
  const backend = await startLabBackend({
    port: options.backendPort,
    capacity: options.capacity,
    latencyMs: options.latencyMs,
    fault: options.fault,
    idleTimeoutMs: labBackendIdleTimeoutMs(profile, options),
  });
  const upstream = options.upstream?.trim() ?? `${LOOPBACK}:${backend.port}`;
  let gateway: RunningGateway;
  try {
    const gatewayOptions: GatewayOptions = {
      upstream,
      port: options.gatewayPort,
      proxyReadTimeoutMs: options.gatewayTimeoutMs ?? DEFAULT_PROXY_READ_TIMEOUT_MS,
      maxConns: options.maxConns,
      ...labGatewayPooling(options),
      keepFiles: options.keepFiles,
    };
    gateway = await startLabGateway(profile, gatewayOptions, { env: options.env, keepaliveRace: options.fault?.kind === 'keepalive-race' });
  } catch (error) {
    await backend.close();
    throw error;
  }
  let closing: Promise<void> | undefined;
  return {
    gateway,
    profile,
    backend,
    upstream,
    upstreamIsBackend: isBackendAddress(upstream, backend.port),
    close: () =>
      (closing ??= (async () => {
        await gateway.close();
        await backend.close();
      })()),
  };
}

/**
 * The gateway's pooling: as asked, else what the fault needs — the race needs a pool (16 idle
 * connections, reused for any request), and with nginx shows only without retries — else the
 * gateway's own default (keepalive absent).
 */
export function labGatewayPooling(options: Pick<LabOptions, 'fault' | 'keepalive' | 'nextUpstream'>): { keepalive?: number; nextUpstream: NextUpstream } {
  const race = options.fault?.kind === 'keepalive-race';
  return { keepalive: options.keepalive ?? (race ? 16 : undefined), nextUpstream: options.nextUpstream ?? (race ? 'off' : 'error timeout') };
}

/**
 * How long the lab backend keeps an idle keep-alive connection. A lab without a fault is a healthy
 * system, so behind a gateway that pools (Caddy, Apache, Varnish and HAProxy do by default; nginx
 * with --keepalive) the backend outlives the gateway's pool, as the guide's fix says — otherwise
 * Node's 5 s default behind Caddy's 2-minute pool IS the keep-alive race, and diagnose names it.
 * A gateway that keeps idle connections until the backend closes them gets a backend that never
 * does (0). Without pooling (nginx's default): Node's default, nothing to race.
 */
export function labBackendIdleTimeoutMs(profile: LabGatewayProfile, options: Pick<LabOptions, 'fault' | 'keepalive'>): number {
  if (options.fault?.kind === 'keepalive-race') return NODE_KEEPALIVE_TIMEOUT_MS; // unused: the race closes them itself
  const pools = options.keepalive !== undefined ? options.keepalive > 0 : profile.pooling.byDefault;
  if (!pools) return NODE_KEEPALIVE_TIMEOUT_MS;
  const idleSec = profile.pooling.byDefault ? profile.pooling.idleTimeoutSec : LAB_UPSTREAM_IDLE_TIMEOUT_SEC;
  return idleSec === null ? 0 : (idleSec + 5) * 1000;
}

export const UPSTREAM_HINT =
  'give host:port on loopback: 127.0.0.1:PORT (a dead or another port) or NAME.invalid:PORT (a name that never resolves, the DNS case)';

/**
 * Why `value` cannot be the lab gateway's upstream, or null when it can. The lab never leaves
 * loopback, so the host must be `localhost`, an address in 127.0.0.0/8, or a name under `.invalid`
 * (RFC 6761: it never resolves, so nothing is looked up anywhere). A gateway forwarding to its own
 * port would loop, so that is refused when the gateway port is known.
 */
export function checkLabUpstream(value: string, gatewayPort?: number): string | null {
  const parts = splitHostPort(value);
  if (!parts) return `"${value}" is not host:port (port 1–65535)`;
  const host = parts.host.toLowerCase();
  const loopback = host === 'localhost' || /^127(\.\d{1,3}){3}$/.test(host);
  if (!loopback && !/^([a-z0-9-]+\.)+invalid$/.test(host)) {
    return `"${parts.host}" is neither loopback (127.x.x.x, localhost) nor a NAME.invalid host: the lab stays on this machine`;
  }
  if (loopback && gatewayPort !== undefined && parts.port === gatewayPort) return `port ${parts.port} is the gateway's own port: it would forward to itself`;
  return null;
}

/** True when `upstream` reaches the lab backend, which listens on 127.0.0.1:backendPort. */
function isBackendAddress(upstream: string, backendPort: number): boolean {
  const parts = splitHostPort(upstream);
  return parts !== null && parts.port === backendPort && (parts.host === LOOPBACK || parts.host.toLowerCase() === 'localhost');
}
