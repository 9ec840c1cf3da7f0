import type { LogCause } from '../model.js';

/** How a cause's lines spread over time. */
export interface TimePattern {
  /**
   * `steady`: at a low rate in most minutes of most of the log's span — the keep-alive race's
   * signature; `burst`: packed into part of it — a deploy, restart or crash window; `brief`: the log
   * spans under 3 minutes, or fewer than 3 lines: too little to tell; `undated`: no readable times.
   */
  kind: 'steady' | 'burst' | 'brief' | 'undated';
  /** Minutes from the cause's first to its last line, both included. */
  spanMinutes: number;
  /** Minutes that hold at least one line. */
  activeMinutes: number;
  /** The most lines in one minute, and which. */
  peakPerMinute: number;
  peakMinute?: string;
  /** Lines per active minute. */
  meanPerMinute: number;
  /** Minutes the whole log spans (every dated line, served ones included), when known. */
  logSpanMinutes: number;
}

const minuteOf = (ms: number) => Math.floor(ms / 60_000);

/**
 * Judges a cause's per-minute histogram against the span of the whole log. Steady: lines in at
 * least half the minutes of their own span, that span at least half the log's (and 3+ minutes), and
 * no minute above three times the mean plus two — a race hits a share of the requests that follow
 * an idle gap, so it follows traffic, not a crash. Burst: the rest, when the log spans 3+ minutes and
 * holds 3+ lines. Pure.
 */
export function judgeTimePattern(cause: Pick<LogCause, 'perMinute' | 'firstMs' | 'lastMs' | 'count'>, log?: { firstMs?: number; lastMs?: number }): TimePattern {
  const entries = Object.entries(cause.perMinute ?? {});
  if (entries.length === 0 || cause.firstMs === undefined || cause.lastMs === undefined) {
    return { kind: 'undated', spanMinutes: 0, activeMinutes: 0, peakPerMinute: 0, meanPerMinute: 0, logSpanMinutes: 0 };
  }
  const spanMinutes = minuteOf(cause.lastMs) - minuteOf(cause.firstMs) + 1;
  const logFirst = Math.min(log?.firstMs ?? cause.firstMs, cause.firstMs);
  const logLast = Math.max(log?.lastMs ?? cause.lastMs, cause.lastMs);
  const logSpanMinutes = minuteOf(logLast) - minuteOf(logFirst) + 1;
  const total = entries.reduce((n, [, c]) => n + c, 0);
  const [peakMinute, peakPerMinute] = entries.reduce((best, e) => (e[1] > best[1] ? e : best));
  const activeMinutes = entries.length;
  const meanPerMinute = total / activeMinutes;
  const base = { spanMinutes, activeMinutes, peakPerMinute, peakMinute, meanPerMinute: Math.round(meanPerMinute * 100) / 100, logSpanMinutes };
  if (logSpanMinutes < 3 || total < 3) return { kind: 'brief', ...base };
  const spread = activeMinutes / spanMinutes >= 0.5 && spanMinutes >= Math.max(3, logSpanMinutes / 2);
  const even = peakPerMinute <= 3 * meanPerMinute + 2;
  return { kind: spread && even ? 'steady' : 'burst', ...base };
}

/** "a low steady rate: in 41 of 60 minutes, …" / "a burst: 118 line(s) in 2 of 45 minutes, peak 90 in …". */
export function describeTimePattern(pattern: TimePattern, count: number): string {
  switch (pattern.kind) {
    case 'steady':
      return `a low steady rate: in ${pattern.activeMinutes} of ${pattern.spanMinutes} minutes, at most ${pattern.peakPerMinute} a minute (${pattern.meanPerMinute} on average) — not a burst`;
    case 'burst':
      return `a burst: ${count} line(s) in ${pattern.activeMinutes} of the log's ${pattern.logSpanMinutes} minutes, peak ${pattern.peakPerMinute} in ${pattern.peakMinute} — a deploy, restart or crash window`;
    case 'brief':
      return `${count} line(s) over ${pattern.logSpanMinutes} minute(s) of log: too little to tell a steady rate from a burst`;
    default:
      return 'undated lines: no pattern over time';
  }
}
