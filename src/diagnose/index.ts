import { InputError } from '../errors.js';
import type { DiagnoseReport } from '../model.js';
import { checkErrorLog, readErrorLog } from './log/read-error-log.js';
import { parseSince } from './log/since.js';
import type { LookupAll } from './probes/probe-dns.js';
import { findCauses } from './rules/index.js';
import { runProbes } from './run-probes.js';
import { loadCollectionRequests, loadEnvironmentTargets, type ProbeRequest } from './targets.js';

export { readErrorLog } from './log/read-error-log.js';
export { classifyLine } from './log/classify-line.js';
export { LOG_RULES } from './log/log-rules.js';
export { findCauses, rankFindings, RULES } from './rules/index.js';

export interface DiagnoseOptions {
  /** Postman environment file holding gateway_url and backend_url. */
  environmentFile: string;
  /** Postman collection whose requests are probed through the gateway and direct; without it, `GET /`. */
  collectionFile?: string;
  /** Backend health path; defaults to the collection's health request, else no health probe. */
  healthPath?: string;
  /** nginx error log to classify. */
  nginxLogFile?: string;
  /** Only log lines since then: `30m`, `2h`, `1d`, or an ISO time. */
  since?: string;
  /** The gateway's timeout (proxy_read_timeout) in ms, when the user knows it. */
  gatewayTimeoutMs?: number;
  /** Bound of each DNS/TCP/TLS probe. Default 3000 ms. */
  connectTimeoutMs?: number;
  /** Bound of each HTTP request. Default 5000 ms, or 1 s above --gateway-timeout (at most 30 s). */
  requestTimeoutMs?: number;
}

export interface DiagnoseDeps {
  /** The clock: `--since` and certificate expiry are measured from it. */
  now?: () => Date;
  /** DNS resolver override (tests, or a resolver other than the system's). */
  lookup?: LookupAll;
  /** Stops reading the log early. */
  signal?: AbortSignal;
}

/**
 * The library entry of `debug502 diagnose`: reads the environment (and collection), runs the
 * probes, classifies the nginx error log, and returns ranked findings. Bad input (files, fields,
 * `since`, timeouts) throws InputError before any probe runs; failures of the targets are findings,
 * never exceptions. Time-bounded: every probe has its own timeout.
 */
export async function diagnose(options: DiagnoseOptions, deps: DiagnoseDeps = {}): Promise<DiagnoseReport> {
  const now = (deps.now ?? (() => new Date()))();
  const since = options.since !== undefined ? parseSince(options.since, now) : undefined;
  validateOptions(options);
  const targets = await loadEnvironmentTargets(options.environmentFile);
  const collection = options.collectionFile ? await loadCollectionRequests(options.collectionFile, targets.variables) : undefined;
  if (options.nginxLogFile) await checkErrorLog(options.nginxLogFile);
  const requests: ProbeRequest[] = collection && collection.requests.length > 0
    ? collection.requests
    : [{ name: 'root', method: 'GET', path: '/', headers: {} }];
  const gatewayTimeoutMs = options.gatewayTimeoutMs;
  const requestTimeoutMs = options.requestTimeoutMs
    ?? (gatewayTimeoutMs !== undefined ? Math.min(Math.max(5000, gatewayTimeoutMs + 1000), 30_000) : 5000);
  const probes = await runProbes({
    urls: { gateway: targets.gatewayUrl, backend: targets.backendUrl },
    requests,
    healthPath: options.healthPath ?? collection?.healthPath,
    gatewayTimeoutMs,
    connectTimeoutMs: options.connectTimeoutMs ?? 3000,
    requestTimeoutMs,
    nowMs: now.getTime(),
    lookup: deps.lookup,
  });
  // The log is read after the probes, so the lines the gateway wrote for the probes' own requests are in it.
  const log = options.nginxLogFile ? await readErrorLog(options.nginxLogFile, { since, signal: deps.signal }) : undefined;
  const findings = findCauses({ gatewayUrl: targets.gatewayUrl, backendUrl: targets.backendUrl, probes, ...(log ? { log } : {}) });
  return { schemaVersion: 1, findings, probes, ...(log ? { log } : {}) };
}

function validateOptions(options: DiagnoseOptions): void {
  const problems: string[] = [];
  const positive = (name: string, value: number | undefined) => {
    if (value !== undefined && !(Number.isFinite(value) && value > 0)) problems.push(`${name}: must be a positive number of milliseconds, got ${value}`);
  };
  positive('--gateway-timeout', options.gatewayTimeoutMs);
  positive('connectTimeoutMs', options.connectTimeoutMs);
  positive('requestTimeoutMs', options.requestTimeoutMs);
  if (options.healthPath !== undefined && !options.healthPath.startsWith('/')) problems.push(`--health-path: must start with "/", got "${options.healthPath}"`);
  if (problems.length > 0) throw new InputError('diagnose: bad options', problems, 'see "debug502 diagnose --help"');
}
