/** A --mode rate ramp's reports speak in rates: the chart's x axis, the facts, the step tables. */
import { describe, expect, it } from 'vitest';
import type { RampReport } from '../../src/model.js';
import { renderRampReport } from '../../src/report/ramp/index.js';
import { rampReportSchema } from '../../src/report/ramp/ramp-report-schema.js';
import { singleTargetReport } from './fixtures.js';

/** The closed-model fixture as an open-model ramp: level c becomes 50·c req/s, at most 64 in flight. */
function rateReport(): RampReport {
  const report = structuredClone(singleTargetReport());
  report.meta.options = { ...report.meta.options, mode: 'rate', engine: 'fast', startRate: 50, maxRate: 800, stepDurationMs: 1000, maxVus: 64 };
  const gateway = report.targets.gateway!;
  gateway.steps = gateway.steps.map((s) => ({ ...s, rate: s.concurrency * 50, droppedArrivals: 0, concurrency: 64 }));
  gateway.breakingPoint = { ...gateway.breakingPoint!, rate: gateway.breakingPoint!.concurrency * 50, concurrency: 64 };
  gateway.lastPassing = { ...gateway.lastPassing!, rate: gateway.lastPassing!.concurrency * 50, concurrency: 64 };
  return report;
}

describe('rate ramp reports', () => {
  it('is a valid report; HTML and Markdown name the offered rate, not a concurrency', () => {
    const report = rateReport();
    expect(rampReportSchema.safeParse(report).success).toBe(true);
    const files = renderRampReport(report, ['html', 'markdown']);
    const html = files.find((f) => f.name.endsWith('.html'))!.content;
    const markdown = files.find((f) => f.name.endsWith('.md'))!.content;
    expect(html).toContain('Offered rate (requests per second, log₂ scale)');
    expect(html).toContain('350 req/s offered');
    expect(html).not.toContain('Concurrency (virtual users in flight');
    expect(markdown).toContain('| Rate (req/s) |');
    expect(markdown).toContain('350/s');
  });
});
