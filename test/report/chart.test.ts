import { describe, expect, it } from 'vitest';
import { buildRampChart } from '../../src/report/ramp/chart/ramp-chart.js';
import { pickClearestBox } from '../../src/report/ramp/chart/place-label.js';
import { fitAlignedAxis, fitLinearAxis, log2Domain, niceStep, powerOfTwoTicks } from '../../src/report/ramp/chart/scales.js';
import { buildTarget, gatewayLimitedReport, singleTargetReport } from './fixtures.js';

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

describe('buildRampChart', () => {
  it('draws one line point per concurrency in concurrency order, every step as a marker', () => {
    const report = gatewayLimitedReport();
    const chart = buildRampChart('c', report.targets.gateway!, [502], log2Domain(1, 64));
    const [rate502, p95] = chart.series;
    expect(chart.series.map((s) => s.label)).toEqual(['502 ratio (%)', 'p95 latency (ms)']);
    expect(rate502.line.map((p) => p.x)).toEqual([...rate502.line.map((p) => p.x)].sort((a, b) => a - b));
    expect(rate502.line).toHaveLength(10);
    expect(p95.points).toHaveLength(10);
    expect(chart.breakingPoint?.concurrency).toBe(21);
    expect(chart.leftTicks.at(-1)?.label).toBe('40%');
    expect(chart.note).toBeNull();
  });

  it('adds the all-failures series only when failures differ from 502s', () => {
    const chart = buildRampChart('c', singleTargetReport().targets.gateway!, [502], log2Domain(1, 8));
    expect(chart.series.map((s) => s.label)).toEqual(['502 ratio (%)', '502 + transport errors (%)', 'p95 latency (ms)']);
  });

  it('lets a repeated step replace an underdriven one on the line', () => {
    const target = buildTarget([{ c: 1, p50: 50 }, { c: 2, p50: 50, peak: 1 }, { c: 2, phase: 'repeat', p50: 90 }]);
    const chart = buildRampChart('c', target, [502], log2Domain(1, 2));
    const p95 = chart.series[1];
    expect(p95.line).toHaveLength(2);
    expect(p95.line[1].y).toBe(p95.points[2].y);
    expect(p95.points.map((p) => p.hollow)).toEqual([false, true, false]);
    expect(chart.underdriven).toHaveLength(1);
  });
});
