import { InputError } from '../errors.js';
import type { ClientTls } from '../postman/client-tls.js';
import { loadCollection, type PostmanEnvironment } from '../postman/load.js';
import { createMask, maskDeep } from '../text/mask-secrets.js';
import type { DiagnoseReport, LogFormat, LogSummary, ProbeResult } from '../model.js';
import { LOG_FORMATS } from '../model.js';
import { failureStatusesOf, GATEWAY_KINDS } from '../gateways/index.js';
import { LOG_FORMAT_READERS } from '../gateways/logs/index.js';
import type { GatewayKind } from '../model.js';
import { identifyGateway, profileOfIdentity } from './gateway-identity.js';
import { knowGatewayIdle } from './gateway-idle.js';
import { mergeLogSummaries } from './log/merge-summaries.js';
import { readAnswers } from './log/read-answers.js';
import { checkLogFile, readLog, sniffLogFile, type LogSource } from './log/read-log.js';
import { parseSince } from './log/since.js';
import type { GatewayProfile } from '../gateways/profile.js';
import { loadGatewayConfPooling, type GatewayConfPooling } from './probes/gateway-conf.js';
import { judgeKeepalive } from './probes/judge-keepalive.js';
import type { LookupAll } from './probes/probe-dns.js';
import { DEFAULT_GATEWAY_IDLE_TIMEOUT_MS } from './probes/probe-keepalive.js';
import { describeInconclusive, describeInterruption } from './gaps.js';
import { findCauses } from './rules/index.js';
import { runProbes } from './run-probes.js';
import { findProbeSecrets, loadCollectionRequests, loadEnvironmentTargets, type ProbeRequest } from './targets.js';

export { readLog, readErrorLog, type LogSource } from './log/read-log.js';
export { classifyLine, LOG_FORMAT_READERS, detectLogFormat, LOG_RULES } from '../gateways/logs/index.js';
export { judgeTimePattern } from '../facts/time-pattern.js';
export { probeKeepalive, DEFAULT_GATEWAY_IDLE_TIMEOUT_MS } from './probes/probe-keepalive.js';
export { readNginxUpstreamKeepalive } from './probes/gateway-idle-timeout.js';
export { readGatewayConfPooling } from './probes/gateway-conf.js';
export { findCauses, rankFindings, RULES } from './rules/index.js';

export interface DiagnoseOptions {
  /** Postman environment file holding gateway_url and backend_url. Without it: the logs alone, no probes. */
  environmentFile?: string;
  /** Postman collection whose requests are probed through the gateway and direct; without it, `GET /`. */
  collectionFile?: string;
  /** Probe the collection's POST, PUT, PATCH, DELETE… requests too; by default only GET, HEAD and OPTIONS are sent. */
  unsafeMethods?: boolean;
  /** `--env-var key=value` overrides, over the environment; gateway_url and backend_url given so need no environment file. */
  envVars?: Record<string, string>;
  /** `-g` globals (loaded, `--global-var` applied), for the collection's variables. */
  globals?: PostmanEnvironment;
  /** `-d`: one data row whose columns fill the collection's variables (diagnose sends each request once: the first row). */
  dataRow?: Record<string, unknown>;
  /** `--folder`: probe only these folders (or requests) of the collection, inside each route folder. */
  folders?: readonly string[];
  /** `--working-dir`, `--no-insecure-file-read`: the files the collection's requests send, checked as run checks them. */
  workingDir?: string;
  insecureFileRead?: boolean;
  /** Backend health path; defaults to the collection's health request, else no health probe. */
  healthPath?: string;
  /** Gateway logs to classify (files, or streams such as stdin), each read on its own. */
  logs?: LogSource[];
  /** nginx error log to classify: the same as one entry of `logs` (kept for earlier callers). */
  nginxLogFile?: string;
  /** The logs' format; `auto` (default) detects it per file from its first lines. */
  logFormat?: LogFormat | 'auto';
  /** Only log lines since then: `30m`, `2h`, `1d`, or an ISO time. */
  since?: string;
  /** The gateway's timeout (proxy_read_timeout) in ms, when the user knows it. */
  gatewayTimeoutMs?: number;
  /** The gateway's idle timeout for pooled backend connections (ALB idle timeout, nginx upstream keepalive_timeout); unknown, the keep-alive race is a note, never a finding. */
  gatewayIdleTimeoutMs?: number;
  /** The gateway's configuration (nginx, HAProxy, Caddyfile, Apache) to read its upstream pooling and idle timeout from. */
  gatewayConfFile?: string;
  /** `--nginx-conf`: the same as gatewayConfFile (kept for earlier callers). */
  nginxConfFile?: string;
  /** `--gateway-kind`: which gateway it is, when neither its log nor its headers say; findings then use its status table and words. */
  gatewayKind?: GatewayKind;
  /** Run the keep-alive probe (default true with an environment): it waits up to the gateway idle timeout + 1 s. */
  keepaliveProbe?: boolean;
  /** Bound of each DNS/TCP/TLS probe. Default 3000 ms. */
  connectTimeoutMs?: number;
  /** Bound of each HTTP request. Default 5000 ms, or 1 s above --gateway-timeout (at most 30 s). */
  requestTimeoutMs?: number;
  /** newman's TLS flags, read (postman/client-tls.ts): every probe presents the client certificate its list gives the URL, and trusts the extra CAs. */
  tls?: ClientTls;
}

export interface DiagnoseDeps {
  /** The clock: `--since` and certificate expiry are measured from it. */
  now?: () => Date;
  /** DNS resolver override (tests, or a resolver other than the system's). */
  lookup?: LookupAll;
  /** Ctrl-C / SIGTERM: cuts the probe in flight, starts no other, stops reading the logs; the report says so (`interrupted`). */
  signal?: AbortSignal;
}

/**
 * The library entry of `debug502 diagnose`: reads the environment (and collection), runs the
 * probes, classifies the gateway logs, and returns ranked findings. Without an environment it reads
 * the logs alone and probes nothing. Bad input (files, fields, `since`, timeouts, no environment
 * and no log) throws InputError before any probe runs; failures of the targets are findings, never
 * exceptions. Time-bounded: every probe has its own timeout. The report has the secrets of the
 * inputs (postman/secret-values.ts) masked as ***.
 */
export async function diagnose(options: DiagnoseOptions, deps: DiagnoseDeps = {}): Promise<DiagnoseReport> {
  const now = (deps.now ?? (() => new Date()))();
  const since = options.since !== undefined ? parseSince(options.since, now) : undefined;
  const sources: LogSource[] = [...(options.nginxLogFile ? [options.nginxLogFile] : []), ...(options.logs ?? [])];
  validateOptions(options, sources);
  // The collection is read before the URLs are checked, so its secrets are known to any error (postman/secret-scope.ts).
  const read = { workingDir: options.workingDir, insecureFileRead: options.insecureFileRead, signal: deps.signal };
  const full = hasTargets(options) && options.collectionFile ? await loadCollection(options.collectionFile, undefined, read) : undefined;
  const targets = hasTargets(options) ? await loadEnvironmentTargets(options.environmentFile, options.envVars, { signal: deps.signal }) : undefined;
  const collection = targets && options.collectionFile
    ? await loadCollectionRequests(options.collectionFile, targets.environment, { unsafeMethods: options.unsafeMethods, envVars: options.envVars, globals: options.globals, dataRow: options.dataRow, folders: options.folders, collection: full, ...read })
    : undefined;
  const optionOf = (source: LogSource) => (options.nginxLogFile === source ? '--nginx-log' : '--log');
  // Every log file is checked and its format known before anything is sent: an unreadable log is refused now.
  const sniffed: Array<Pick<LogSummary, 'file' | 'gatewayKind'>> = [];
  for (const source of sources) {
    if (typeof source !== 'string') continue;
    await checkLogFile(source, optionOf(source));
    const format = await sniffLogFile(source, { format: options.logFormat, optionName: optionOf(source) });
    if (format) sniffed.push({ file: source, gatewayKind: LOG_FORMAT_READERS[format].gateway });
  }
  const confFile = options.gatewayConfFile ?? options.nginxConfFile;
  const conf = confFile ? await loadGatewayConfPooling(confFile, options.gatewayConfFile ? '--gateway-conf' : '--nginx-conf') : undefined;
  const confKind = conf && confFile ? { kind: conf.kind, file: confFile } : undefined;
  // Known before the probes: the option, a log only one gateway writes, the configuration's own kind.
  const early = identifyGateway(options.gatewayKind, sniffed, [], confKind);
  const notes: string[] = [];
  let probes: ProbeResult[] = [];
  // Without a collection there is nothing to go by but the root; with one, only its own requests.
  const requests: ProbeRequest[] = collection ? collection.requests : [{ name: 'root', method: 'GET', path: '/', headers: {} }];
  if (targets) {
    const gatewayTimeoutMs = options.gatewayTimeoutMs;
    const requestTimeoutMs = options.requestTimeoutMs
      ?? (gatewayTimeoutMs !== undefined ? Math.min(Math.max(5000, gatewayTimeoutMs + 1000), 30_000) : 5000);
    const idleBefore = knowGatewayIdle(options.gatewayIdleTimeoutMs, conf, profileOfIdentity(early));
    // A gateway that pools nothing cannot race: no probe then, and a line that says why. Unknown: the probe waits its bound.
    const wait = idleBefore.ms !== undefined ? { ms: idleBefore.ms, source: idleBefore.source } : { ms: DEFAULT_GATEWAY_IDLE_TIMEOUT_MS, source: 'unknown' as const };
    probes = await runProbes({
      urls: { gateway: targets.gatewayUrl, backend: targets.backendUrl },
      requests,
      healthPath: options.healthPath ?? collection?.healthPath,
      gatewayTimeoutMs,
      connectTimeoutMs: options.connectTimeoutMs ?? 3000,
      requestTimeoutMs,
      nowMs: now.getTime(),
      lookup: deps.lookup,
      gatewayIdle: options.keepaliveProbe === false || idleBefore.noPooling ? undefined : wait,
      signal: deps.signal,
      ...(options.tls ? { tls: options.tls } : {}),
    });
    if (idleBefore.noPooling) probes.push(noPoolingProbe(confFile!, idleBefore.says));
    // The answers' own headers may name the gateway now: the keep-alive probe is judged with what is known at last.
    const idle = knowGatewayIdle(options.gatewayIdleTimeoutMs, conf, profileOfIdentity(identifyGateway(options.gatewayKind, sniffed, probes, confKind)));
    probes = probes.map((probe) => {
      if (probe.kind !== 'keepalive' || probe.route !== 'backend' || probe.interrupted) return probe;
      const judged = judgeKeepalive(probe, idle);
      if (judged.note) notes.push(judged.note);
      return judged.probe;
    });
  }
  // The logs are read after the probes, so the lines the gateway wrote for the probes' own requests are in them.
  const stoppedBeforeLogs = deps.signal?.aborted === true;
  const logs: LogSummary[] = [];
  for (const source of sources) {
    logs.push(await readLog(source, { format: options.logFormat, since, signal: deps.signal, optionName: optionOf(source) }));
  }
  if (!targets && logs.length > 0 && logs.every((l) => l.lines === 0) && !deps.signal?.aborted) {
    throw new InputError(`--log: ${logs.map((l) => l.file).join(', ')} holds no line: nothing to diagnose`, [], 'give the log the gateway writes now (its error or access log), or --environment to probe');
  }
  const identity = identifyGateway(options.gatewayKind, logs, probes, confKind);
  const profile = withConfRetry(profileOfIdentity(identity), conf);
  const merged = mergeLogSummaries(logs);
  // Access logs say what the client got: read with the gateway's own status table — less the statuses
  // the backend answers itself when asked directly (those the gateway only passed on).
  const ownStatuses = new Set(probes.filter((p) => p.route === 'backend' && p.status !== undefined && p.status >= 500).map((p) => p.status));
  const statuses = (profile ? failureStatusesOf(profile) : [502, 503, 504]).filter((status) => !ownStatuses.has(status));
  const log = merged ? readAnswers(merged, statuses, profile) : undefined;
  if (!profile) notes.push(`the gateway's kind is not known (${identity.evidence}): next steps name several gateways' settings; give --gateway-kind ${GATEWAY_KINDS.join('|')} to judge with its own status table`);
  // A probe the signal cut measured nothing: it is named in `interrupted`, never judged.
  const finished = probes.filter((p) => !p.interrupted);
  const interrupted = deps.signal?.aborted
    ? describeInterruption({ probes, requests, probed: targets !== undefined, logs: sources.length, stoppedBeforeLogs })
    : undefined;
  const inconclusive = targets && !interrupted ? describeInconclusive(finished, collection?.skipped) : undefined;
  const findings = findCauses({ gatewayUrl: targets?.gatewayUrl, backendUrl: targets?.backendUrl, probes: finished, ...(log ? { log } : {}), ...(profile ? { gateway: profile } : {}) });
  const report: DiagnoseReport = {
    schemaVersion: 1, findings, probes: finished, ...(log ? { log, logs } : {}), gateway: identity, ...(notes.length > 0 ? { notes } : {}),
    ...(collection ? { skipped: collection.skipped } : {}),
    ...(interrupted ? { interrupted } : {}), ...(inconclusive ? { inconclusive } : {}),
  };
  // No report carries a secret: a probe's URL, its evidence or a finding could quote one (a path, a query, an API key, a password in the URL).
  return targets ? maskDeep(report, createMask(findProbeSecrets(targets, full, options.globals))) : report;
}

/** The profile as the given configuration runs it: a retry the file turns off is not the gateway's default any more. */
function withConfRetry(profile: GatewayProfile | undefined, conf: GatewayConfPooling | undefined): GatewayProfile | undefined {
  if (!profile || !conf?.retryOff || conf.kind !== profile.kind) return profile;
  return { ...profile, pooling: { ...profile.pooling, retriesIdempotent: false, retryNote: `${conf.retryOff} (--gateway-conf); by default: ${profile.pooling.retryNote}` } };
}

function noPoolingProbe(confFile: string, says: string): ProbeResult {
  return { kind: 'keepalive', target: confFile, route: 'gateway', ok: true, timeMs: 0, evidence: `${says}: no keep-alive race through it` };
}

/** Probes run with an environment file, or with the two URLs as --env-var. */
function hasTargets(options: DiagnoseOptions): boolean {
  return options.environmentFile !== undefined || Object.keys(options.envVars ?? {}).some((key) => key === 'gateway_url' || key === 'backend_url');
}

function validateOptions(options: DiagnoseOptions, sources: readonly LogSource[]): void {
  const problems: string[] = [];
  const positive = (name: string, value: number | undefined) => {
    if (value !== undefined && !(Number.isFinite(value) && value > 0)) problems.push(`${name}: must be a positive number of milliseconds, got ${value}`);
  };
  positive('--gateway-timeout', options.gatewayTimeoutMs);
  positive('--gateway-idle-timeout', options.gatewayIdleTimeoutMs);
  positive('connectTimeoutMs', options.connectTimeoutMs);
  positive('requestTimeoutMs', options.requestTimeoutMs);
  if (options.gatewayKind !== undefined && !GATEWAY_KINDS.includes(options.gatewayKind)) problems.push(`--gateway-kind: must be one of ${GATEWAY_KINDS.join(', ')}, got "${options.gatewayKind}"`);
  if (options.gatewayConfFile !== undefined && options.nginxConfFile !== undefined && options.gatewayConfFile !== options.nginxConfFile) problems.push('--gateway-conf and --nginx-conf: give one (--nginx-conf is its older name)');
  if (options.healthPath !== undefined && !options.healthPath.startsWith('/')) problems.push(`--health-path: must start with "/", got "${options.healthPath}"`);
  if (options.logFormat !== undefined && options.logFormat !== 'auto' && !LOG_FORMATS.includes(options.logFormat)) {
    problems.push(`--log-format: must be auto or one of ${LOG_FORMATS.join(', ')}, got "${options.logFormat}"`);
  }
  if (!hasTargets(options)) {
    if (sources.length === 0) problems.push('--environment or --log: give an environment (or --env-var gateway_url=… --env-var backend_url=…) to probe, a gateway log to read, or both');
    if (options.collectionFile) problems.push('--collection: its requests are probed, which needs --environment (or --env-var gateway_url=… --env-var backend_url=…)');
    if (options.folders?.length || options.globals || options.dataRow) problems.push('--folder, --globals and --iteration-data pick and fill the collection\'s requests, which are probed only with --environment and --collection');
  } else if (!options.collectionFile && (options.folders?.length || options.globals || options.dataRow)) {
    problems.push('--folder, --globals and --iteration-data pick and fill the collection\'s requests: give --collection');
  }
  if (problems.length > 0) throw new InputError('diagnose: bad options', problems, 'see "debug502 diagnose --help"');
}
