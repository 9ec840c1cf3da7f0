/**
 * The average of requests in flight: the recorder's time-weighted integral (on a hand-driven clock),
 * the verdict and summary wording that uses it, and the step tables that show it.
 */
import { describe, expect, test } from 'vitest';
import type { RampReport, StepResult } from '../../src/model.js';
import { createStepRecorder, decideRampVerdict, formatRampSummary, formatStepLine, RAMP_DEFAULTS, summarizeTarget } from '../../src/ramp/index.js';
import { rampReportSchema, renderHtml, renderMarkdown } from '../../src/report/index.js';
import { fakeStep } from './helpers.js';
import { FAST_ENGINE_HINT } from '../../src/ramp/client-load.js';

function manualClock() {
  let t = 0;
  return { clock: { now: () => t, cpuUsage: () => ({ user: 0, system: 0 }) }, at: (ms: number) => void (t = ms) };
}

const failOn = [502];
const judge = (steps: StepResult[]) => decideRampVerdict({ gateway: summarizeTarget(steps) }, { failOn, max: 16 });

describe('the step recorder', () => {
  test('integrates in-flight requests over time: 2 for 10 ms, 1 for 10, 0 for 0, 1 for 20 → 50 over 40 ms = 1.25', () => {
    const { clock, at } = manualClock();
    const recorder = createStepRecorder({ concurrency: 2, phase: 'ramp', failOn, threshold: 0, runRequestsBefore: 0 }, clock);
    const a = recorder.requestStarted();
    const b = recorder.requestStarted();
    at(10);
    recorder.responseArrived();
    recorder.recordOutcome(a, { status: 200, latencyMs: 10 });
    at(20);
    recorder.responseArrived();
    recorder.recordOutcome(b, { status: 200, latencyMs: 20 });
    const c = recorder.requestStarted();
    at(40);
    recorder.responseArrived();
    recorder.recordOutcome(c, { status: 502, latencyMs: 20 });
    const result = recorder.finish();
    expect(result).toMatchObject({ requests: 3, peakInFlight: 2, avgInFlight: 1.25, durationMs: 40, failures: 1, underdriven: false });
  });

  test('idle time before the first request counts (a step also waits for newman to start), and a stray response never goes below zero', () => {
    const { clock, at } = manualClock();
    const recorder = createStepRecorder({ concurrency: 1, phase: 'ramp', failOn, threshold: 0, runRequestsBefore: 0 }, clock);
    recorder.responseArrived();
    at(30);
    const a = recorder.requestStarted();
    at(40);
    recorder.responseArrived();
    recorder.recordOutcome(a, { status: 200, latencyMs: 10 });
    expect(recorder.finish()).toMatchObject({ peakInFlight: 1, avgInFlight: 0.25 });
    const empty = createStepRecorder({ concurrency: 1, phase: 'ramp', failOn, threshold: 0, runRequestsBefore: 0 }, manualClock().clock).finish();
    expect(empty).toMatchObject({ requests: 0, avgInFlight: 0 });
  });
});

describe('verdict and summary wording', () => {
  const held = [fakeStep(4, { avg: 3.1 }), fakeStep(8, { avg: 3.4 }), fakeStep(16, { avg: 3.46 })];

  test('a target that held at C with a far lower average: the throughput caveat, with the figures', () => {
    const verdict = judge(held);
    expect(verdict.code).toBe('no-breaking-point');
    // A caveat, said after the answer: the message itself is the answer.
    expect(verdict.message).toBe('The gateway held up to concurrency 16: no step had more failures than the threshold.');
    expect(verdict.caveats).toContain(
      'At concurrency 16 the load generator had 16 requests in flight at the peak but 3.5 on average (100 req/s): "the gateway held at 16" rules out a concurrency limit (max_conns, a worker or connection cap) up to 16, not a throughput limit above 100 req/s. ' +
        FAST_ENGINE_HINT,
    );
    expect(formatRampSummary({ targets: { gateway: summarizeTarget(held) }, verdict, meta: { options: RAMP_DEFAULTS } } as unknown as RampReport, [])).toContain(`caveat: At concurrency 16 the load generator had 16`);
    const summary = formatRampSummary({ targets: { gateway: summarizeTarget(held) }, verdict, meta: { options: RAMP_DEFAULTS } } as unknown as RampReport, []);
    expect(summary).toContain('gateway: no breaking point, held up to concurrency 16 (avg 3.5 in flight) — 3 steps, 300 requests');
  });

  test('no caveat without an average (older reports) or when the average is at least half of C', () => {
    expect(judge([fakeStep(16)]).caveats).toBeUndefined();
    expect(judge([fakeStep(16, { avg: 8 })]).caveats).toBeUndefined();
    expect(formatRampSummary({ targets: { gateway: summarizeTarget([fakeStep(16)]) }, verdict: judge([fakeStep(16)]), meta: { options: RAMP_DEFAULTS } } as unknown as RampReport, []))
      .toContain('held up to concurrency 16 —');
  });

  test('the saturation and underdriven sentences carry the average', () => {
    const saturated = judge([fakeStep(16, { avg: 3.2, cpu: 120 })]);
    const caveats = saturated.caveats!.join(' ');
    expect(caveats).toContain('its requests went out late (on average 3.2 in flight), so "the gateway held at 16" is an upper bound');
    expect(caveats).not.toContain('load generator had');
    const open = judge([fakeStep(16, { peak: 6, avg: 2.5 }), fakeStep(16, { peak: 6, avg: 2.5, phase: 'repeat' }), fakeStep(16, { peak: 6, avg: 2.5, phase: 'repeat' })]);
    expect(open.code).toBe('inconclusive');
    expect(open.message).toContain('at concurrency 16 at most 6 requests were in flight at once, 2.5 on average (client CPU 20% of one core)');
  });

  test('the progress line shows the average next to the peak', () => {
    expect(formatStepLine('gateway', fakeStep(8, { avg: 3.39 }))).toContain('in flight 8/8 (avg 3.39)');
    expect(formatStepLine('gateway', fakeStep(8))).toMatch(/in flight 8\/8 {2}cpu/);
  });
});

describe('step tables', () => {
  const report = (steps: StepResult[]): RampReport => {
    const gateway = summarizeTarget(steps);
    const value: RampReport = {
      schemaVersion: 2,
      meta: { tool: 'debug502', version: '0.0.0', collection: 'c.json', environment: 'e.json', startedAt: '2026-01-01T00:00:00Z', durationMs: 1000, options: { ...RAMP_DEFAULTS, failOn: [502] } },
      targets: { gateway },
      verdict: decideRampVerdict({ gateway }, { failOn, max: 16 }),
    };
    expect(rampReportSchema.safeParse(value).success).toBe(true);
    return value;
  };

  test('Markdown: an "Avg in flight" column when the steps have it, none for older reports', () => {
    const markdown = renderMarkdown(report([fakeStep(4, { avg: 2.3 }), fakeStep(8, { avg: 3.39 })]))[0].content;
    expect(markdown).toContain('| Peak in flight | Avg in flight | Result |');
    expect(markdown).toMatch(/\| 8\/8 \| 3\.4 \| ✅ pass/);
    expect(renderMarkdown(report([fakeStep(4), fakeStep(8)]))[0].content).not.toContain('Avg in flight');
  });

  test('HTML: an "Avg in flight" column beside the peak, only for reports that measured it', () => {
    const html = renderHtml(report([fakeStep(8, { avg: 3.39 })]))[0].content;
    expect(html).toContain('>Avg in flight</th>');
    expect(html).toMatch(/<td>8\/8<\/td>\s*<td>3\.4<\/td>/);
    expect(renderHtml(report([fakeStep(8)]))[0].content).not.toContain('Avg in flight');
  });
});
