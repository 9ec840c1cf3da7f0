/**
 * The types that flow between the rooms of debug502. Read this file first.
 *
 * config ─▶ ResolvedConfig ─▶ generate ─▶ collection + environment JSON
 * collection + environment ─▶ run ─▶ RunReport
 * collection + environment + RampOptions ─▶ ramp ─▶ RampReport ─▶ reporters
 * environment (+ collection, nginx log) ─▶ diagnose ─▶ DiagnoseReport
 */

/** Which side of the gateway a request went to, from the URL variable it uses. */
export type Route = 'gateway' | 'backend';
export const ROUTES: readonly Route[] = ['gateway', 'backend'];
/** The environment variable that holds each route's base URL. */
export const ROUTE_VARIABLE: Readonly<Record<Route, string>> = { gateway: 'gateway_url', backend: 'backend_url' };
/** The collection folders `generate` writes, one per route. */
export const ROUTE_FOLDER: Readonly<Record<Route, string>> = {
  gateway: 'Through gateway',
  backend: 'Direct to backend',
};
export const HEALTH_FOLDER = 'Backend health';
export const HEALTH_REQUEST_NAME = 'Check backend server health';
export const NO_502_TEST = 'No 502 errors';
/** "Response under 5 seconds" for 5000 ms; "Response under 1.5 seconds" for 1500 ms. */
export function latencyTestName(maxResponseTimeMs: number): string {
  const seconds = maxResponseTimeMs / 1000;
  return `Response under ${seconds} second${seconds === 1 ? '' : 's'}`;
}

/** The code an answer with no HTTP status counts as: a malformed response, as llhttp's own HPE_* codes are. */
export const INVALID_STATUS_CODE = 'HPE_INVALID_STATUS';
/**
 * Why an answer's status is no answer, or undefined when it is one. Node's parser takes any three
 * digits, so `000` and `999` arrive as statuses; HTTP's are 100–599 (RFC 9110 §15), and a 101
 * answers only a request that asked to switch protocols — none of ours. Every sender reports such
 * an answer as the transport error INVALID_STATUS_CODE, so no verdict reads it as "ok".
 */
export function describeInvalidStatus(status: number): string | undefined {
  if (status === 101) return 'invalid status code 101: Switching Protocols, to a request that asked for no upgrade';
  if (status < 100 || status > 599) return `invalid status code ${String(status).padStart(3, '0')}: an HTTP status is 100–599`;
  return undefined;
}

// ───────────────────────────── config ─────────────────────────────

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD' | 'OPTIONS';

export interface EndpointConfig {
  name: string;
  method: HttpMethod;
  /** Starts with "/"; appended to `{{gateway_url}}` / `{{backend_url}}`. */
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  /** An object is sent as JSON, a string raw; undefined means no body. */
  body?: Record<string, unknown> | unknown[] | string;
  expectStatus?: number;
}

export interface EnvironmentConfig {
  gateway_url: string;
  backend_url: string;
  /** Variable names written with type "secret" and an empty value. */
  secrets: string[];
}

export interface ResolvedConfig {
  name: string;
  assertions: { maxResponseTimeMs: number };
  environments: Record<string, EnvironmentConfig>;
  health?: { path: string; method: HttpMethod };
  endpoints: EndpointConfig[];
}

// ───────────────────────────── one request ─────────────────────────────

/** Transport failures: no HTTP response at all. Codes as Node reports them. */
export type TransportErrorCode = string; // ECONNREFUSED, ENOTFOUND, ECONNRESET, ETIMEDOUT, ESOCKETTIMEDOUT, HPE_*, …

export interface TestOutcome {
  name: string;
  passed: boolean;
  /** The assertion's failure message, when it failed. */
  message?: string;
}

/** What happened to one request, as the engines report it. */
export interface RequestOutcome {
  route: Route | null;
  /** The collection item's name. */
  item: string;
  /** The collection item's id: stable across iterations, tells apart items that share a name. */
  itemId?: string;
  /** Method and URL without the route variable, e.g. `GET /api/users?page=1`: the same on both routes. */
  request?: string;
  /** HTTP status, when a response came back. */
  status?: number;
  /** Transport error code, when no response came back. */
  error?: TransportErrorCode;
  errorMessage?: string;
  latencyMs: number;
  tests: TestOutcome[];
}

// ───────────────────────────── run ─────────────────────────────

export type RunVerdictCode =
  | 'ok'
  | 'gateway-misconfigured'
  | 'backend-down'
  | 'backend-unresolvable'
  | 'backend-unreachable'
  | 'backend-invalid-response'
  | 'backend-timeout'
  | 'backend-error'
  | 'service-unavailable'
  | 'gateway-unreachable';

export interface Verdict<Code extends string = string> {
  code: Code;
  message: string;
  /** The next step to take, from the guide. */
  next?: string;
  /**
   * What the answer cannot vouch for, each a sentence: the load generator was saturated or
   * underdriven, or took far less load on average than the level says. Said after the answer.
   * Absent when none (and in reports written before caveats were kept apart from the message).
   */
  caveats?: string[];
}

/** One route's observation of one endpoint (the worst of its requests when iterated). */
export interface RouteObservation {
  status?: number;
  error?: TransportErrorCode;
  errorMessage?: string;
  latencyMs: number;
  failedTests: string[];
  requests: number;
  /** Every test of this route's request, failed when it failed in any iteration (for JUnit). */
  tests?: TestOutcome[];
}

export interface EndpointResult {
  name: string;
  gateway?: RouteObservation;
  backend?: RouteObservation;
  verdict: Verdict<RunVerdictCode>;
}

export interface RunReport {
  schemaVersion: 1;
  meta: {
    tool: 'debug502'; version: string; collection: string; environment: string; startedAt: string; durationMs: number; iterations: number;
    /** The collection's own name (`info.name`), for titles; `collection` is the file. */
    collectionName?: string;
    /** The latency limit the verdicts used (the collection's `max_response_time_ms`). */
    maxLatencyMs?: number;
    timeoutRequestMs?: number;
    /** The URLs the routes pointed at, without any user:password. */
    gatewayUrl?: string;
    backendUrl?: string;
    /** Set when Ctrl-C / SIGTERM stopped the run early: the report covers what ran. */
    interrupted?: boolean;
  };
  endpoints: EndpointResult[];
  totals: {
    requests: number; tests: number; failedTests: number; endpoints: number; notOk: number;
    /** Requests that use neither `{{gateway_url}}` nor `{{backend_url}}`: counted, not paired. */
    unrouted?: number;
    /** Redirects followed: requests that left the machine on top of `requests`. Absent when none. */
    redirects?: number;
  };
}

// ───────────────────────────── ramp ─────────────────────────────

export type RampTarget = Route;

/**
 * What sends a ramp's requests. `newman` runs the collection's own scripts (every test, exactly as
 * Postman would) but its CPU cost caps the load it can sustain; `fast` (its own HTTP/1.1 client) sends the same
 * requests and judges only the guide's two tests, at a tiny fraction of the CPU.
 */
export type RampEngine = 'newman' | 'fast';

/**
 * How a step's load level is set (k6's executors): `concurrency` is the closed model — C virtual
 * users, each waiting for its answer before the next request; `rate` is the open model — arrivals
 * on the clock, R requests per second whatever the answers do, as real spikes come.
 */
export type LoadModel = 'concurrency' | 'rate';
export const LOAD_MODELS: readonly LoadModel[] = ['concurrency', 'rate'];

/**
 * The hard cap on a concurrency level (virtual users, in-flight caps): no option lifts it, so a typo
 * cannot open thousands of runs, and a report read back holds no level above it.
 */
export const MAX_CONCURRENCY = 1024;
/** The hard cap on an offered rate (req/s): far above what one machine's client can send. */
export const MAX_RATE_PER_SEC = 1_000_000;

export interface RampOptions {
  target: RampTarget | 'both';
  /** The load model; a level is a concurrency or an offered rate (req/s). Reports of schemaVersion 1 read as `concurrency`. */
  mode: LoadModel;
  /** What sent the load; absent in a report imported from another tool (Locust, k6). */
  engine?: RampEngine;
  /** Worker threads that share a step's virtual users; absent: the engine's default (newman: one per core). */
  workers?: number;
  /** Closed model: first and last concurrency. Open model: `max` is unused. */
  start: number;
  max: number;
  /** Levels grow by this factor per step (concurrencies or rates). */
  factor: number;
  /** Closed model: the request budget of a step, shared by its users. */
  requestsPerStep: number;
  /** Open model: first and last offered rate (req/s), how long a step offers it, the cap on requests in flight. */
  startRate?: number;
  maxRate?: number;
  stepDurationMs?: number;
  maxVus?: number;
  /** A step fails when its failure share is above this (0: any failure). */
  threshold: number;
  failOn: number[];
  /** `--fail-on slow`: a request slower than the collection's `max_response_time_ms` fails too. */
  failOnSlow?: boolean;
  /** `--max-p95 MS` / `--max-p99 MS`: a step whose latency percentile is above it fails (k6's thresholds). */
  maxP95Ms?: number;
  maxP99Ms?: number;
  bisect: boolean;
  maxRequests: number;
  maxDurationMs: number;
  timeoutRequestMs: number;
  /** False with --ignore-redirects: a 3xx is the answer. Absent: redirects are followed (up to 10). */
  followRedirects?: boolean;
  minCapacity?: number;
}

export interface LatencySummary { p50: number; p90: number; p95: number; p99: number; max: number }

export type StepPhase = 'ramp' | 'bisect' | 'repeat';

export interface StepResult {
  /** Closed model: the step's level. Open model: the cap on requests in flight (--max-vus). */
  concurrency: number;
  /** Open model only: the offered rate, arrivals per second — the step's level. */
  rate?: number;
  /** Open model only: arrivals that found every virtual user busy and were not sent; above 0 the step decides nothing. */
  droppedArrivals?: number;
  phase: StepPhase;
  requests: number;
  /** HTTP status → count, e.g. { "200": 190, "502": 10 }. */
  status: Record<string, number>;
  transportErrors: Record<string, number>;
  /** `--fail-on` statuses plus transport errors (plus slow answers with `--fail-on slow`). */
  failures: number;
  /** With `--fail-on slow`: the answers slower than `max_response_time_ms` (counted in `failures`). */
  slow?: number;
  rate502: number;
  failureRate: number;
  latencyMs: LatencySummary;
  rps: number;
  durationMs: number;
  /** 1-based ordinal of the first 502 (or failure) inside this step, null when none. */
  first502AtRequest: number | null;
  /** The same ordinal counted over the whole run of this target. */
  first502AtRunRequest: number | null;
  /** The most requests really in flight at once; below `concurrency` means underdriven (closed model). */
  peakInFlight: number;
  /**
   * Requests in flight on average over the step (time-weighted). newman reaches C only at the peak:
   * against a 50 ms backend its average stays at 2–7 for C = 4…32 (src/ramp/client-load.ts). Absent
   * in reports written before it existed.
   */
  avgInFlight?: number;
  /**
   * Redirects followed in this step: requests that left the machine on top of `requests`, and that
   * count against --max-requests. Absent when none.
   */
  redirects?: number;
  underdriven: boolean;
  /** Load generator CPU use during the step, percent of one core. */
  clientCpuPercent: number;
  failed: boolean;
}

export interface LevelSummary {
  concurrency: number;
  /** Open model: the offered rate (req/s) of the level. */
  rate?: number;
  rps: number;
  rate502: number;
  failureRate: number;
}

export interface TargetResult {
  steps: StepResult[];
  breakingPoint: LevelSummary | null;
  lastPassing: LevelSummary | null;
  /** Ordinal of the first failure over the whole ramp of this target. */
  first502AtRequest: number | null;
  /** True when underdriven steps left the answer open. */
  underdriven: boolean;
}

export type RampVerdictCode =
  | 'gateway-limited'
  | 'backend-capacity'
  /** The backend hit directly answers nothing and the target fails (nearly) every request at the lowest level: not a load problem. */
  | 'backend-down'
  | 'breaking-point'
  | 'no-breaking-point'
  | 'inconclusive';

/** Where a report's steps came from when no debug502 engine sent the requests: an imported distributed run. */
export interface RampSource {
  tool: 'locust' | 'k6';
  /** The result files read. */
  files: string[];
  /** How the steps were measured, in words (what differs from a local ramp). */
  note: string;
}

/** `tls-problem`: every request of the first step failed TLS verification (a self-signed gateway without -k): no load was measured. */
export type AbortReason = 'interrupted' | 'max-requests' | 'max-duration' | 'unreachable' | 'tls-problem';

/** 2: options carry `mode` and `engine`; steps and levels of the open model carry `rate`. Version 1 files are read as closed-model ramps. */
export interface RampReport {
  schemaVersion: 2;
  meta: {
    tool: 'debug502';
    version: string;
    collection: string;
    /** The collection's own name (`info.name`), for titles; `collection` is the file. */
    collectionName?: string;
    environment: string;
    startedAt: string;
    durationMs: number;
    options: RampOptions;
    aborted?: { reason: AbortReason; message: string };
    /** The collection's latency assertion ("Response under N seconds"); JUnit's latency testcase uses it (default 5000). */
    maxResponseTimeMs?: number;
    /** Set when the steps were read back from a Locust or k6 run ("debug502 report --from-locust/--from-k6"). */
    source?: RampSource;
  };
  targets: Partial<Record<RampTarget, TargetResult>>;
  verdict: Verdict<RampVerdictCode>;
}

// ───────────────────────────── diagnose ─────────────────────────────

/** Every gateway debug502 knows by name (src/gateways/: one profile each); the `--gateway-kind` choices. */
export type GatewayKind = 'nginx' | 'haproxy' | 'caddy' | 'apache' | 'varnish' | 'traefik' | 'alb' | 'envoy' | 'builtin';

/** Which gateway the evidence is about, and how diagnose knows: --gateway-kind, the log's format, the probe's headers, or nothing. */
export interface GatewayIdentity {
  kind?: GatewayKind;
  source: 'option' | 'conf' | 'log' | 'probe' | 'unknown';
  /** What gave it away: `Server: Apache/2.4.71 (Debian)`, `the Caddy JSON log`, or why it is unknown. */
  evidence: string;
}

export type CauseCode =
  | 'backend-down'
  | 'backend-closed-connection'
  | 'backend-timeout'
  | 'no-live-upstreams'
  | 'backend-invalid-response'
  | 'backend-unresolvable'
  | 'connection-reset'
  | 'backend-unreachable'
  | 'tls-problem'
  | 'gateway-misconfigured'
  /** The backend itself answers 500 (or another 5xx that is no gateway error): an application failure. */
  | 'backend-error'
  /** A 503 from the backend or the gateway: unavailable on purpose (maintenance, rate limiting, overload protection). */
  | 'service-unavailable'
  /**
   * The gateway pools idle connections to the backend and the backend closes them first: a request
   * sent on a connection the backend is closing dies, and the gateway answers 502. A low steady rate.
   */
  | 'keepalive-race'
  /** The gateway's own limit turned the request away: Envoy circuit breaker (UO), HAProxy queue timeout (sQ). */
  | 'gateway-overflow'
  /** The backend itself answered 502 (the gateway passed it on): look one hop further. */
  | 'backend-sent-502'
  | 'unclassified';

export type Confidence = 'high' | 'medium' | 'low';

export interface Finding {
  code: CauseCode;
  confidence: Confidence;
  evidence: string[];
  next: string;
  /** Numbers a probe measured for this finding, e.g. keepalive-race's idle timeouts. */
  measured?: { backendIdleTimeoutMs?: number; gatewayIdleTimeoutMs?: number };
}

export type ProbeKind = 'dns' | 'tcp' | 'tls' | 'health' | 'direct-vs-gateway' | 'timeout' | 'keepalive';

export interface ProbeResult {
  kind: ProbeKind;
  /** What was probed: a host, host:port or URL. */
  target: string;
  ok: boolean;
  timeMs: number;
  evidence: string;
  /** Error code when it failed (ENOTFOUND, ECONNREFUSED, …). */
  error?: string;
  /** Which side of the gateway the target is on, when the probe is about one side. */
  route?: Route;
  /** The request probed (`GET /api/users`), for health and direct-vs-gateway probes. */
  request?: string;
  /** HTTP status, when a response came back. */
  status?: number;
  /** DNS: the addresses the host resolved to. */
  addresses?: string[];
  /** TLS: whole days until the certificate expires (negative: expired). */
  certDaysLeft?: number;
  /** Timeout probe: the gateway timeout compared against (given or inferred). */
  limitMs?: number;
  /** Keep-alive probe: how long the backend kept an idle keep-alive connection open; absent when it outlived the wait. */
  backendIdleTimeoutMs?: number;
  /** Keep-alive probe: the gateway's idle timeout it was compared with, and where that number came from. */
  gatewayIdleTimeoutMs?: number;
  /** option: --gateway-idle-timeout; conf: read from --gateway-conf; profile: the documented default of the gateway's kind; unknown: not known (then a note, never a finding). `nginx-conf`, `default`: reports of earlier versions. */
  gatewayIdleTimeoutSource?: 'option' | 'conf' | 'profile' | 'unknown' | 'nginx-conf' | 'default';
  /** Direct-vs-gateway probe through the gateway: which gateway its answer's headers name (`Server`, `Via`). */
  recognised?: { kind: GatewayKind; evidence: string };
  /**
   * Cut by Ctrl-C / SIGTERM before it measured anything: neither passed nor failed. diagnose lists
   * such probes in DiagnoseReport.interrupted, never among the probes the findings are made from.
   */
  interrupted?: true;
}

export interface LogCause {
  /** Lines: an error log writes one per failed upstream attempt (a retried request has several), an access log one per request. */
  count: number;
  first?: string;
  last?: string;
  upstreams: string[];
  sample: string;
  /** What nginx was doing, e.g. { "connecting to upstream": 3 } (capped, like upstreams). */
  phases?: Record<string, number>;
  /** Epoch ms of the first and last dated line (the log's own clock). */
  firstMs?: number;
  lastMs?: number;
  /** Lines per minute, `2026-11-25T06:41Z` → count (UTC minutes; capped at LOG_LIMITS.minutesPerCause). */
  perMinute?: Record<string, number>;
  /** What the client got, where the line says (access lines, Caddy's error lines, a varnishlog transaction): status → lines. */
  answered?: Record<string, number>;
  /** The request method of the lines that name it: GET → 12. */
  methods?: Record<string, number>;
  /** Lines that are a request's final answer (access-log lines); the rest are attempts (error-log lines). */
  answers?: number;
  /** Counted from the answers' status alone: the gateway answers this status for this cause only (nginx: 504 is its read timeout). */
  fromStatus?: number;
}

/** Gateway log formats diagnose reads (`--log-format`); src/gateways/logs/ holds one reader each. */
export type LogFormat = 'nginx' | 'combined' | 'alb' | 'envoy' | 'haproxy' | 'caddy' | 'apache' | 'varnishncsa' | 'varnishlog' | 'traefik';
export const LOG_FORMATS: readonly LogFormat[] = ['nginx', 'combined', 'alb', 'envoy', 'haproxy', 'caddy', 'apache', 'varnishncsa', 'varnishlog', 'traefik'];
/**
 * What each format is called in reports and evidence ("the nginx error log shows …"); a summary
 * merged from several formats is "gateway logs", one without a line "empty log".
 */
export const LOG_FORMAT_LABEL: Readonly<Record<LogFormat | 'mixed' | 'empty', string>> = {
  nginx: 'nginx error log', combined: 'access log (NCSA combined)', alb: 'ALB access log', envoy: 'Envoy access log', haproxy: 'HAProxy log',
  caddy: 'Caddy log', apache: 'Apache error log', varnishncsa: 'varnishncsa access log', varnishlog: 'varnishlog', traefik: 'Traefik access log',
  mixed: 'gateway logs', empty: 'empty log',
};

/** The requests an access log answered (one line each), as far as a summary keeps them. */
export interface LogAnswers {
  /** Request lines. */
  count: number;
  /** Status → lines. */
  statuses: Record<string, number>;
  /** For each 5xx status: method → lines (`{"502": {"POST": 16}}`), where the line names the method. */
  methods: Record<string, Record<string, number>>;
  /** Requests answered below 500 after a failed upstream attempt (nginx `$upstream_status` "502, 200", varnishlog's retried FetchError): the gateway retried them. */
  retried: number;
  /** Methods of those retried requests. */
  retriedMethods: Record<string, number>;
  /** Status → answers the backend gave itself and the gateway passed on (no gateway failure), where the format tells. */
  passedThrough: Record<string, number>;
  /** One sample line per 5xx status. */
  samples: Record<string, string>;
}

export interface LogSummary {
  file: string;
  /** The format the lines were read as; `mixed` for a summary merged from files of several formats; `empty` for a log without a line. */
  format: LogFormat | 'mixed' | 'empty';
  /** How the format was chosen: detected from the first lines, given with --log-format, or assumed (nothing recognisable). */
  formatSource: 'detected' | 'given' | 'assumed';
  /** The gateway only it writes (HAProxy's httplog, Caddy's JSON, varnishlog …); absent for formats several write (NCSA combined). */
  gatewayKind?: GatewayKind;
  /** Access logs: request lines that are no gateway error (served). Error logs only hold errors: 0. */
  ok: number;
  /** Epoch ms of the first and last dated line kept (any kind): the span the log covers. */
  firstMs?: number;
  lastMs?: number;
  lines: number;
  /** Lines in the format's shape (the rest are other text: startup banners, a log of another kind). */
  matched?: number;
  /** Lines filtered out by `--since`. */
  skipped: number;
  /** Lines read that are no error: notice/info/debug/warn lines no rule knows (startup, keep-alive). */
  ignored?: number;
  causes: Partial<Record<CauseCode, LogCause>>;
  unknown: { count: number; samples: string[] };
  /** Lines that show an upstream failure whose cause no rule names (an error line no rule knows, a FetchError of other words). */
  unnamed?: { count: number; samples: string[] };
  /** Access-log lines (one per request): the final answers, where the log has them. */
  answers?: LogAnswers;
  /**
   * Failed answers (the gateway's failure statuses) that no line of these logs explains: status →
   * requests. Read with the gateway's status table once its kind is known (diagnose), absent before.
   */
  unexplained?: Record<string, number>;
}

/** A request of the collection that diagnose did not send, and why. */
export interface SkippedRequest {
  /** Where it sits: "Through gateway / Orders / Delete order". */
  name: string;
  /** `DELETE /orders/:id`: the same on both routes. */
  request: string;
  reason: string;
}

export interface DiagnoseReport {
  schemaVersion: 1;
  /**
   * What was diagnosed with what, for the reports' titles and their next steps (commands with the
   * same environment and collection); set by `debug502 diagnose`, absent from a bare diagnose() call.
   */
  meta?: {
    tool: 'debug502';
    version: string;
    startedAt: string;
    durationMs: number;
    /** The environment as given (describeEnvironmentSource: the file, the --env-var keys), '' without. */
    environment: string;
    /** The collection file as given, '' without (GET / was probed). */
    collection: string;
  };
  findings: Finding[];
  probes: ProbeResult[];
  /** Every log read, merged (one file: that file's summary). */
  log?: LogSummary;
  /** The gateway the findings speak of, and how diagnose knows it (or that it does not). */
  gateway?: GatewayIdentity;
  /** What diagnose could not judge, said as such: never findings (e.g. a keep-alive race it cannot rule in or out). */
  notes?: string[];
  /** One summary per log given, in order. */
  logs?: LogSummary[];
  /** With --collection: its requests that were not probed (unsafe methods unless --unsafe-methods), one per request key. */
  skipped?: SkippedRequest[];
  /**
   * Set when Ctrl-C / SIGTERM stopped the diagnosis: the report covers the probes that finished
   * (and the log lines read); `unfinished` names the probes cut or never started, one line each.
   */
  interrupted?: { message: string; unfinished: string[] };
  /**
   * Set when the probes could not answer the question — no HTTP request was probed through the
   * gateway and direct (every request of the collection skipped): why, in one sentence. Without
   * findings this is no "nothing found" (exit 1, not 0).
   */
  inconclusive?: string;
}

// ───────────────────────────── watch ─────────────────────────────

/** How arrivals are spaced: `poisson` (random gaps, like real traffic: idle gaps happen) or `uniform` (every 1/rate s). */
export type WatchArrivals = 'poisson' | 'uniform';

export interface WatchOptions {
  target: Route | 'both';
  /** Arrivals per second (open model: they do not wait for answers). */
  ratePerSec: number;
  durationMs: number;
  /** Width of one timeline window. */
  windowMs: number;
  arrivals: WatchArrivals;
  /** The seed of the poisson gaps: the same seed gives the same schedule. */
  seed: number;
  /** Statuses counted as failures, with transport errors (default [502]). */
  failOn: number[];
  /** A target fails the watch when its failure share is above this (0: any failure). */
  threshold: number;
  timeoutRequestMs: number;
  /** Safety cap on requests per target. */
  maxRequests: number;
}

/** One target's counts over a window (or over the whole watch). */
export interface WatchCounts {
  requests: number;
  /** HTTP status → count. */
  statuses: Record<string, number>;
  transportErrors: Record<string, number>;
  /** `failOn` statuses plus transport errors. */
  failures: number;
  count502: number;
  /** 95th percentile latency of the answered and failed requests, ms (0 when none). */
  p95Ms: number;
}

export interface WatchWindow {
  /** Offsets from the start of the watch, ms. */
  startMs: number;
  endMs: number;
  targets: Partial<Record<Route, WatchCounts>>;
}

export interface WatchTargetResult extends WatchCounts {
  failureRate: number;
  latencyMs: LatencySummary;
  /** Offset (ms) of the first and last failure, null when none. */
  firstFailureMs: number | null;
  lastFailureMs: number | null;
  /** Windows with at least one failure. */
  failingWindows: number;
  /** True when the failure share is above the threshold: the CI gate. */
  failed: boolean;
}

/**
 * What the failures over time look like: none; a burst (a deploy, restart or crash window); a
 * steady background (the keep-alive race); or no-requests — nothing was sent, nothing to judge.
 */
export type WatchVerdictCode = 'none' | 'burst' | 'steady-background' | 'no-requests';

export interface WatchReport {
  schemaVersion: 1;
  meta: {
    tool: 'debug502'; version: string; collection: string; environment: string; startedAt: string; durationMs: number;
    /** The collection's own name (`info.name`), when a collection was given and names itself. */
    collectionName?: string;
    options: WatchOptions;
    /** Set when Ctrl-C stopped the watch or a safety cap ended it: the report covers what ran. */
    aborted?: { reason: 'interrupted' | 'max-requests'; message: string };
    /** Arrivals not sent because too many requests were in flight (the client could not keep the rate). */
    droppedArrivals: number;
  };
  targets: Partial<Record<Route, WatchTargetResult>>;
  timeline: WatchWindow[];
  verdict: Verdict<WatchVerdictCode> & { target?: Route; gatewayOnly?: boolean };
}
