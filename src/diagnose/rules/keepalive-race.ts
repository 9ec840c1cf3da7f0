import type { CauseCode, Finding, LogCause } from '../../model.js';
import { mergeLogCause } from '../log/merge-summaries.js';
import { describeTimePattern, judgeTimePattern } from '../../facts/time-pattern.js';
import { logLabel, probesOf, PROBE_WEIGHT, type DiagnoseEvidence, type DiagnoseRule } from './evidence.js';

export const KEEPALIVE_RACE_NEXT =
  'Make the backend keep idle connections open longer than the gateway does, so the gateway always closes first: ' +
  'Node: server.keepAliveTimeout above the gateway\'s idle timeout (ALB default 60 s → 65000) and server.headersTimeout above that (66000); ' +
  'gunicorn --keep-alive, Apache KeepAliveTimeout, Go http.Server IdleTimeout likewise; or lower the gateway\'s side below the backend\'s ' +
  '(nginx upstream keepalive_timeout, Envoy common_http_protocol_options.idle_timeout, ALB idle timeout). It is not overload: more capacity will not help.';

/** The log causes of a connection that died under a request: closed (FIN) or reset (RST) before an answer. */
const CLOSED: readonly CauseCode[] = ['backend-closed-connection', 'connection-reset'];
/** nginx's phase for a request sent on a connection the backend closed: no answer header ever came. */
const RACE_PHASE = 'reading response header from upstream';

/**
 * The keep-alive race (the gateway pools idle connections, the backend closes them first). From a
 * probe: the backend closes an idle keep-alive connection before the gateway's idle timeout → high,
 * with the measured numbers. From logs: closed-connection 502s at a low steady rate rather than a
 * burst → medium (a crash comes in bursts; a race follows traffic). A probe that shows the backend
 * outliving the gateway rules it out, whatever the log says.
 */
export const keepaliveRace: DiagnoseRule = (evidence) => {
  const probes = probesOf(evidence, 'keepalive').filter((p) => p.backendIdleTimeoutMs !== undefined || p.ok);
  const measured = probes.find((p) => !p.ok);
  const outlived = probes.some((p) => p.ok && p.error === undefined);
  if (!measured && outlived) return undefined;
  const lines: string[] = [];
  if (measured) lines.push(`keepalive probe: ${measured.evidence}`);
  const fromLog = describeSteadyCloses(evidence);
  if (fromLog) lines.push(fromLog.line);
  if (lines.length === 0) return undefined;
  // Measured against a gateway timeout the user gave (or nginx.conf holds): high; against the assumed 60 s: medium.
  const confidence = measured ? (measured.gatewayIdleTimeoutSource === 'default' ? 'medium' : 'high') : 'medium';
  const finding: Finding = { code: 'keepalive-race', confidence, evidence: lines, next: KEEPALIVE_RACE_NEXT };
  if (measured) finding.measured = { backendIdleTimeoutMs: measured.backendIdleTimeoutMs, gatewayIdleTimeoutMs: measured.gatewayIdleTimeoutMs };
  // Above the backend-closed-connection finding the same lines support: the race is the more exact reading.
  return { finding, weight: (measured ? PROBE_WEIGHT : 0) + Math.min((fromLog?.count ?? 0) + 1, PROBE_WEIGHT - 1) };
};

function describeSteadyCloses(evidence: DiagnoseEvidence): { line: string; count: number } | undefined {
  const log = evidence.log;
  if (!log) return undefined;
  const closes = CLOSED.map((code) => log.causes[code]).filter((c): c is LogCause => c !== undefined && c.count > 0);
  if (closes.length === 0) return undefined;
  const merged = closes.reduce(mergeLogCause);
  // nginx says when it happened: closes while reading a body are crashes mid-answer, not a race.
  const phases = merged.phases ?? {};
  const phased = Object.values(phases).reduce((n, c) => n + c, 0);
  if (phased > 0 && (phases[RACE_PHASE] ?? 0) * 2 < phased) return undefined;
  const pattern = judgeTimePattern(merged, log);
  if (pattern.kind !== 'steady') return undefined;
  const share = log.ok > 0 ? ` (${((merged.count / (merged.count + log.ok)) * 100).toFixed(2)}% of ${merged.count + log.ok} requests)` : '';
  return {
    line: `${logLabel(log)}: ${merged.count} closed-connection 502s${share}, ${describeTimePattern(pattern, merged.count)}: the signature of a keep-alive race, not of a crash`,
    count: merged.count,
  };
}
