import { describe, expect, it } from 'vitest';
import { buildLineChart } from '../../src/report/chart/line-chart.js';
import { pickClearestBox } from '../../src/report/chart/place-label.js';
import { fitAlignedAxis, fitLinearAxis, log2Domain, niceStep, powerOfTwoTicks } from '../../src/report/chart/scales.js';
import { buildRampCharts } from '../../src/report/ramp/chart/ramp-charts.js';
import { BASE_OPTIONS, buildTarget, gatewayLimitedReport, singleTargetReport } from './fixtures.js';

describe('chart scales', () => {
  it('picks nice steps and axes that cover the data', () => {
    expect([0.3, 1, 1.2, 2.2, 4, 7, 26, 180].map(niceStep)).toEqual([0.5, 1, 2, 2.5, 5, 10, 50, 200]);
    expect(fitLinearAxis(30.5, 4, 1)).toEqual({ step: 10, intervals: 4, top: 40 });
    expect(fitLinearAxis(0, 4, 1)).toEqual({ step: 0.25, intervals: 4, top: 1 });
    expect(fitLinearAxis(100, 4, 1).top).toBe(100);
    // The right axis takes the left one's interval count so the grid lines serve both.
    expect(fitAlignedAxis(89, 4, 10)).toEqual({ step: 25, intervals: 4, top: 100 });
    expect(fitAlignedAxis(0, 3, 10).top).toBeGreaterThanOrEqual(10);
  });

  it('spans a log2 domain with room at both ends and labels powers of two', () => {
    const [low, high] = log2Domain(1, 64);
    expect(low).toBeLessThan(0);
    expect(high).toBeGreaterThan(6);
    expect(powerOfTwoTicks([low, high], 12)).toEqual([1, 2, 4, 8, 16, 32, 64]);
    expect(powerOfTwoTicks(log2Domain(1, 4096), 7)).toEqual([1, 4, 16, 64, 256, 1024, 4096]);
    expect(powerOfTwoTicks(log2Domain(1, 4096), 6)).toEqual([1, 16, 256, 4096]);
    const single = log2Domain(8, 8);
    expect(single[0]).toBeLessThan(3);
    expect(single[1]).toBeGreaterThan(3);
  });

  it('places a label where the lines are not', () => {
    const flatAtTop = [{ x: 0, y: 10 }, { x: 100, y: 10 }];
    const candidates = [{ x: 10, y: 5, width: 50, height: 20 }, { x: 10, y: 60, width: 50, height: 20 }];
    expect(pickClearestBox(candidates, [flatAtTop])).toBe(1);
    expect(pickClearestBox(candidates, [])).toBe(0);
  });
});

describe('buildRampCharts', () => {
  it('draws each target once per chart, one line point per level in level order, every step as a marker, on one scale', () => {
    const report = gatewayLimitedReport();
    const { failures, latency } = buildRampCharts(report);
    expect(failures.series.map((s) => s.label)).toEqual(['through the gateway', 'direct to the backend']);
    const [gateway, backend] = failures.series;
    expect(gateway.line.map((p) => p.x)).toEqual([...gateway.line.map((p) => p.x)].sort((a, b) => a - b));
    expect(gateway.line).toHaveLength(10);
    expect(gateway.points).toHaveLength(10);
    expect(backend.points).toHaveLength(7);
    // 61 of 200 failed at 32: the axis tops out at 40%, for both series.
    expect(failures.yTicks.at(-1)?.label).toBe('40%');
    expect(failures.marks.map((m) => [m.data, m.label])).toEqual([['21', 'gateway breaks at 21']]);
    expect(latency.marks).toHaveLength(1);
    expect(failures.note).toBeNull();
    expect(latency.series.map((s) => s.points.length)).toEqual([10, 7]);
  });

  it('charts the failure share, what fails a step: 502s and transport errors alike', () => {
    const { failures } = buildRampCharts(singleTargetReport());
    const step = singleTargetReport().targets.gateway!.steps[3];
    expect(step.failureRate).toBeGreaterThan(step.rate502);
    const bottom = failures.plot.bottom;
    const top = Number(failures.yTicks.at(-1)!.label.replace('%', ''));
    expect(failures.series[0].points[3].y).toBeCloseTo(bottom - (100 * step.failureRate / top) * failures.plot.height, 0);
  });

  it('lets a repeated step replace an underdriven one on the line', () => {
    const target = buildTarget([{ c: 1, p50: 50 }, { c: 2, p50: 50, peak: 1 }, { c: 2, phase: 'repeat', p50: 90 }]);
    const report = { ...gatewayLimitedReport(), targets: { gateway: target } };
    const { latency } = buildRampCharts(report);
    const [p95] = latency.series;
    expect(p95.line).toHaveLength(2);
    expect(p95.line[1].y).toBe(p95.points[2].y);
    expect(p95.points.map((p) => p.hollow)).toEqual([false, true, false]);
    expect(latency.bands).toHaveLength(1);
  });
});

describe('buildLineChart', () => {
  it('keeps the labels of two marks apart and off the lines', () => {
    const chart = buildLineChart({
      id: 'c', title: 't', x: { scale: 'linear', max: 100, label: 'x', ticks: [] },
      y: { label: 'y', max: 10, floor: 1, format: String },
      series: [{ label: 's', color: '#000', dash: 'none', marker: 'circle', line: [{ x: 0, y: 10 }, { x: 100, y: 10 }], points: [] }],
      marks: [{ at: 50, label: 'first mark', color: '#000', data: '50' }, { at: 51, label: 'second mark', color: '#000', data: '51' }],
    });
    const [a, b] = chart.marks;
    const apart = a.boxY + 20 <= b.boxY || b.boxY + 20 <= a.boxY || a.boxX + a.boxWidth <= b.boxX || b.boxX + b.boxWidth <= a.boxX;
    expect(apart).toBe(true);
    // The line runs along the top (y = 10 of 10): neither label sits on it.
    for (const mark of chart.marks) expect(mark.boxY).toBeGreaterThan(chart.plot.top + 4);
  });

  it('draws no legend entry for what it does not draw', () => {
    const { failures } = buildRampCharts({ ...gatewayLimitedReport(), meta: { ...gatewayLimitedReport().meta, options: BASE_OPTIONS } });
    expect(failures.legend.map((l) => l.label)).toEqual(['through the gateway', 'direct to the backend', 'breaking point']);
  });
});
