import { formatDurationOption } from '../../options/parse-duration.js';
import type { Route, WatchReport } from '../../model.js';
import { ROUTES } from '../../model.js';
import { buildLineChart, type LineChart } from '../chart/line-chart.js';
import { formatTickValue, niceStep } from '../chart/scales.js';
import { formatCount, maxOf } from '../format.js';
import { TARGET_COLOR, TARGET_SHORT_LABEL } from '../kit/targets.js';
import { describeWindowCounts, formatOffset } from './text.js';

/**
 * The watch's two charts over time, gateway and backend on each, one scale: the failed requests per
 * window (where the tool's point, which side fails, shows as one line above the other) and the p95
 * latency per window. x is the time since the watch started; a marker on each window with a failure.
 */
export interface WatchCharts {
  failures: LineChart;
  latency: LineChart;
}

export function buildWatchCharts(report: WatchReport): WatchCharts {
  const routes = ROUTES.filter((route) => report.targets[route] !== undefined);
  const windowMs = report.meta.options.windowMs;
  const spanMs = Math.max(windowMs, report.timeline.at(-1)?.endMs ?? 0);
  const x = { scale: 'linear' as const, max: spanMs, label: `Time since the watch started (mm:ss; ${formatDurationOption(windowMs)} windows)`, ticks: timeTicks(spanMs) };
  const middle = (w: WatchReport['timeline'][number]) => (w.startMs + w.endMs) / 2;
  const seriesOf = (yOf: (counts: NonNullable<WatchReport['timeline'][number]['targets'][Route]>) => number, marked: (failures: number) => boolean) =>
    routes.map((route) => {
      const windows = report.timeline.filter((w) => w.targets[route] !== undefined);
      return {
        label: TARGET_SHORT_LABEL[route],
        color: TARGET_COLOR[route],
        dash: route === 'gateway' ? 'none' : '6 4',
        marker: route === 'gateway' ? ('circle' as const) : ('square' as const),
        line: windows.map((w) => ({ x: middle(w), y: yOf(w.targets[route]!) })),
        points: windows
          .filter((w) => marked(w.targets[route]!.failures))
          .map((w) => ({ x: middle(w), y: yOf(w.targets[route]!), hollow: false, title: `${route} ${formatOffset(w.startMs)}–${formatOffset(w.endMs)}: ${describeWindowCounts(w.targets[route]!)}` })),
      };
    });
  const empty = report.timeline.length === 0 ? 'No window completed' : null;
  const failures = seriesOf((c) => c.failures, (n) => n > 0);
  const none = failures.every((s) => s.points.length === 0);
  return {
    failures: buildLineChart({
      id: 'chart-watch-failures',
      title: 'Failed requests per window over time, gateway and backend on one scale',
      x,
      y: { label: 'Failed requests per window', max: maxOf(failures.flatMap((s) => s.line.map((p) => p.y))), floor: 4, format: (v) => formatTickValue(v) },
      series: failures,
      note: empty ?? (none ? 'No failure in any window' : null),
    }),
    latency: buildLineChart({
      id: 'chart-watch-latency',
      title: 'p95 latency per window over time, gateway and backend on one scale',
      x,
      y: { label: 'p95 latency (ms)', max: maxOf(report.timeline.flatMap((w) => routes.map((r) => w.targets[r]?.p95Ms ?? 0))), floor: 10, format: (v) => (v < 10 ? formatTickValue(v) : formatCount(v)) },
      series: seriesOf((c) => c.p95Ms, (n) => n > 0),
      note: empty,
    }),
  };
}

/** Ticks at a round number of seconds (5 s, 10 s, 30 s, 1 min, …), six or so over the span. */
function timeTicks(spanMs: number): { at: number; label: string }[] {
  const rounds = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600].map((s) => s * 1000);
  const step = rounds.find((ms) => spanMs / ms <= 8) ?? niceStep(spanMs / 8);
  const ticks: { at: number; label: string }[] = [];
  for (let at = 0; at <= spanMs + 1e-9; at += step) ticks.push({ at, label: formatOffset(at) });
  return ticks;
}
