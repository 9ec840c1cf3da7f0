import { pickClearestBox, type Box, type Polyline } from './place-label.js';
import { onePerPixel, thinLine } from './thin-marks.js';
import { estimateTextWidth, fitLinearAxis, px } from './scales.js';

/**
 * The kit's one chart, as data: every coordinate is computed here so the template
 * (`templates/report/line-chart.svg.hbs`) only draws. One value axis (left), so the series it
 * compares — gateway and backend — share one scale; x is a load level on a log2 scale (ramp) or time
 * (watch). Pure.
 */
export interface LineChart {
  /** Unique in the page; prefixes the SVG ids. */
  id: string;
  /** What the chart shows, for screen readers (the SVG's <title>). */
  title: string;
  width: number;
  height: number;
  plot: { left: number; top: number; right: number; bottom: number; width: number; height: number };
  xTicks: { x: number; label: string }[];
  /** Data points that are not labelled ticks (bisection steps, a factor ≠ 2). */
  minorTicks: { x: number }[];
  xAxisLabel: string;
  yTicks: { y: number; label: string }[];
  yAxisLabel: string;
  series: ChartSeries[];
  /** Vertical lines at a level, labelled: breaking points. */
  marks: ChartMark[];
  /** Hatched columns: levels the load generator could not drive. */
  bands: { x: number; width: number; title: string }[];
  legend: { x: number; y: number; label: string; color: string; dash: string; kind: 'line' | 'mark' | 'band'; marker: 'circle' | 'square' }[];
  note: { x: number; y: number; text: string } | null;
}

export interface ChartSeries {
  label: string;
  color: string;
  /** SVG stroke-dasharray; "none" for a solid line. */
  dash: string;
  marker: 'circle' | 'square';
  /** The polyline drawn (thinned past a few thousand points, see thinLine). */
  line: Polyline;
  path: string;
  points: { x: number; y: number; hollow: boolean; title: string }[];
}

export interface ChartMark {
  x: number;
  color: string;
  /** e.g. the level, for tests and tools that read the SVG. */
  data: string;
  label: string;
  labelX: number;
  labelY: number;
  boxX: number;
  boxY: number;
  boxWidth: number;
}

/** An x axis in data units: a log2 scale over `domain` (log2 units), or linear from 0 to `max`. */
export type ChartXAxis =
  | { scale: 'log2'; domain: [number, number]; label: string; ticks: { at: number; label: string }[] }
  | { scale: 'linear'; max: number; label: string; ticks: { at: number; label: string }[] };

/** What a chart shows, in data units. */
export interface ChartInput {
  id: string;
  title: string;
  x: ChartXAxis;
  y: { label: string; max: number; floor: number; format(value: number): string };
  series: {
    label: string;
    color: string;
    dash: string;
    marker: 'circle' | 'square';
    /** The line's points, sorted by x. */
    line: { x: number; y: number }[];
    /** The markers, each with its hover text. */
    points: { x: number; y: number; hollow: boolean; title: string }[];
  }[];
  /** Data x of points that get a minor tick (every tested level). */
  minorAt?: number[];
  marks?: { at: number; label: string; color: string; data: string }[];
  bands?: { at: number; title: string }[];
  /** Legend entries besides the series, only for what is drawn. */
  legendExtras?: { label: string; color: string; kind: 'mark' | 'band' }[];
  /** A sentence drawn inside the plot, where the lines are not (no breaking point, no data). */
  note?: string | null;
}

const WIDTH = 960;
const HEIGHT = 340;
const MARGIN = { left: 72, right: 28, top: 44, bottom: 54 };
const LABEL_HEIGHT = 20;

/** Builds the chart's coordinates. */
export function buildLineChart(input: ChartInput): LineChart {
  const plot = {
    left: MARGIN.left,
    top: MARGIN.top,
    right: WIDTH - MARGIN.right,
    bottom: HEIGHT - MARGIN.bottom,
    width: WIDTH - MARGIN.left - MARGIN.right,
    height: HEIGHT - MARGIN.top - MARGIN.bottom,
  };
  const { x } = input;
  const xOf = x.scale === 'log2'
    ? (value: number) => px(plot.left + ((Math.log2(value) - x.domain[0]) / (x.domain[1] - x.domain[0])) * plot.width)
    : (value: number) => px(plot.left + (x.max > 0 ? value / x.max : 0) * plot.width);
  const axis = fitLinearAxis(input.y.max, 4, input.y.floor);
  const yOf = (value: number) => px(plot.bottom - (value / axis.top) * plot.height);

  const series: ChartSeries[] = input.series.map((s) => {
    const line = thinLine(s.line.map((p) => ({ x: xOf(p.x), y: yOf(p.y) })));
    return {
      label: s.label,
      color: s.color,
      dash: s.dash,
      marker: s.marker,
      line,
      path: line.map((p, i) => `${i === 0 ? 'M' : 'L'}${p.x},${p.y}`).join(''),
      // Every marker the caller chose (each step a table shows, each window with a failure): a few hundred at most.
      points: s.points.map((p) => ({ x: xOf(p.x), y: yOf(p.y), hollow: p.hollow, title: p.title })),
    };
  });
  const lines = series.map((s) => s.line);
  const labelled = x.ticks.map((t) => t.at);
  return {
    id: input.id,
    title: input.title,
    width: WIDTH,
    height: HEIGHT,
    plot,
    xTicks: x.ticks.map((t) => ({ x: xOf(t.at), label: t.label })),
    minorTicks: onePerPixel((input.minorAt ?? []).filter((at) => !labelled.includes(at)).map((at) => ({ x: xOf(at) }))),
    xAxisLabel: x.label,
    yTicks: Array.from({ length: axis.intervals + 1 }, (_, i) => ({ y: yOf(i * axis.step), label: input.y.format(i * axis.step) })),
    yAxisLabel: input.y.label,
    series,
    marks: placeMarks((input.marks ?? []).map((m) => ({ ...m, x: xOf(m.at) })), plot, lines),
    bands: onePerPixel((input.bands ?? []).map((b) => ({ x: px(xOf(b.at) - 9), width: 18, title: b.title }))),
    legend: layoutLegend([
      ...series.map((s) => ({ label: s.label, color: s.color, dash: s.dash, kind: 'line' as const, marker: s.marker })),
      ...(input.legendExtras ?? []).map((e) => ({ label: e.label, color: e.color, dash: e.kind === 'mark' ? '5 3' : 'none', kind: e.kind, marker: 'circle' as const })),
    ]),
    note: input.note ? placeNote(input.note, plot, lines) : null,
  };
}

/**
 * The label of each mark beside its line, where the series lines and the labels already placed are
 * not: right of the line first, then left; the top first, then lower down.
 */
function placeMarks(marks: { x: number; label: string; color: string; data: string }[], plot: LineChart['plot'], lines: Polyline[]): ChartMark[] {
  const placed: Box[] = [];
  return marks.map((mark) => {
    // Bold text runs wider than estimateTextWidth's regular 12px: measured for the labels' weight.
    const boxWidth = px(estimateTextWidth(mark.label, 13.5) + 12);
    const sides = [px(mark.x + 6), px(mark.x - 6 - boxWidth)].filter((boxX) => boxX >= plot.left + 2 && boxX + boxWidth <= plot.right - 2);
    if (sides.length === 0) sides.push(px(Math.min(Math.max(plot.left + 2, mark.x + 6), plot.right - 2 - boxWidth)));
    const heights = [0.02, 0.16, 0.3, 0.44, 0.58, 0.72].map((share) => px(plot.top + plot.height * share));
    const all: Box[] = heights.flatMap((y) => sides.map((boxX) => ({ x: boxX, y, width: boxWidth, height: LABEL_HEIGHT })));
    const free = all.filter((box) => !placed.some((other) => overlaps(box, other)));
    const candidates = free.length > 0 ? free : all;
    const box = candidates[pickClearestBox(candidates, lines)];
    placed.push(box);
    return { x: mark.x, color: mark.color, data: mark.data, label: mark.label, boxX: box.x, boxY: box.y, boxWidth, labelX: px(box.x + 6), labelY: px(box.y + 14) };
  });
}

const overlaps = (a: Box, b: Box): boolean => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

function placeNote(text: string, plot: LineChart['plot'], lines: Polyline[]): LineChart['note'] {
  const width = px(estimateTextWidth(text, 13));
  const candidates: Box[] = [0.05, 0.3, 0.55].map((share) => px(plot.top + plot.height * share)).flatMap((y) => [
    { x: px(plot.right - 12 - width), y, width, height: 16 },
    { x: plot.left + 12, y, width, height: 16 },
  ]);
  const box = candidates[pickClearestBox(candidates, lines)];
  return { x: Math.max(plot.left + 4, box.x), y: px(box.y + 13), text };
}

/** Left to right above the plot, wrapping to a second row when the width is used up. */
function layoutLegend(items: Omit<LineChart['legend'][number], 'x' | 'y'>[]): LineChart['legend'] {
  let x = MARGIN.left;
  let y = 16;
  return items.map((item) => {
    const itemWidth = px(estimateTextWidth(item.label) + 50);
    if (x > MARGIN.left && x + itemWidth > WIDTH - MARGIN.right) {
      x = MARGIN.left;
      y += 18;
    }
    const placed = { ...item, x, y };
    x += itemWidth;
    return placed;
  });
}
