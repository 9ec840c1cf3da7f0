/**
 * What debug502 knows about one gateway, as data: how to recognise it, what it answers for each of
 * the guide's upstream failures, whether it pools upstream connections, the words of its
 * configuration, and — where Debian packages it — how the lab starts it. Read this file first: run,
 * ramp, diagnose and the lab ask a profile (`GATEWAYS` in ./index.ts) instead of branching per
 * gateway, and a new gateway adds a profile, not branches.
 *
 * Every fact in a profile names its source in a comment: a test that measured it on the real binary
 * (`basis: 'measured'`, test/gateways/faults.test.ts) or the gateway's documentation or source
 * (`basis: 'documented'`: not run here). This room sits low in the layering: it imports model.ts,
 * errors.ts, text/ and options/ only.
 */
import type { CauseCode, GatewayKind, LogFormat } from '../model.js';

export type { GatewayKind } from '../model.js';

/**
 * The guide's upstream failures, named by the cause diagnose gives them: the backend refused the
 * connection (down), closed or reset it before answering, was slower than the gateway's timeout,
 * sent an answer that is not HTTP, has a name that does not resolve, or the gateway's own
 * connection limit towards it was reached.
 */
export type UpstreamFailure = Extract<
  CauseCode,
  'backend-down' | 'backend-closed-connection' | 'backend-timeout' | 'backend-invalid-response' | 'backend-unresolvable' | 'gateway-overflow'
>;
export const UPSTREAM_FAILURES: readonly UpstreamFailure[] = [
  'backend-down', 'backend-closed-connection', 'backend-timeout', 'backend-invalid-response', 'backend-unresolvable', 'gateway-overflow',
];

/** Where a fact comes from: measured on the real binary by the lab's tests, or read in the gateway's docs or source. */
export type FactBasis = 'measured' | 'documented';

/** What the gateway answers the client for one upstream failure. */
export interface StatusAnswer {
  /**
   * The HTTP status the client gets; null when it gets none — the request waits (a connection limit
   * that queues without end), or the gateway never runs with such a configuration.
   */
  status: number | null;
  basis: FactBasis;
  /** When the status holds only under a condition, e.g. "with `acquire=` set (the lab sets it)". */
  when?: string;
  /** What else matters to someone reading the status, e.g. "after 3 connect retries, 1 s apart". */
  note?: string;
}

/** How to tell this gateway from a response it sent. All patterns are tested against header values as received. */
export interface Recognition {
  /** `Server` header the gateway sets on what it answers itself (its error pages, at least). */
  server?: RegExp;
  /** `Via` header the gateway adds to the answers it passes on. */
  via?: RegExp;
  /** Other headers only this gateway adds, e.g. `X-Varnish`, `x-envoy-upstream-service-time`. */
  headers?: readonly { name: string; value: RegExp }[];
  /** Words of the gateway's own error pages, for gateways that set no identifying header. */
  errorBody?: RegExp;
  /** What a reader must know, e.g. "HAProxy sends no Server or Via header by default". */
  note?: string;
}

/**
 * Log formats, by name. Each names the reader in src/gateways/logs that diagnose reads it with
 * (`diagnoseReads`, a `--log-format` choice).
 */
export type GatewayLogFormatName =
  | 'nginx-error' | 'nginx-combined'
  | 'haproxy-httplog'
  | 'caddy-json-access' | 'caddy-json-runtime'
  | 'apache-error' | 'apache-combined'
  | 'varnishncsa' | 'varnishlog'
  | 'traefik-clf' | 'traefik-json'
  | 'alb-access'
  | 'envoy-access';

export interface GatewayLogFormat {
  name: GatewayLogFormatName;
  /** error: one line per failure; access: one line per request; runtime: the process's own log, failures among others. */
  kind: 'error' | 'access' | 'runtime';
  /** One line on what it is, e.g. "JSON access log (`log { format json }`)". */
  describes: string;
  /** The diagnose reader (`--log-format`) that reads it today; absent: not read yet. */
  diagnoseReads?: LogFormat;
}

/** Whether the gateway keeps idle connections to the backend for reuse, and what it does when one turns out dead. */
export interface PoolingFacts {
  /** True when it pools without any setting. */
  byDefault: boolean;
  /**
   * Seconds a pooled connection may stay idle by default before the gateway closes it; null when it
   * does not pool by default or keeps idle connections until the backend closes them.
   */
  idleTimeoutSec: number | null;
  /** How the pool is configured, in the gateway's words. */
  how: string;
  /**
   * What happens when a request sent on a pooled connection meets a backend that has just closed it
   * (the keep-alive race): true when an idempotent request is retried on a fresh connection before
   * the client sees anything; false when the client gets the error.
   */
  retriesIdempotent: boolean;
  /** The retry in words: which methods, how often, what a POST gets. */
  retryNote: string;
  /** Methods it never sends twice (where it retries at all): a failed attempt of these is the client's error answer. */
  neverRetried?: readonly string[];
  basis: FactBasis;
}

/** The gateway's own words for what findings and next steps talk about. */
export interface GatewayWords {
  /** Where the backend is named, e.g. `upstream { server … }`, `ProxyPass`. */
  upstream: string;
  /** The setting that bounds the wait for the backend's answer, e.g. `proxy_read_timeout`. */
  readTimeout: string;
  connectTimeout: string;
  /** The cap on connections to one backend, e.g. `max_conns`; absent when there is none. */
  connectionLimit?: string;
  /** The setting that turns upstream keep-alive pooling on or off. */
  pooling: string;
  /** The setting that retries a failed attempt, absent when there is none. */
  retry?: string;
  /** The command that checks a configuration before it is loaded, e.g. `nginx -t`. */
  configTest?: string;
  /** How a changed configuration is loaded, e.g. `nginx -s reload`. */
  reload?: string;
  /** Where its logs are configured, e.g. `error_log` / `access_log`. */
  logs: string;
}

/** How to find a program: an environment variable that overrides, names on PATH, then usual places. */
export interface BinarySpec {
  /** Set to a path: that binary or none (no fallback), e.g. `NGINX_BIN`. */
  envVar: string;
  names: readonly string[];
  fallbackPaths: readonly string[];
  /** How to install it, for the error when it is missing, e.g. `apt-get install -y haproxy`. */
  install: string;
}

/**
 * The lab's gateway options with defaults applied and checked (`resolveGatewayOptions` in
 * src/lab/gateway.ts); every renderer gets these and maps what its gateway can express.
 */
export interface LabGatewayConfig {
  upstreamHost: string;
  upstreamPort: number;
  port: number;
  /** How long the gateway waits for the backend's answer (nginx `proxy_read_timeout`, HAProxy `timeout server`, …). */
  proxyReadTimeoutMs: number;
  proxyConnectTimeoutMs: number;
  /** Cap on connections to the backend; absent: the gateway's default (none). */
  maxConns?: number;
  /** nginx `max_fails` / `fail_timeout`: nginx only. */
  maxFails: number;
  failTimeoutSec: number;
  /** Idle backend connections pooled: absent keeps the gateway's own default, 0 turns pooling off, N pools N. */
  keepalive?: number;
  /** nginx `proxy_next_upstream`: nginx and the built-in gateway only. */
  nextUpstream: 'error timeout' | 'off';
  keepFiles: boolean;
}

/** What a lab renderer is given: everything but the clock and the file system. */
export interface LabPlanInput {
  /** The temp dir that holds everything the gateway reads and writes. */
  dir: string;
  listenPort: number;
  config: LabGatewayConfig;
  /** Set when `config.upstreamHost` does not resolve: a loopback DNS server that answers NXDOMAIN. */
  resolverPort?: number;
  runAsRoot: boolean;
  /** The binary's version output, when the profile asked for it (`LabBinaryLaunch.version`). */
  versionText?: string;
  /** The lab rehearses the keep-alive race: the renderer makes it visible where the gateway can. */
  keepaliveRace: boolean;
  /** The lab's environment, for overrides such as `APACHE_MODULES_DIR`. */
  env?: Readonly<Record<string, string | undefined>>;
}

/** A log the lab's gateway writes, and what the lab prints it as (`error_log:`, `access_log:`). */
export interface LabLogFile {
  label: 'error_log' | 'access_log' | 'runtime_log' | 'varnishlog';
  /** File name inside the temp dir. */
  file: string;
  format: GatewayLogFormatName;
}

/** A program run beside the gateway for as long as it runs (varnishncsa, which writes Varnish's access log). */
export interface LabCompanion {
  binary: BinarySpec;
  args: readonly string[];
  /** A file inside the temp dir the companion writes once it is attached (its pid file). */
  readyFile?: string;
  /**
   * A file inside the temp dir the companion maps into memory once it reads (Linux: seen in
   * /proc/PID/maps): it is ready then, not before. Where /proc is not there, `settleMs` is waited instead.
   */
  readyMapping?: string;
  /** Wait after readyFile when readyMapping cannot be watched. */
  settleMs?: number;
}

/** Everything the lab does to start one gateway, as data: a pure function of LabPlanInput renders it. */
export interface LabGatewayPlan {
  /** Files written into the temp dir before the start (the configuration). */
  files: readonly { name: string; text: string }[];
  /** Which of `files` is the configuration the lab prints. */
  configFile: string;
  args: readonly string[];
  /** Environment added to the lab's own (e.g. Caddy's XDG dirs, kept inside the temp dir). */
  env?: Readonly<Record<string, string>>;
  /** The gateway's stdout goes to this file inside the temp dir (HAProxy's `log stdout`). */
  stdoutFile?: string;
  /** The gateway is ready once it accepts connections and this file exists (it binds first). */
  pidFile?: string;
  logs: readonly LabLogFile[];
  /** The signal that stops it gracefully; the lab sends SIGKILL to its process group 3 s later. */
  stopSignal: 'SIGQUIT' | 'SIGTERM' | 'SIGINT' | 'SIGUSR1';
  companions: readonly LabCompanion[];
  /** Lab options the gateway cannot express as asked, and what it does instead: printed once. */
  notes: readonly string[];
}

/** What the lab prints of a gateway's settings: input to `summarize`. */
export interface LabSummaryInput {
  config: LabGatewayConfig;
  /** The upstream name does not resolve, so it is resolved per request (or not at all). */
  unresolvedUpstream: boolean;
  keepaliveRace: boolean;
}

/** A gateway the lab runs as a real binary from a config in a temp dir. */
export interface LabBinaryLaunch {
  runs: 'binary';
  binary: BinarySpec;
  /** Arguments that print the version (read once per binary), for renderers that depend on it. */
  versionArgs?: readonly string[];
  /** What the lab prints the config path as, e.g. `nginx_conf`. */
  configLabel: string;
  /** Pure: the files, arguments and logs of one start. Throws InputError for options the gateway cannot run with. */
  plan(input: LabPlanInput): LabGatewayPlan;
  /** Pure: the settings in the gateway's words, e.g. ["proxy_read_timeout 5000 ms", "no max_conns"]. */
  summarize(input: LabSummaryInput): string[];
}

/** The built-in Node gateway, which runs inside debug502 (src/lab/builtin-proxy.ts). */
export interface LabInProcessLaunch {
  runs: 'in-process';
  summarize(input: LabSummaryInput): string[];
}

export interface GatewayProfile {
  kind: GatewayKind;
  /** As its makers write it: `nginx`, `HAProxy`, `Apache httpd`. */
  name: string;
  /** The versions the facts were measured on or read for, e.g. "2.6.12 (Debian 12)". */
  versions: string;
  recognition: Recognition;
  logFormats: readonly GatewayLogFormat[];
  /** What the client gets for each upstream failure. */
  answers: Readonly<Record<UpstreamFailure, StatusAnswer>>;
  /** How long it waits for the backend's answer when nothing is configured; null: it waits without end. */
  defaultReadTimeoutSec: number | null;
  pooling: PoolingFacts;
  words: GatewayWords;
  /** How the lab starts it; absent for gateways the lab cannot run here (not packaged, or a cloud service). */
  lab?: LabBinaryLaunch | LabInProcessLaunch;
}
