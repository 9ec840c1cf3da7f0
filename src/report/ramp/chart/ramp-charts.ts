import { levelOf, nameLevel } from '../../../facts/level.js';
import type { RampReport, RampTarget, StepResult, TargetResult } from '../../../model.js';
import { buildLineChart, type LineChart } from '../../chart/line-chart.js';
import { formatTickValue, log2Domain, powerOfTwoTicks } from '../../chart/scales.js';
import { formatAverage, formatCount, formatMs, formatPercent, maxOf } from '../../format.js';
import { TARGET_COLOR, TARGET_SHORT_LABEL } from '../../kit/targets.js';
import { selectShownSteps } from '../view/step-table.js';
import { listTargets } from '../view/summarize.js';

/**
 * The ramp's two charts, gateway and backend on each, one scale: the share of failed requests
 * (what fails a step: the tool's point is which side breaks first) and the p95 latency, both
 * against the load level — the concurrency, or the offered rate of a --mode rate ramp — on a log2
 * scale (a factor-2 ramp is evenly spaced, bisection steps fall in between). Breaking points are
 * marked on both, levels the client could not drive hatched. Pure.
 */
export interface RampCharts {
  failures: LineChart;
  latency: LineChart;
}

const BOTH_COLOR = '#212529';

type Targets = { key: RampTarget; result: TargetResult }[];

export function buildRampCharts(report: RampReport): RampCharts {
  const targets = listTargets(report);
  const measured = report.meta.source === undefined;
  const domain = levelDomain(report);
  const rate = report.meta.options.mode === 'rate' || targets.some(({ result }) => result.steps.some((s) => s.rate !== undefined));
  const x = {
    scale: 'log2' as const,
    domain,
    label: rate ? 'Offered rate (requests per second, log₂ scale)' : 'Concurrency (virtual users in flight, log₂ scale)',
    ticks: powerOfTwoTicks(domain, 12).map((at) => ({ at, label: formatCount(at) })),
  };
  const tested = [...new Set(targets.flatMap(({ result }) => result.steps.map(levelOf)))];
  const marks = markBreakingPoints(targets);
  const bands = markUnderdriven(targets);
  const legendExtras = [
    ...(marks.length > 0 ? [{ label: 'breaking point', color: BOTH_COLOR, kind: 'mark' as const }] : []),
    ...(bands.length > 0 ? [{ label: 'underdriven (client-limited)', color: '#6c757d', kind: 'band' as const }] : []),
  ];
  const empty = targets.every(({ result }) => result.steps.length === 0) ? 'No completed steps' : null;
  const seriesOf = (yOf: (s: StepResult) => number) => targets.map(({ key, result }) => ({
    label: TARGET_SHORT_LABEL[key],
    color: TARGET_COLOR[key],
    dash: key === 'gateway' ? 'none' : '6 4',
    marker: key === 'gateway' ? ('circle' as const) : ('square' as const),
    line: pickLinePoints(result.steps).map((s) => ({ x: levelOf(s), y: yOf(s) })),
    points: selectShownSteps(result).map((i) => result.steps[i]).map((s) => ({ x: levelOf(s), y: yOf(s), hollow: s.underdriven, title: describePoint(key, s, measured) })),
  }));
  const common = { x, minorAt: tested, marks, bands, legendExtras };
  const failureSeries = seriesOf((s) => 100 * s.failureRate);
  return {
    failures: buildLineChart({
      ...common,
      id: 'chart-failures',
      title: 'Failed requests against the load level, gateway and backend on one scale',
      y: { label: 'Failed requests (% of the step)', max: maxOf(failureSeries.flatMap((s) => s.line.map((p) => p.y))), floor: 1, format: (v) => `${formatTickValue(v)}%` },
      series: failureSeries,
      note: empty ?? (marks.length === 0 ? describeNoBreak(targets) : null),
    }),
    latency: buildLineChart({
      ...common,
      id: 'chart-latency',
      title: 'p95 latency against the load level, gateway and backend on one scale',
      y: { label: 'p95 latency (ms)', max: maxOf(targets.flatMap(({ result }) => result.steps.map((s) => s.latencyMs.p95))), floor: 10, format: (v) => (v < 10 ? formatTickValue(v) : formatCount(v)) },
      series: seriesOf((s) => s.latencyMs.p95),
      note: empty,
    }),
  };
}

/** The levels shown: every step's, or the planned range when none ran. A loop: 100,000 levels overflow Math.min(...). */
function levelDomain(report: RampReport): [number, number] {
  let low = Infinity;
  let high = -Infinity;
  for (const { result } of listTargets(report)) {
    for (const step of result.steps) {
      low = Math.min(low, levelOf(step));
      high = Math.max(high, levelOf(step));
    }
  }
  const { options } = report.meta;
  if (low <= high) return log2Domain(low, high);
  return options.mode === 'rate' ? log2Domain(options.startRate ?? 1, options.maxRate ?? 2) : log2Domain(options.start, options.max);
}

/** One point per tested level for the lines: the last step there that was not underdriven, if any. */
export function pickLinePoints(steps: StepResult[]): StepResult[] {
  const byLevel = new Map<number, StepResult>();
  for (const step of steps) {
    const current = byLevel.get(levelOf(step));
    if (!current || !step.underdriven || current.underdriven) byLevel.set(levelOf(step), step);
  }
  return [...byLevel.values()].sort((a, b) => levelOf(a) - levelOf(b));
}

/** A mark per breaking point; one for both targets when they break at the same level. */
function markBreakingPoints(targets: Targets): { at: number; label: string; color: string; data: string }[] {
  const breaking = targets.filter(({ result }) => result.breakingPoint !== null);
  const levels = breaking.map(({ result }) => levelOf(result.breakingPoint!));
  if (breaking.length === 2 && levels[0] === levels[1]) {
    return [{ at: levels[0], label: `both break at ${formatCount(levels[0])}`, color: BOTH_COLOR, data: String(levels[0]) }];
  }
  return breaking.map(({ key, result }) => {
    const level = levelOf(result.breakingPoint!);
    return { at: level, label: `${key} breaks at ${formatCount(level)}`, color: TARGET_COLOR[key], data: String(level) };
  });
}

/** A hatched column per level some target could not drive, saying which and how far it got. */
function markUnderdriven(targets: Targets): { at: number; title: string }[] {
  const byLevel = new Map<number, string[]>();
  for (const { key, result } of targets) {
    for (const step of result.steps) {
      if (!step.underdriven) continue;
      const level = levelOf(step);
      const what = step.rate !== undefined ? `${step.droppedArrivals ?? 0} arrivals dropped` : `peak ${step.peakInFlight} in flight`;
      byLevel.set(level, [...(byLevel.get(level) ?? []), `${key}: ${what}`]);
    }
  }
  return [...byLevel].map(([at, parts]) => ({ at, title: `${formatCount(at)} underdriven (${parts.join('; ')}): the load generator, not the target, was the limit` }));
}

/** "No breaking point up to concurrency 64" (the lowest level every target held), for a chart without marks. */
function describeNoBreak(targets: Targets): string {
  const held = targets.map(({ result }) => result.lastPassing).filter((level) => level !== null);
  if (held.length === 0) return 'No level passed';
  const lowest = held.reduce((a, b) => (levelOf(b) < levelOf(a) ? b : a));
  const open = targets.some(({ result }) => result.underdriven) ? '; above it underdriven' : '';
  return `No breaking point up to ${nameLevel(lowest)}${open}`;
}

function describePoint(key: RampTarget, s: StepResult, measured: boolean): string {
  const flags = [s.phase, ...(s.underdriven ? ['underdriven'] : []), ...(s.failed ? ['failed'] : [])].join(', ');
  const load = measured ? `, peak ${s.peakInFlight} in flight${s.avgInFlight === undefined ? '' : `, avg ${formatAverage(s.avgInFlight)}`}` : '';
  return `${key} · ${nameLevel(s)} (${flags}): failed ${formatPercent(s.failureRate)}, 502 ${formatPercent(s.rate502)}, p95 ${formatMs(s.latencyMs.p95)} ms, ${formatCount(s.requests)} requests${load}`;
}
