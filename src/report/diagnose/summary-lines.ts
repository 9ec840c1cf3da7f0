import { LOG_FORMAT_LABEL, type CauseCode, type DiagnoseReport, type LogCause, type LogSummary, type ProbeResult } from '../../model.js';
import { judgeTimePattern } from '../../facts/time-pattern.js';

/** Log causes, most lines first. */
export function sortedCauses(log: LogSummary): Array<[CauseCode, LogCause]> {
  return (Object.entries(log.causes) as Array<[CauseCode, LogCause]>).sort((a, b) => b[1].count - a[1].count);
}

/** "2026/11/25 06:41:02 – 06:45:10", or the one time, or "". */
export function describeSpan(input: LogCause, log?: LogSummary): string {
  // Merged logs of several formats: their own stamps do not compare by eye, ISO times do.
  const cause = log?.format === 'mixed' && input.firstMs !== undefined
    ? { first: new Date(input.firstMs).toISOString(), last: new Date(input.lastMs!).toISOString() }
    : input;
  if (!cause.first) return '';
  if (cause.first === cause.last || !cause.last) return cause.first;
  // Only date-first stamps (nginx, ISO) can be cut to their time; HAProxy's `06/Feb/2009:…` is shown whole.
  const sameDay = /^\d{4}[/-]\d{2}[/-]\d{2}[ T]/.test(cause.first) && cause.first.slice(0, 10) === cause.last.slice(0, 10);
  return `${cause.first} – ${sameDay ? cause.last.slice(11) : cause.last}`;
}

export function probeStatus(probe: ProbeResult): string {
  return probe.ok ? 'ok' : `FAIL${probe.error ? ` ${probe.error}` : probe.status ? ` ${probe.status}` : ''}`;
}

/**
 * One sentence for the top of a report. "No cause found" is said only of a diagnosis that ran to
 * its end and probed HTTP: an interrupted or inconclusive one says what it is first.
 */
export function headline(report: DiagnoseReport): string {
  const n = report.findings.length;
  const top = report.findings[0];
  const found = n === 0 ? '' : `${n} finding${n === 1 ? '' : 's'}; most likely: ${top.code} (${top.confidence} confidence).`;
  if (report.interrupted) {
    const cut = report.interrupted.unfinished;
    const what = `Interrupted (Ctrl-C / SIGTERM): this covers what finished${cut.length > 0 ? `; not finished: ${cut.length} (listed below)` : ''}.`;
    return `${what} ${found || 'No cause found in what finished, which clears nothing.'}`;
  }
  if (report.inconclusive) return `Inconclusive: ${report.inconclusive}.${found ? ` ${found}` : ''}`;
  return found || `No cause of 502 found: ${describeClean(report)}.`;
}

/** The lines naming what an interrupted diagnosis did not finish ("" list when none). */
export function unfinishedLines(report: DiagnoseReport): string[] {
  return report.interrupted?.unfinished ?? [];
}

/**
 * What "clean" rests on: the probes that ran, and the log lines read in a format diagnose reads —
 * never a log it did not read (those are refused), and an empty one is said to be empty.
 */
function describeClean(report: DiagnoseReport): string {
  const parts: string[] = [];
  if (report.probes.length > 0) parts.push('every probe that ran passed');
  const log = report.log;
  if (log && log.lines === 0) parts.push('the log holds no line');
  else if (log) parts.push(`${log.lines} log line(s) read (${LOG_FORMAT_LABEL[log.format]}) show no upstream failure`);
  return parts.join('; ') || 'nothing was probed or read';
}

/** "gateway: Apache httpd (its answers carry Server: Apache/2.4.71)" / "gateway: not known (…)". */
export function describeGatewayIdentity(report: DiagnoseReport): string | undefined {
  const g = report.gateway;
  if (!g) return undefined;
  return g.kind ? `gateway: ${g.kind} (${g.evidence})` : `gateway: not known (${g.evidence})`;
}

/** "ALB access log", "nginx error log", "gateway logs". */
export function logTitle(log: LogSummary): string {
  return LOG_FORMAT_LABEL[log.format];
}

/** `alb (detected from its first lines)`, `haproxy (--log-format)`, `nginx (assumed: no line in a known format)`. */
export function describeFormat(log: LogSummary): string {
  const how = log.format === 'empty' ? 'no line to tell it by' : log.formatSource === 'detected' ? 'detected from its first lines' : log.formatSource === 'given' ? '--log-format' : 'assumed: no line in a known format';
  return `${log.format} (${how})`;
}

export function logHeader(log: LogSummary): string {
  const served = log.answers ? `${log.answers.count} request(s) answered (${describeStatuses(log.answers.statuses)}${log.answers.retried ? `; ${log.answers.retried} after a retried attempt` : ''}), ` : '';
  const unnamed = log.unnamed ? `, ${log.unnamed.count} upstream failure(s) no rule names` : '';
  return `${log.file}: format ${describeFormat(log)}; ${log.lines} line(s) read, ${served}${log.skipped} skipped by --since, ${log.ignored ?? 0} ignored (noise), ${log.unknown.count} unknown${unnamed}`;
}

/** `200 × 4, 502 × 2`. */
function describeStatuses(statuses: Record<string, number>): string {
  return Object.entries(statuses).sort(([a], [b]) => (a < b ? -1 : 1)).map(([s, n]) => `${s} × ${n}`).join(', ');
}

/** "steady over 42 min", "burst, peak 90/min at 2026-11-25T06:41Z", or "" when it cannot tell. */
export function describeCausePattern(cause: LogCause, log?: LogSummary): string {
  const p = judgeTimePattern(cause, log);
  if (p.kind === 'steady') return `steady: ${p.activeMinutes} of ${p.spanMinutes} min, ≤ ${p.peakPerMinute}/min`;
  if (p.kind === 'burst') return `burst: peak ${p.peakPerMinute}/min at ${p.peakMinute}`;
  return '';
}
