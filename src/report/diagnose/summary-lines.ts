import type { CauseCode, DiagnoseReport, LogCause, LogSummary, ProbeResult } from '../../model.js';

/** Log causes, most lines first. */
export function sortedCauses(log: LogSummary): Array<[CauseCode, LogCause]> {
  return (Object.entries(log.causes) as Array<[CauseCode, LogCause]>).sort((a, b) => b[1].count - a[1].count);
}

/** "2026/11/25 06:41:02 – 06:45:10", or the one time, or "". */
export function describeSpan(cause: LogCause): string {
  if (!cause.first) return '';
  if (cause.first === cause.last || !cause.last) return cause.first;
  const sameDay = cause.first.slice(0, 10) === cause.last.slice(0, 10);
  return `${cause.first} – ${sameDay ? cause.last.slice(11) : cause.last}`;
}

export function probeStatus(probe: ProbeResult): string {
  return probe.ok ? 'ok' : `FAIL${probe.error ? ` ${probe.error}` : probe.status ? ` ${probe.status}` : ''}`;
}

/** One sentence for the top of a report. */
export function headline(report: DiagnoseReport): string {
  const n = report.findings.length;
  if (n === 0) return 'No cause of 502 found: every probe that ran passed and the log shows no upstream errors.';
  const top = report.findings[0];
  return `${n} finding${n === 1 ? '' : 's'}; most likely: ${top.code} (${top.confidence} confidence).`;
}

export function logHeader(log: LogSummary): string {
  return `${log.file}: ${log.lines} line(s) read, ${log.skipped} skipped by --since, ${log.ignored ?? 0} ignored (info/notice/warn noise), ${log.unknown.count} unknown`;
}
