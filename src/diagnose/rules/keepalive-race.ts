import type { CauseCode, Finding, LogCause } from '../../model.js';
import { mergeLogCause } from '../log/merge-summaries.js';
import { describeTimePattern, judgeTimePattern } from '../../facts/time-pattern.js';
import { logLabel, probesOf, PROBE_WEIGHT, type DiagnoseEvidence, type DiagnoseRule } from './evidence.js';
import { wordsOf } from './gateway-terms.js';

/** The fix, with the gateway's own pooling setting where its kind is known. */
export function keepaliveRaceNext(evidence: DiagnoseEvidence): string {
  return 'Make the backend keep idle connections open longer than the gateway does, so the gateway always closes first: ' +
    'Node: server.keepAliveTimeout above the gateway\'s idle timeout (ALB default 60 s → 65000) and server.headersTimeout above that (66000); ' +
    'gunicorn --keep-alive, Apache KeepAliveTimeout, Go http.Server IdleTimeout likewise; or lower the gateway\'s side below the backend\'s ' +
    `(${wordsOf(evidence).pooling}). It is not overload: more capacity will not help.`;
}

/** Earlier name of the fix (no gateway known). */
export const KEEPALIVE_RACE_NEXT = keepaliveRaceNext({ probes: [] });

/** The log causes of a connection that died under a request: closed (FIN) or reset (RST) before an answer. */
const CLOSED: readonly CauseCode[] = ['backend-closed-connection', 'connection-reset'];
/** nginx's phase for a request sent on a connection the backend closed: no answer header ever came. */
const RACE_PHASE = 'reading response header from upstream';

/**
 * The keep-alive race (the gateway pools idle connections, the backend closes them first), from
 * positive evidence only. From a probe: the backend closes an idle keep-alive connection before a
 * gateway idle timeout that is known → high (given, or read from its configuration), medium (its
 * kind's documented default), with the measured numbers; an unknown timeout is a note, not this. From logs: closed-connection 502s at a low steady rate rather than a
 * burst → medium (a crash comes in bursts; a race follows traffic). A probe that shows the backend
 * outliving the gateway rules it out, whatever the log says.
 */
export const keepaliveRace: DiagnoseRule = (evidence) => {
  const probes = probesOf(evidence, 'keepalive').filter((p) => p.backendIdleTimeoutMs !== undefined || p.ok);
  const measured = probes.find((p) => !p.ok);
  // Ruled out only by a judged probe: a gateway timeout known and shorter, or a gateway that pools nothing.
  const outlived = probes.some((p) => p.ok && p.error === undefined && p.gatewayIdleTimeoutSource !== 'unknown');
  if (!measured && outlived) return undefined;
  const lines: string[] = [];
  if (measured) lines.push(`keepalive probe: ${measured.evidence}`);
  const fromLog = describeSteadyCloses(evidence);
  if (fromLog) lines.push(fromLog.line);
  if (lines.length === 0) return undefined;
  // What this gateway does when a request meets the race: retried (GETs hidden) or the client's error.
  const pooling = evidence.gateway?.pooling;
  if (pooling) lines.push(`${evidence.gateway!.name} on the race: ${pooling.retryNote}`);
  // Measured against a gateway timeout the user gave (or its configuration holds): high; against its kind's documented default: medium.
  // A documented default alone is medium; with the log's closed connections beside it, two kinds of evidence agree: high.
  const known = measured && (measured.gatewayIdleTimeoutSource === 'option' || measured.gatewayIdleTimeoutSource === 'conf');
  const closed = CLOSED.some((code) => (evidence.log?.causes[code]?.count ?? 0) > 0);
  const confidence = measured && (known || closed) ? 'high' : 'medium';
  const finding: Finding = { code: 'keepalive-race', confidence, evidence: lines, next: keepaliveRaceNext(evidence) };
  if (measured) finding.measured = { backendIdleTimeoutMs: measured.backendIdleTimeoutMs, ...(measured.gatewayIdleTimeoutMs !== undefined ? { gatewayIdleTimeoutMs: measured.gatewayIdleTimeoutMs } : {}) };
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
