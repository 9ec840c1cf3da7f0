import { levelOf } from '../../../facts/level.js';
import type { RampOptions, RampReport, RampSource, RampTarget, StepResult, TargetResult } from '../../../model.js';
import { ROUTES, ROUTE_VARIABLE } from '../../../model.js';
import {
  countTransportErrors,
  describeNoBreakingPoint,
  describePassCondition,
  formatCount,
  formatCounts,
  formatDuration,
  formatMs,
  formatPercent,
  formatAverage,
  formatRate,
  splitStatusCounts,
} from '../../format.js';

/**
 * Text summaries shared by the human-readable reporters (HTML, Markdown): one place decides what
 * "breaking point", "last passing" and a step row say, so the formats never disagree.
 */

/** One headline fact of a target: label, value, and a detail line ("" when none). */
export interface TargetFact { label: string; value: string; detail: string }

/** The targets of a report in fixed order (gateway first), with their results. */
export function listTargets(report: RampReport): { key: RampTarget; result: TargetResult }[] {
  return ROUTES.flatMap((key) => {
    const result = report.targets[key];
    return result ? [{ key, result }] : [];
  });
}

/** "9 concurrent" or "400 req/s offered". */
function describeLevelValue(level: { concurrency: number; rate?: number }): string {
  return level.rate !== undefined ? `${formatCount(level.rate)} req/s offered` : `${formatCount(level.concurrency)} concurrent`;
}

/** Breaking point, last passing level, first 502, steps run. */
export function listTargetFacts(result: TargetResult, report: RampReport): TargetFact[] {
  const { breakingPoint, lastPassing, steps } = result;
  const unfinished = report.meta.aborted ? ` (ramp stopped: ${report.meta.aborted.reason})` : '';
  const phases = countBy(steps.map((s) => s.phase));
  const noun = nameFailure(result, report.meta.options.failOn);
  return [
    breakingPoint
      ? { label: 'Breaking point', value: describeLevelValue(breakingPoint), detail: `${formatRate(breakingPoint.rps)} req/s · 502 ratio ${formatPercent(breakingPoint.rate502)} · failures ${formatPercent(breakingPoint.failureRate)}` }
      : { label: 'Breaking point', value: 'none', detail: steps.length > 0 ? `${lowerFirst(describeNoBreakingPoint(steps))}${unfinished}` : `no step completed${unfinished}` },
    lastPassing
      ? { label: 'Last passing', value: describeLevelValue(lastPassing), detail: `${formatRate(lastPassing.rps)} req/s · failures ${formatPercent(lastPassing.failureRate)}` }
      : { label: 'Last passing', value: 'none', detail: steps.length > 0 ? 'even the first step failed' : '' },
    result.first502AtRequest !== null
      ? { label: `First ${noun}`, value: `request #${formatCount(result.first502AtRequest)}`, detail: 'counted over this target’s whole ramp' }
      : { label: `First ${noun}`, value: 'none', detail: `${formatCount(sum(steps.map((s) => s.requests)))} requests without one` },
    { label: 'Steps', value: formatCount(steps.length), detail: `${formatCounts(phases)} · ${formatCount(sum(steps.map((s) => s.requests)))} requests` },
  ];
}

/**
 * "502" when a failure can only be a 502 here (fail-on 502, no transport error seen), else "failure":
 * the first-failure ordinal is then not necessarily a 502, and the report must not say it is.
 */
export function nameFailure(result: TargetResult, failOn: number[]): '502' | 'failure' {
  const only502 = failOn.length === 1 && failOn[0] === 502;
  return only502 && result.steps.every((s) => countTransportErrors(s) === 0) ? '502' : 'failure';
}

/** describeUnderdriven names at most this many levels. */
const MAX_NAMED_LEVELS = 24;

/** A plain sentence when underdriven steps matter, else null. */
export function describeUnderdriven(result: TargetResult): string | null {
  const underdriven = result.steps.filter((s) => s.underdriven);
  if (underdriven.length === 0 && !result.underdriven) return null;
  const peaksByLevel = new Map<number, number[]>();
  for (const step of underdriven) {
    const peaks = peaksByLevel.get(step.concurrency);
    if (peaks) peaks.push(step.peakInFlight);
    else peaksByLevel.set(step.concurrency, [step.peakInFlight]);
  }
  // A sentence, not a table: a report with thousands of underdriven levels names the first few.
  const named = [...peaksByLevel].slice(0, MAX_NAMED_LEVELS).map(([level, peaks]) => `${formatCount(level)} (peak ${peaks.join(', ')} in flight)`);
  if (peaksByLevel.size > MAX_NAMED_LEVELS) named.push(`and ${formatCount(peaksByLevel.size - MAX_NAMED_LEVELS)} more levels`);
  const levels = named.join(', ');
  const which = levels ? `At ${levels} the` : 'The';
  const open = result.underdriven ? ' Those levels were not really tested, so the answer stays open above them.' : ' Those steps were repeated before deciding.';
  return `${which} load generator never had that many requests in flight at once: the client, not the target, was the limit.${open}`;
}

/** A step formatted for a table row; every field is text, ready to print. */
export interface StepRow {
  /** Always null: a step row is not a gap (see StepTableRow). */
  gap: null;
  concurrency: string;
  phase: string;
  requests: string;
  success: string;
  s500: string;
  s502: string;
  s503: string;
  s504: string;
  otherStatus: string;
  transport: string;
  transportDetail: string;
  rate502: string;
  failureRate: string;
  p50: string;
  p90: string;
  p95: string;
  p99: string;
  max: string;
  rps: string;
  first502: string;
  first502Run: string;
  peakInFlight: string;
  /** Time-weighted average of requests in flight, one decimal; "" in reports written before it existed. */
  avgInFlight: string;
  clientCpu: string;
  /** Some 502 came back: the 502 cells are highlighted. */
  has502: boolean;
  failed: boolean;
  underdriven: boolean;
  /** The step that is the breaking point, or the last passing level. */
  marker: 'breaking-point' | 'last-passing' | null;
}

/** Indexes of the breaking-point step and of the last passing level's step (-1 when none). */
export function findMarkedSteps(result: TargetResult): { breakingIndex: number; passingIndex: number } {
  const bp = result.breakingPoint ? levelOf(result.breakingPoint) : undefined;
  const held = result.lastPassing ? levelOf(result.lastPassing) : undefined;
  return {
    breakingIndex: lastIndex(result.steps, (s) => s.failed && levelOf(s) === bp),
    passingIndex: lastIndex(result.steps, (s) => !s.failed && levelOf(s) === held),
  };
}

/**
 * One step as a table row; `marker` says whether it is the breaking point or the last passing level.
 * `measured` false: the steps were imported (Locust, k6), whose client CPU and requests in flight
 * nobody measured — those cells say "—", never 0%.
 */
export function formatStepRow(step: StepResult, marker: StepRow['marker'], measured = true): StepRow {
  const status = splitStatusCounts(step.status);
  const transport = countTransportErrors(step);
  return {
    gap: null,
    concurrency: step.rate !== undefined ? `${formatCount(step.rate)}/s` : formatCount(step.concurrency),
    phase: step.phase,
    requests: formatCount(step.requests),
    success: formatCount(status.success),
    s500: formatCount(status.columns['500']),
    s502: formatCount(status.columns['502']),
    s503: formatCount(status.columns['503']),
    s504: formatCount(status.columns['504']),
    otherStatus: status.other,
    transport: formatCount(transport),
    transportDetail: formatCounts(step.transportErrors),
    rate502: formatPercent(step.rate502),
    failureRate: formatPercent(step.failureRate),
    p50: formatMs(step.latencyMs.p50),
    p90: formatMs(step.latencyMs.p90),
    p95: formatMs(step.latencyMs.p95),
    p99: formatMs(step.latencyMs.p99),
    max: formatMs(step.latencyMs.max),
    rps: formatRate(step.rps),
    first502: step.first502AtRequest === null ? '–' : `#${formatCount(step.first502AtRequest)}`,
    first502Run: step.first502AtRunRequest === null ? '' : `#${formatCount(step.first502AtRunRequest)}`,
    peakInFlight: measured ? `${formatCount(step.peakInFlight)}/${formatCount(step.concurrency)}` : '—',
    avgInFlight: step.avgInFlight === undefined ? '' : formatAverage(step.avgInFlight),
    clientCpu: measured ? `${Math.round(step.clientCpuPercent)}%` : '—',
    has502: (step.status['502'] ?? 0) > 0,
    failed: step.failed,
    underdriven: step.underdriven,
    marker,
  };
}

/** The ramp options as label/value pairs, in the order the CLI documents them. */
export function describeOptions(options: RampOptions, source?: RampSource): { name: string; value: string }[] {
  const rows = [
    { name: 'Target', value: options.target === 'both' ? 'both (gateway and backend)' : options.target },
    { name: 'Concurrency', value: `${options.start} → ${options.max}, ×${options.factor} per step${options.bisect ? ', then bisection' : ', no bisection'}` },
    source
      ? { name: 'Requests per step', value: `up to ${formatCount(options.requestsPerStep)} (each level held for a time)` }
      : { name: 'Requests per step', value: formatCount(options.requestsPerStep) },
    source
      ? { name: 'Engine', value: `${source.tool === 'locust' ? 'Locust' : 'k6'}, imported: ${source.note}` }
      : { name: 'Engine', value: options.engine === 'fast' ? 'fast (HTTP/1.1 client; judges the guide\'s two tests)' : 'newman (the collection\'s own scripts)' },
    { name: 'A step passes with', value: describePassCondition(options) },
    { name: 'Safety limits', value: `${formatCount(options.maxRequests)} requests, ${formatDuration(options.maxDurationMs)}, ${formatCount(options.timeoutRequestMs)} ms per request` },
  ];
  if (options.minCapacity !== undefined) rows.push({ name: 'Minimum capacity (CI gate)', value: `${formatCount(options.minCapacity)} ${options.mode === 'rate' ? 'req/s' : 'concurrent'}` });
  return rows;
}

/** `gateway_url` / `backend_url`: the environment variable each target's requests went to. */
export const targetVariable = (key: RampTarget): string => ROUTE_VARIABLE[key];

const lowerFirst = (text: string): string => text.charAt(0).toLowerCase() + text.slice(1);

function lastIndex<T>(items: T[], predicate: (item: T) => boolean): number {
  for (let i = items.length - 1; i >= 0; i--) if (predicate(items[i])) return i;
  return -1;
}

const sum = (values: number[]): number => values.reduce((total, n) => total + n, 0);

function countBy(values: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}

