import { LOG_FORMAT_LABEL, type CauseCode, type Confidence, type Finding, type LogCause, type LogSummary, type ProbeKind, type ProbeResult, type Route } from '../../model.js';
import { LOG_FORMAT_READERS } from '../../gateways/logs/index.js';
import type { GatewayProfile } from '../../gateways/profile.js';
import { describeTimePattern, judgeTimePattern } from '../../facts/time-pattern.js';
import { causeOfTransportError } from '../../facts/transport-error.js';

/** Everything the rules look at. The URLs are absent when diagnose reads logs alone (no environment). */
export interface DiagnoseEvidence {
  gatewayUrl?: URL;
  backendUrl?: URL;
  probes: ProbeResult[];
  log?: LogSummary;
  /** The gateway's profile, when its kind is known (--gateway-kind, its log, its headers): its statuses and words. */
  gateway?: GatewayProfile;
}

/** A finding with the weight used to order findings of equal confidence (more support first). */
export interface Candidate {
  finding: Finding;
  weight: number;
}

/** One rule: evidence in, at most one finding out. Pure. */
export type DiagnoseRule = (evidence: DiagnoseEvidence) => Candidate | undefined;

/**
 * Log causes of a failed attempt at a real upstream address: each line names the address nginx
 * tried, and each failure counts towards the server's max_fails ("no live upstreams" follows).
 */
export const UPSTREAM_FAILURE_CAUSES: readonly CauseCode[] = [
  'backend-down', 'backend-timeout', 'backend-unreachable', 'connection-reset', 'backend-closed-connection', 'backend-invalid-response',
];

/** A probe that shows a cause now outweighs any number of log lines saying it happened at some point. */
export const PROBE_WEIGHT = 1000;

/** The weight of a candidate: `PROBE_WEIGHT` per supporting probe, plus its log lines (capped below one probe). */
export function weighEvidence(probeCount: number, logCount = 0): number {
  return probeCount * PROBE_WEIGHT + Math.min(logCount, PROBE_WEIGHT - 1);
}

export function probesOf(evidence: DiagnoseEvidence, kind: ProbeKind, route?: Route): ProbeResult[] {
  return evidence.probes.filter((p) => p.kind === kind && (route === undefined || p.route === route));
}

const TRANSPORT_KINDS = new Set<ProbeKind>(['dns', 'tcp', 'health', 'direct-vs-gateway']);

/**
 * Failed dns/tcp/health/direct-vs-gateway probes on `route` whose error points at `code`
 * (ECONNREFUSED → backend-down, …). TLS probes are judged by the tls rule alone.
 */
export function probesFailingWith(evidence: DiagnoseEvidence, code: CauseCode, route: Route = 'backend'): ProbeResult[] {
  return evidence.probes.filter(
    (p) => p.route === route && TRANSPORT_KINDS.has(p.kind) && !p.ok && p.error !== undefined && causeOfTransportError(p.error, p.evidence) === code,
  );
}

/** Gateway answers of the direct-vs-gateway probe with one of `statuses`. */
export function gatewayAnswers(evidence: DiagnoseEvidence, statuses: readonly number[]): ProbeResult[] {
  return probesOf(evidence, 'direct-vs-gateway', 'gateway').filter((p) => p.status !== undefined && statuses.includes(p.status));
}

export function logCause(evidence: DiagnoseEvidence, code: CauseCode): LogCause | undefined {
  const cause = evidence.log?.causes[code];
  return cause && cause.count > 0 ? cause : undefined;
}

/** "nginx error log", "ALB access log", "gateway logs" (several formats). */
export function logLabel(log: LogSummary | undefined): string {
  return log ? LOG_FORMAT_LABEL[log.format] : 'gateway log';
}

/**
 * `ALB access log: 42 × 502 with target_status_code "-"; first seen …, last seen …; a low steady
 * rate: …; upstream …; while …: n`. `what` says how an nginx error log shows the cause; other
 * formats say it in their own fields (LogFormatReader.shows).
 */
export function describeLogCause(cause: LogCause, what: string, log?: LogSummary, code?: CauseCode): string {
  // Several formats merged: no one wording or time format fits every line, so the code and ISO times.
  const mixed = log?.format === 'mixed';
  const shows = mixed ? `${code ?? 'matching'} line(s)` : log && code && log.format !== 'mixed' && log.format !== 'empty' ? LOG_FORMAT_READERS[log.format].shows[code] ?? what : what;
  // Counted from the answers' status alone: the gateway answers it for this cause only.
  const parts = [cause.fromStatus !== undefined ? `${logLabel(log)}: ${cause.count} answer(s) ${cause.fromStatus} — the gateway answers ${cause.fromStatus} for ${code ?? 'this cause'} only` : `${logLabel(log)}: ${cause.count} × ${shows}`];
  const [first, last] = mixed && cause.firstMs !== undefined ? [new Date(cause.firstMs).toISOString(), new Date(cause.lastMs!).toISOString()] : [cause.first, cause.last];
  if (first) parts.push(first === last ? `at ${first}` : `first seen ${first}, last seen ${last}`);
  const pattern = judgeTimePattern(cause, log);
  if (pattern.kind === 'steady' || pattern.kind === 'burst') parts.push(describeTimePattern(pattern, cause.count));
  if (cause.upstreams.length > 0) parts.push(`upstream ${cause.upstreams.join(', ')}`);
  const phases = Object.entries(cause.phases ?? {}).map(([phase, n]) => `while ${phase}: ${n}`);
  if (phases.length > 0) parts.push(phases.join(', '));
  return parts.join('; ');
}

/** "3 of 4 requests through the gateway answered 502" — or undefined when none did. */
export function describeGatewayAnswers(evidence: DiagnoseEvidence, statuses: readonly number[]): string | undefined {
  const all = probesOf(evidence, 'direct-vs-gateway', 'gateway');
  const hit = gatewayAnswers(evidence, statuses);
  if (hit.length === 0) return undefined;
  const seen = [...new Set(hit.map((p) => p.status))].join('/');
  return `${hit.length} of ${all.length} request(s) through the gateway answered ${seen}`;
}

/** True when the gateway answered every direct-vs-gateway request, and none with a 5xx. */
export function gatewayServesEverything(evidence: DiagnoseEvidence): boolean {
  const gateway = probesOf(evidence, 'direct-vs-gateway', 'gateway');
  return gateway.length > 0 && gateway.every((p) => p.ok);
}

/** Evidence for a backend failing directly while the gateway serves: backend_url is likely not the gateway's backend. */
export const GATEWAY_SERVES_NOTE = 'yet every request through the gateway was answered: check that backend_url is the backend the gateway proxies to';

/** `kind probe: evidence` for at most `max` probes, then "… and n more" — the shape of probe evidence in findings. */
export function describeProbes(probes: readonly ProbeResult[], max = 4): string[] {
  const lines = probes.slice(0, max).map((p) => `${p.kind} probe: ${p.evidence}`);
  if (probes.length > max) lines.push(`… and ${probes.length - max} more probe(s) failing the same way`);
  return lines;
}

/** host:port of a URL with the scheme's default port filled in. */
export function hostPort(url: URL): string {
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  return `${url.hostname}:${port}`;
}

/**
 * The host:port pairs that mean "the backend": backend_url's own, plus each address its host
 * resolved to in the DNS probe (nginx logs the resolved IP, users write names).
 */
export function backendAddresses(evidence: DiagnoseEvidence): Set<string> {
  if (!evidence.backendUrl) return new Set();
  const own = hostPort(evidence.backendUrl);
  const port = own.slice(own.lastIndexOf(':') + 1);
  const addresses = new Set([own]);
  for (const probe of probesOf(evidence, 'dns', 'backend')) for (const a of probe.addresses ?? []) addresses.add(`${a}:${port}`);
  if (evidence.backendUrl.hostname === 'localhost') addresses.add(`127.0.0.1:${port}`);
  return addresses;
}

/** host:port of an upstream as nginx logs it (`http://127.0.0.1:3000`), or undefined for names without a port. */
export function upstreamHostPort(upstream: string): string | undefined {
  const match = /^(?:([a-z]+):\/\/)?([^/\s]+?)(?::(\d+))?$/.exec(upstream.trim());
  if (!match) return undefined;
  const [, scheme, host, port] = match;
  if (!port && !scheme) return undefined;
  return `${host}:${port ?? (scheme === 'https' ? '443' : '80')}`;
}

/** True when some upstream the log names for `cause` is the backend of backend_url. */
export function logPointsAtBackend(evidence: DiagnoseEvidence, cause: LogCause): boolean {
  const backend = backendAddresses(evidence);
  return cause.upstreams.some((u) => {
    const hp = upstreamHostPort(u);
    return hp !== undefined && backend.has(hp);
  });
}

/** Upstream host:ports the log names that are not the backend (the gateway talks to something else). */
export function foreignUpstreams(evidence: DiagnoseEvidence, cause: LogCause): string[] {
  // Without backend_url nothing is foreign: the log alone cannot say which address is the right one.
  if (!evidence.backendUrl) return [];
  const backend = backendAddresses(evidence);
  return cause.upstreams.filter((u) => {
    const hp = upstreamHostPort(u);
    return hp !== undefined && !backend.has(hp);
  });
}
