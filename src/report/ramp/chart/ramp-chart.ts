import type { StepResult, TargetResult } from '../../../model.js';
import { levelOf, nameLevel } from '../../../facts/level.js';
import { describeNoBreakingPoint, formatAverage, formatCount, formatMs, formatPercent, hasFailuresBeyond502, maxOf } from '../../format.js';
import { selectShownSteps } from '../view/step-table.js';
import { pickClearestBox, type Box, type Polyline } from './place-label.js';
import { onePerPixel, thinLine } from './thin-marks.js';
import { estimateTextWidth, fitAlignedAxis, fitLinearAxis, formatTickValue, powerOfTwoTicks, px } from './scales.js';

/**
 * The ramp chart as data: every coordinate computed here, so the template only draws. x is the
 * load level — the concurrency, or the offered rate of a --mode rate ramp — on a log2 scale (a factor-2 ramp is evenly spaced, bisection steps fall in between),
 * the left axis the 502 ratio in %, the right axis the p95 latency in ms.
 */
export interface RampChart {
  /** Unique in the page; prefixes the SVG ids. */
  id: string;
  width: number;
  height: number;
  plot: { left: number; top: number; right: number; bottom: number; width: number; height: number };
  xTicks: { x: number; label: string }[];
  /** "Concurrency (…)" or "Offered rate (…)": what x is. */
  xAxisLabel: string;
  /** Tested concurrencies that are not labelled ticks (bisection steps, factor ≠ 2). */
  minorTicks: { x: number }[];
  leftTicks: { y: number; label: string }[];
  /** "502 ratio (%)", or "Failures (%)" when the failure series is drawn too. */
  leftAxisLabel: string;
  rightTicks: { y: number; label: string }[];
  series: ChartSeries[];
  legend: { x: number; y: number; label: string; color: string; dash: string; kind: 'line' | 'hollow' | 'breaking' }[];
  underdriven: { x: number; width: number; title: string }[];
  breakingPoint: {
    concurrency: number;
    x: number;
    zoneWidth: number;
    label: string;
    labelX: number;
    labelY: number;
    labelBoxX: number;
    labelBoxY: number;
    labelWidth: number;
    anchor: 'start' | 'end';
  } | null;
  note: { x: number; y: number; anchor: 'middle' | 'start'; text: string } | null;
}

export interface ChartSeries {
  label: string;
  color: string;
  /** SVG stroke-dasharray; "none" for a solid line. */
  dash: string;
  marker: 'circle' | 'square';
  /** The polyline the path draws: one point per tested level (thinned past a few thousand, see thinLine). */
  line: Polyline;
  path: string;
  /** One marker per step the table shows (every step of any real ramp; see MAX_TABLE_STEPS). */
  points: { x: number; y: number; hollow: boolean; title: string }[];
}

const WIDTH = 960;
const HEIGHT = 360;
const MARGIN = { left: 64, right: 72, top: 44, bottom: 54 };
const COLORS = { rate502: '#c62828', failures: '#e67700', p95: '#1f5fbf', breaking: '#212529' };

/** Builds the chart of one target; `xDomain` (log2 units) is shared by all targets of a report. */
export function buildRampChart(id: string, target: TargetResult, failOn: number[], xDomain: [number, number]): RampChart {
  const plot = {
    left: MARGIN.left,
    top: MARGIN.top,
    right: WIDTH - MARGIN.right,
    bottom: HEIGHT - MARGIN.bottom,
    width: WIDTH - MARGIN.left - MARGIN.right,
    height: HEIGHT - MARGIN.top - MARGIN.bottom,
  };
  const xOf = (concurrency: number) => px(plot.left + ((Math.log2(concurrency) - xDomain[0]) / (xDomain[1] - xDomain[0])) * plot.width);
  const steps = target.steps;
  const line = pickLinePoints(steps);
  // Markers for the steps the table shows (all of them in any real ramp; see MAX_TABLE_STEPS).
  const marked = selectShownSteps(target).map((index) => steps[index]);
  const showFailures = hasFailuresBeyond502(steps);

  const maxPercent = maxOf(steps.map((s) => 100 * Math.max(s.rate502, showFailures ? s.failureRate : 0)));
  const left = fitLinearAxis(maxPercent, 4, 1);
  const right = fitAlignedAxis(maxOf(steps.map((s) => s.latencyMs.p95)), left.intervals, 10);
  const yLeft = (percent: number) => px(plot.bottom - (percent / left.top) * plot.height);
  const yRight = (ms: number) => px(plot.bottom - (ms / right.top) * plot.height);

  const title = (s: StepResult) =>
    `${nameLevel(s)} (${s.phase}${s.underdriven ? ', underdriven' : ''}${s.failed ? ', failed' : ''}): ` +
    `502 ${formatPercent(s.rate502)}, failures ${formatPercent(s.failureRate)}, p95 ${formatMs(s.latencyMs.p95)} ms, ` +
    `${formatCount(s.requests)} requests, peak ${s.peakInFlight} in flight${s.avgInFlight === undefined ? '' : `, avg ${formatAverage(s.avgInFlight)}`}`;
  const makeSeries = (label: string, color: string, dash: string, marker: ChartSeries['marker'], yOf: (s: StepResult) => number): ChartSeries => {
    const polyline = thinLine(line.map((s) => ({ x: xOf(levelOf(s)), y: yOf(s) })));
    return {
      label,
      color,
      dash,
      marker,
      line: polyline,
      path: polyline.map((p, i) => `${i === 0 ? 'M' : 'L'}${p.x},${p.y}`).join(''),
      points: marked.map((s) => ({ x: xOf(levelOf(s)), y: yOf(s), hollow: s.underdriven, title: title(s) })),
    };
  };
  const series = [makeSeries('502 ratio (%)', COLORS.rate502, 'none', 'circle', (s) => yLeft(100 * s.rate502))];
  if (showFailures) {
    series.push(makeSeries(`${failOn.join('/')} + transport errors (%)`, COLORS.failures, '6 4', 'circle', (s) => yLeft(100 * s.failureRate)));
  }
  series.push(makeSeries('p95 latency (ms)', COLORS.p95, 'none', 'square', (s) => yRight(s.latencyMs.p95)));

  const labelled = powerOfTwoTicks(xDomain, 12);
  const tested = [...new Set(steps.map(levelOf))];
  const underdriven = groupUnderdriven(steps);
  const rate = steps.some((s) => s.rate !== undefined);
  const gridY = Array.from({ length: left.intervals + 1 }, (_, i) => i);

  return {
    id,
    width: WIDTH,
    height: HEIGHT,
    plot,
    xTicks: labelled.map((c) => ({ x: xOf(c), label: formatCount(c) })),
    xAxisLabel: rate ? 'Offered rate (requests per second, log₂ scale)' : 'Concurrency (virtual users in flight, log₂ scale)',
    minorTicks: onePerPixel(tested.filter((c) => !labelled.includes(c)).map((c) => ({ x: xOf(c) }))),
    leftAxisLabel: showFailures ? 'Failures (%)' : '502 ratio (%)',
    leftTicks: gridY.map((i) => ({ y: yLeft(i * left.step), label: `${formatTickValue(i * left.step)}%` })),
    rightTicks: gridY.map((i) => ({ y: yRight(i * right.step), label: right.step < 1 ? formatTickValue(i * right.step) : formatCount(i * right.step) })),
    series,
    legend: layoutLegend(series, steps.some((s) => s.underdriven), target.breakingPoint !== null),
    underdriven: onePerPixel(tested.filter((c) => underdriven.has(c)).map((c) => ({ x: px(xOf(c) - 9), width: 18, title: describeUnderdriven(underdriven.get(c)!) }))),
    breakingPoint: target.breakingPoint ? placeBreakingPoint(xOf(levelOf(target.breakingPoint)), levelOf(target.breakingPoint), plot, series) : null,
    note: placeNote(target, plot, series),
  };
}

/** One point per tested concurrency for the lines: the last step there that was not underdriven, if any. */
function pickLinePoints(steps: StepResult[]): StepResult[] {
  const byConcurrency = new Map<number, StepResult>();
  for (const step of steps) {
    const current = byConcurrency.get(levelOf(step));
    if (!current || !step.underdriven || current.underdriven) byConcurrency.set(levelOf(step), step);
  }
  return [...byConcurrency.values()].sort((a, b) => levelOf(a) - levelOf(b));
}

/** The underdriven steps by level. */
function groupUnderdriven(steps: StepResult[]): Map<number, StepResult[]> {
  const byLevel = new Map<number, StepResult[]>();
  for (const step of steps) {
    if (!step.underdriven) continue;
    const level = levelOf(step);
    const group = byLevel.get(level);
    if (group) group.push(step);
    else byLevel.set(level, [step]);
  }
  return byLevel;
}

function describeUnderdriven(steps: StepResult[]): string {
  const peaks = steps.map((s) => s.peakInFlight).join(', ');
  if (steps[0].rate !== undefined) return `${nameLevel(steps[0])} underdriven: ${steps.map((s) => s.droppedArrivals ?? 0).join(', ')} arrivals dropped — the load generator, not the target, was the limit`;
  return `concurrency ${steps[0].concurrency} underdriven: peak in flight ${peaks} — the load generator, not the target, was the limit`;
}

function placeBreakingPoint(x: number, concurrency: number, plot: RampChart['plot'], series: ChartSeries[]): NonNullable<RampChart['breakingPoint']> {
  const label = `Breaking point: ${formatCount(concurrency)} concurrent`;
  const labelWidth = px(estimateTextWidth(label) + 12);
  const height = 20;
  // Right of the line first (where the failures are), then left; top first, then lower down.
  const sides = [px(x + 6), px(x - 6 - labelWidth)].filter((boxX) => boxX >= plot.left + 2 && boxX + labelWidth <= plot.right - 2);
  if (sides.length === 0) sides.push(px(x + 6));
  const heights = [plot.top + 4, plot.top + plot.height * 0.3, plot.top + plot.height * 0.55, plot.bottom - height - 26].map(px);
  const candidates: Box[] = heights.flatMap((y) => sides.map((boxX) => ({ x: boxX, y, width: labelWidth, height })));
  const box = candidates[pickClearestBox(candidates, series.map((s) => s.line))];
  const right = box.x > x;
  return {
    concurrency,
    x,
    zoneWidth: px(Math.max(0, plot.right - x)),
    label,
    labelWidth,
    anchor: right ? 'start' : 'end',
    labelX: right ? px(box.x + 6) : px(box.x + labelWidth - 6),
    labelY: px(box.y + 14),
    labelBoxX: box.x,
    labelBoxY: box.y,
  };
}

function placeNote(target: TargetResult, plot: RampChart['plot'], series: ChartSeries[]): RampChart['note'] {
  if (target.steps.length === 0) {
    return { x: px(plot.left + plot.width / 2), y: px(plot.top + plot.height / 2), anchor: 'middle', text: 'No completed steps' };
  }
  if (target.breakingPoint) return null;
  const text = describeNoBreakingPoint(target.steps);
  const width = px(estimateTextWidth(text, 13));
  const candidates: Box[] = [0.05, 0.3, 0.55].map((share) => px(plot.top + plot.height * share)).flatMap((y) => [
    { x: px(plot.right - 12 - width), y, width, height: 16 },
    { x: plot.left + 12, y, width, height: 16 },
  ]);
  const box = candidates[pickClearestBox(candidates, series.map((s) => s.line))];
  return { x: box.x, y: px(box.y + 13), anchor: 'start', text };
}

function layoutLegend(series: ChartSeries[], anyUnderdriven: boolean, hasBreakingPoint: boolean): RampChart['legend'] {
  const items: Omit<RampChart['legend'][number], 'x' | 'y'>[] = series.map((s) => ({ label: s.label, color: s.color, dash: s.dash, kind: 'line' }));
  if (hasBreakingPoint) items.push({ label: 'breaking point', color: COLORS.breaking, dash: '5 3', kind: 'breaking' });
  if (anyUnderdriven) items.push({ label: 'underdriven (client-limited)', color: '#6c757d', dash: 'none', kind: 'hollow' });
  // Left to right, wrapping to a second row when the plot width is used up.
  let x = MARGIN.left;
  let y = 14;
  return items.map((item) => {
    const itemWidth = px(estimateTextWidth(item.label) + 46);
    if (x > MARGIN.left && x + itemWidth > WIDTH - MARGIN.right) {
      x = MARGIN.left;
      y += 18;
    }
    const placed = { ...item, x, y };
    x += itemWidth;
    return placed;
  });
}
