import { build as buildHistogram } from 'hdr-histogram-js';
import type { LatencySummary, Route, WatchCounts, WatchTargetResult, WatchWindow } from '../model.js';

/** What one request came back with. */
export interface WatchOutcome {
  status?: number;
  error?: string;
  latencyMs: number;
}

export interface WatchTimeline {
  /** Records a request that started `startedMs` after the watch began. */
  record(route: Route, startedMs: number, outcome: WatchOutcome): void;
  /** The per-target totals and the windows so far (up to `elapsedMs`); fresh objects each call. */
  summary(elapsedMs: number, threshold: number): { targets: Partial<Record<Route, WatchTargetResult>>; timeline: WatchWindow[] };
}

interface Tally {
  counts: WatchCounts;
  latencies: number[];
}

const emptyCounts = (): WatchCounts => ({ requests: 0, statuses: {}, transportErrors: {}, failures: 0, count502: 0, p95Ms: 0 });

/**
 * The watch's timeline: every request lands in the window its arrival fell in (so a slow answer
 * counts where the user felt it start), per target; totals carry an HDR histogram for p50–p99.
 * Pure apart from its own state.
 */
export function createWatchTimeline(routes: readonly Route[], windowMs: number, failOn: readonly number[]): WatchTimeline {
  const failing = new Set(failOn);
  const windows: Array<Partial<Record<Route, Tally>>> = [];
  const totals = new Map(routes.map((r) => [r, {
    counts: emptyCounts(),
    histogram: buildHistogram({ lowestDiscernibleValue: 1, highestTrackableValue: 3_600_000, numberOfSignificantValueDigits: 3 }),
    firstFailureMs: null as number | null, lastFailureMs: null as number | null,
  }]));

  function add(counts: WatchCounts, outcome: WatchOutcome): boolean {
    counts.requests++;
    let failed = false;
    if (outcome.error !== undefined) {
      counts.transportErrors[outcome.error] = (counts.transportErrors[outcome.error] ?? 0) + 1;
      failed = true;
    } else if (outcome.status !== undefined) {
      counts.statuses[String(outcome.status)] = (counts.statuses[String(outcome.status)] ?? 0) + 1;
      if (outcome.status === 502) counts.count502++;
      failed = failing.has(outcome.status);
    }
    if (failed) counts.failures++;
    return failed;
  }

  return {
    record(route, startedMs, outcome) {
      const index = Math.max(0, Math.floor(startedMs / windowMs));
      while (windows.length <= index) windows.push({});
      const tally = (windows[index][route] ??= { counts: emptyCounts(), latencies: [] });
      add(tally.counts, outcome);
      tally.latencies.push(outcome.latencyMs);
      const total = totals.get(route)!;
      if (add(total.counts, outcome)) {
        total.firstFailureMs ??= Math.round(startedMs);
        total.lastFailureMs = Math.round(startedMs);
      }
      total.histogram.recordValue(Math.min(Math.max(1, Math.round(outcome.latencyMs)), 3_600_000));
    },
    summary(elapsedMs, threshold) {
      const count = Math.max(windows.length, Math.ceil(elapsedMs / windowMs));
      const timeline: WatchWindow[] = [];
      for (let i = 0; i < count; i++) {
        const targets: WatchWindow['targets'] = {};
        for (const route of routes) {
          const tally = windows[i]?.[route];
          targets[route] = tally ? { ...structuredClone(tally.counts), p95Ms: percentile(tally.latencies, 95) } : emptyCounts();
        }
        timeline.push({ startMs: i * windowMs, endMs: Math.min((i + 1) * windowMs, Math.max(elapsedMs, (i + 1) * windowMs)), targets });
      }
      const targets: Partial<Record<Route, WatchTargetResult>> = {};
      for (const [route, total] of totals) {
        const at = (p: number) => (total.counts.requests === 0 ? 0 : total.histogram.getValueAtPercentile(p));
        const latencyMs: LatencySummary = { p50: at(50), p90: at(90), p95: at(95), p99: at(99), max: total.counts.requests === 0 ? 0 : total.histogram.maxValue };
        const failureRate = total.counts.requests === 0 ? 0 : total.counts.failures / total.counts.requests;
        targets[route] = {
          ...structuredClone(total.counts), p95Ms: latencyMs.p95, failureRate, latencyMs,
          firstFailureMs: total.firstFailureMs, lastFailureMs: total.lastFailureMs,
          failingWindows: timeline.filter((w) => (w.targets[route]?.failures ?? 0) > 0).length,
          failed: failureRate > threshold,
        };
      }
      return { targets, timeline };
    },
  };
}

/** The `p`th percentile (nearest rank) of `values`, rounded to whole ms; 0 for none. Pure. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round(sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]);
}
