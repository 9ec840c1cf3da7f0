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
  return found || 'No cause of 502 found: every probe that ran passed and the log shows no upstream errors.';
}

/** The lines naming what an interrupted diagnosis did not finish ("" list when none). */
export function unfinishedLines(report: DiagnoseReport): string[] {
  return report.interrupted?.unfinished ?? [];
}

/** "ALB access log", "nginx error log", "gateway logs". */
export function logTitle(log: LogSummary): string {
  return LOG_FORMAT_LABEL[log.format];
}

/** `alb (detected from its first lines)`, `haproxy (--log-format)`, `nginx (assumed: no line in a known format)`. */
export function describeFormat(log: LogSummary): string {
  const how = log.formatSource === 'detected' ? 'detected from its first lines' : log.formatSource === 'given' ? '--log-format' : 'assumed: no line in a known format';
  return `${log.format} (${how})`;
}

export function logHeader(log: LogSummary): string {
  const served = log.format === 'nginx' ? '' : `${log.ok} ok, `;
  return `${log.file}: format ${describeFormat(log)}; ${log.lines} line(s) read, ${served}${log.skipped} skipped by --since, ${log.ignored ?? 0} ignored (noise), ${log.unknown.count} unknown`;
}

/** "steady over 42 min", "burst, peak 90/min at 2026-11-25T06:41Z", or "" when it cannot tell. */
export function describeCausePattern(cause: LogCause, log?: LogSummary): string {
  const p = judgeTimePattern(cause, log);
  if (p.kind === 'steady') return `steady: ${p.activeMinutes} of ${p.spanMinutes} min, ≤ ${p.peakPerMinute}/min`;
  if (p.kind === 'burst') return `burst: peak ${p.peakPerMinute}/min at ${p.peakMinute}`;
  return '';
}
