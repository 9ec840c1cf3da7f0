import type { LogCause } from '../../model.js';

/** This many lines within two minutes is a burst whatever came before or after. */
const BURST_LINES = 10;

/** How a cause's lines spread over time. */
export interface TimePattern {
  /**
   * `steady`: at a low rate in most minutes of its span — the keep-alive race's signature;
   * `burst`: packed into a few minutes — a deploy, restart or crash window;
   * `brief`: fewer than 10 lines within 2 minutes (too short to tell); `undated`: no readable times.
   */
  kind: 'steady' | 'burst' | 'brief' | 'undated';
  /** Minutes from the first to the last line, both included. */
  spanMinutes: number;
  /** Minutes that hold at least one line. */
  activeMinutes: number;
  /** The most lines in one minute, and which. */
  peakPerMinute: number;
  peakMinute?: string;
  /** Lines per active minute. */
  meanPerMinute: number;
}

/**
 * Judges a cause's per-minute histogram. Steady: lines in at least half the minutes of a span of 3+
 * minutes, and no minute above three times the mean plus two (a race hits a fixed share of the
 * requests that arrive after an idle gap, so it follows traffic, not a crash). Anything else over 3+
 * minutes, or 10+ lines within 2 minutes, is a burst. Pure.
 */
export function judgeTimePattern(cause: Pick<LogCause, 'perMinute' | 'firstMs' | 'lastMs'>): TimePattern {
  const entries = Object.entries(cause.perMinute ?? {});
  if (entries.length === 0 || cause.firstMs === undefined || cause.lastMs === undefined) {
    return { kind: 'undated', spanMinutes: 0, activeMinutes: 0, peakPerMinute: 0, meanPerMinute: 0 };
  }
  const spanMinutes = Math.floor(cause.lastMs / 60_000) - Math.floor(cause.firstMs / 60_000) + 1;
  const total = entries.reduce((n, [, c]) => n + c, 0);
  const [peakMinute, peakPerMinute] = entries.reduce((best, e) => (e[1] > best[1] ? e : best));
  const activeMinutes = entries.length;
  const meanPerMinute = total / activeMinutes;
  const base = { spanMinutes, activeMinutes, peakPerMinute, peakMinute, meanPerMinute: Math.round(meanPerMinute * 100) / 100 };
  if (spanMinutes < 3) return { kind: total >= BURST_LINES ? 'burst' : 'brief', ...base };
  const spread = activeMinutes / spanMinutes >= 0.5;
  const even = peakPerMinute <= 3 * meanPerMinute + 2;
  return { kind: spread && even ? 'steady' : 'burst', ...base };
}

/** "steady: 41 of 60 minutes, at most 2 a minute" / "burst: 118 lines, peak 90 in 2026-11-25T06:41Z". */
export function describeTimePattern(pattern: TimePattern, count: number): string {
  switch (pattern.kind) {
    case 'steady':
      return `a low steady rate: in ${pattern.activeMinutes} of ${pattern.spanMinutes} minutes, at most ${pattern.peakPerMinute} a minute (${pattern.meanPerMinute} on average) — not a burst`;
    case 'burst':
      return `a burst: ${count} line(s) in ${pattern.activeMinutes} of ${pattern.spanMinutes} minutes, peak ${pattern.peakPerMinute} in ${pattern.peakMinute} — a deploy, restart or crash window`;
    case 'brief':
      return `within ${pattern.spanMinutes} minute(s): too short to tell a steady rate from a burst`;
    default:
      return 'undated lines: no pattern over time';
  }
}
