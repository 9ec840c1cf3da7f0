/**
 * Number and text formatting shared by the human-readable reporters. Deterministic (no locale):
 * the same report renders byte-for-byte the same everywhere.
 */
import type { RampOptions, RampTarget, RampVerdictCode, StepResult } from '../model.js';

/** "/work/collections/orders.postman_collection.json" → "orders.postman_collection.json"; names stay whole. */
export function shortenPath(collection: string): string {
  return /\.(json|ya?ml)$/i.test(collection) ? collection.split(/[\\/]/).pop() || collection : collection;
}

/** 1234567 → "1,234,567". */
export function formatCount(value: number): string {
  const sign = value < 0 ? '-' : '';
  return sign + Math.round(Math.abs(value)).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** A 0..1 ratio as a percent: 0 → "0%", 0.0042 → "0.42%", 0.125 → "12.5%", 1 → "100%". */
export function formatPercent(ratio: number): string {
  if (ratio === 0) return '0%';
  const percent = ratio * 100;
  if (percent >= 100) return '100%';
  if (percent < 1) return `${percent < 0.01 ? '<0.01' : percent.toFixed(2)}%`;
  return `${percent.toFixed(1)}%`;
}

/** Milliseconds: "3.2" below 10, whole numbers above ("83", "12,345"); no unit. */
export function formatMs(ms: number): string {
  return ms < 10 ? ms.toFixed(1) : formatCount(ms);
}

/** An average of requests in flight: one decimal, "3.4", "16" (no trailing ".0"). */
export function formatAverage(value: number): string {
  return String(+value.toFixed(1));
}

/** Requests per second: one decimal below 100, whole numbers above. */
export function formatRate(perSec: number): string {
  return perSec < 100 ? perSec.toFixed(1) : formatCount(perSec);
}

/** A duration for people: "850 ms", "12.3 s", "4 min 05 s", "10 min", "1 h 02 min". */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const totalSec = Math.round(ms / 1000);
  if (totalSec < 3600) return totalSec % 60 === 0 ? `${totalSec / 60} min` : `${Math.floor(totalSec / 60)} min ${String(totalSec % 60).padStart(2, '0')} s`;
  const totalMin = Math.round(totalSec / 60);
  return totalMin % 60 === 0 ? `${totalMin / 60} h` : `${Math.floor(totalMin / 60)} h ${String(totalMin % 60).padStart(2, '0')} min`;
}

/** "2024-05-01T10:00:00.000Z" → "2024-05-01 10:00:00 UTC"; anything unparsable is returned as is. */
export function formatTimestamp(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
}

/** Counts by key, biggest first: { ECONNRESET: 3, ETIMEDOUT: 1 } → "ECONNRESET 3 · ETIMEDOUT 1". */
export function formatCounts(counts: Record<string, number>, separator = ' · '): string {
  return Object.entries(counts)
    .filter(([, n]) => n > 0)
    .sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1))
    .map(([key, n]) => `${key} ${formatCount(n)}`)
    .join(separator);
}

/** The statuses the step tables show in their own columns; the rest go to "other". */
export const STATUS_COLUMNS = ['500', '502', '503', '504'] as const;

/** Splits a step's status counts into 2xx, the 5xx columns and the rest (as text). */
export function splitStatusCounts(status: Record<string, number>): {
  success: number;
  columns: Record<(typeof STATUS_COLUMNS)[number], number>;
  other: string;
} {
  const columns = { '500': 0, '502': 0, '503': 0, '504': 0 };
  const rest: Record<string, number> = {};
  let success = 0;
  for (const [code, n] of Object.entries(status)) {
    if (/^2\d\d$/.test(code)) success += n;
    else if (code in columns) columns[code as keyof typeof columns] += n;
    else rest[code] = n;
  }
  return { success, columns, other: formatCounts(rest) };
}

/**
 * True when some step's failures are not all 502s (other --fail-on statuses, transport errors): then
 * the tables show a "Failures" column and the chart a failure line beside the 502 ratio.
 */
export function hasFailuresBeyond502(steps: readonly StepResult[]): boolean {
  return steps.some((s) => s.failureRate !== s.rate502);
}

/** Total transport errors of a step. */
export function countTransportErrors(step: StepResult): number {
  return Object.values(step.transportErrors).reduce((sum, n) => sum + n, 0);
}

export const TARGET_LABEL: Readonly<Record<RampTarget, string>> = {
  gateway: 'Through the gateway',
  backend: 'Direct to the backend',
};

export const VERDICT_LABEL: Readonly<Record<RampVerdictCode, string>> = {
  'gateway-limited': 'Gateway-limited',
  'backend-capacity': 'Backend capacity',
  'backend-down': 'Backend down',
  'breaking-point': 'Breaking point found',
  'no-breaking-point': 'No breaking point',
  inconclusive: 'Inconclusive',
};

/** How a verdict should look: a found limit is bad news, none is good, inconclusive is a warning. */
export const VERDICT_TONE: Readonly<Record<RampVerdictCode, 'bad' | 'good' | 'warn'>> = {
  'gateway-limited': 'bad',
  'backend-capacity': 'bad',
  'backend-down': 'bad',
  'breaking-point': 'bad',
  'no-breaking-point': 'good',
  inconclusive: 'warn',
};

/**
 * Statuses compactly: [502] → "502", [502, 503] → "502/503", [502, 503, 504] → "502-504",
 * 500…599 → "5xx". Runs of three or more consecutive statuses become ranges, a whole class "Nxx".
 */
export function formatStatuses(statuses: readonly number[]): string {
  const sorted = [...new Set(statuses)].sort((a, b) => a - b);
  const runs: [number, number][] = [];
  for (const s of sorted) {
    const last = runs.at(-1);
    if (last && s === last[1] + 1 && s % 100 !== 0) last[1] = s;
    else runs.push([s, s]);
  }
  const formatRun = ([a, b]: [number, number]) =>
    a === b ? String(a) : b === a + 1 ? `${a}/${b}` : a % 100 === 0 && b === a + 99 ? `${a / 100}xx` : `${a}-${b}`;
  return runs.map(formatRun).join('/');
}

/** The options that decide whether a request, and a step, fails. */
export type FailureCriteria = Pick<RampOptions, 'failOn' | 'threshold' | 'failOnSlow' | 'maxP95Ms' | 'maxP99Ms'>;

/** What counts as a failed request, in words: "502s and transport errors", "HTTP 5xx, slow answers and transport errors". */
export function describeFailOn(failOn: readonly number[], failOnSlow = false): string {
  const text = formatStatuses(failOn);
  const statuses = failOn.length === 0 ? [] : [/^\d{3}(\/\d{3})*$/.test(text) ? `${text}s` : `HTTP ${text}`];
  return [...statuses, ...(failOnSlow ? ['slow answers'] : []), 'transport errors'].join(', ').replace(/, ([^,]*)$/, ' and $1');
}

/**
 * The pass condition of a step, in words: "no 502s and no transport errors", "at most 1.0% 502/503s …",
 * then the latency gates: "…; p95 at most 800 ms".
 */
export function describePassCondition(criteria: FailureCriteria): string {
  const { failOn, threshold, failOnSlow = false } = criteria;
  const base = threshold === 0 && !failOnSlow
    ? `no ${failOn.length > 0 ? describeFailOn(failOn).replace(/ and transport errors$/, '') : 'failing status'} and no transport errors`
    : `${threshold === 0 ? 'no' : `at most ${formatPercent(threshold)}`} ${describeFailOn(failOn, failOnSlow)}`;
  const gates = [
    ...(criteria.maxP95Ms !== undefined ? [`p95 at most ${formatCount(criteria.maxP95Ms)} ms`] : []),
    ...(criteria.maxP99Ms !== undefined ? [`p99 at most ${formatCount(criteria.maxP99Ms)} ms`] : []),
  ];
  return [base, ...gates].join('; ');
}

/** "No breaking point up to concurrency 64", or, when the top levels were underdriven, says so. */
export function describeNoBreakingPoint(steps: StepResult[]): string {
  const highestTested = maxOf(steps.filter((s) => !s.underdriven).map((s) => s.concurrency));
  const untested = [...new Set(steps.filter((s) => s.underdriven && s.concurrency > highestTested).map((s) => s.concurrency))];
  const base = highestTested > 0 ? `No breaking point up to concurrency ${formatCount(highestTested)}` : 'No level reached';
  if (untested.length === 0) return base;
  const named = untested.slice(0, 24).map(formatCount);
  if (untested.length > named.length) named.push(`and ${formatCount(untested.length - named.length)} more levels`);
  return `${base}; ${named.join(', ')} underdriven`;
}

/** The largest of `values`, at least 0. A loop: Math.max(...values) overflows the stack past ~100,000 values. */
export function maxOf(values: Iterable<number>): number {
  let max = 0;
  for (const value of values) if (value > max) max = value;
  return max;
}
