/**
 * The worker pool (--workers N): the step's users spread over worker threads give the same step —
 * the same breaking point on the lab, exactly, with either engine — and the same stop semantics:
 * a signal stops every worker after its request in flight, and no worker sends past the budget.
 * The merge of the workers' in-flight times is checked on its own first.
 */
import { describe, expect, test } from 'vitest';
import { startLab, startLabBackend } from '../../src/lab/index.js';
import type { RampEngine } from '../../src/model.js';
import { planRampInput, resolveRampOptions, runRamp, type RampEvent } from '../../src/ramp/index.js';
import { mergeTimeline } from '../../src/ramp/workers/timeline.js';
import { labCollection } from './helpers.js';

describe('mergeTimeline', () => {
  test('peak, area and ordinal across two workers', () => {
    // worker A: [0,10] [10,20]; worker B: [5,15] [30,40] — at most 2 at once; ends before starts at the same time.
    const timeline = mergeTimeline([Float64Array.of(0, 10, 10, 20), Float64Array.of(5, 15, 30, 40)], 10);
    expect(timeline.peakInFlight).toBe(2);
    expect(timeline.inFlightArea).toBe(40);
    expect(timeline.firstFailureOrdinal).toBe(3);
    expect(mergeTimeline([], null)).toEqual({ peakInFlight: 0, inFlightArea: 0, firstFailureOrdinal: null });
  });
});

describe('ramp --workers 2 (real worker threads)', () => {
  for (const engine of ['newman', 'fast'] as RampEngine[]) {
    test(`${engine}: the lab's breaking point, exactly (capacity 2 → breaks at 3)`, async () => {
      // Few users and slow answers: even a CPU-starved client holds C requests at once.
      const lab = await startLab({ capacity: 2, latencyMs: 100 });
      try {
        const options = resolveRampOptions({ target: 'gateway', engine, workers: 2, start: 1, max: 4, requestsPerStep: 24 });
        const input = { collection: labCollection(), envVars: { gateway_url: lab.gateway.url, backend_url: lab.backend.url }, options };
        const plan = planRampInput(input);
        expect(plan.workers).toBe(2);
        const report = await runRamp({ ...input, plan });
        const gateway = report.targets.gateway!;
        expect(gateway.breakingPoint?.concurrency, report.verdict.message).toBe(3);
        expect(gateway.lastPassing?.concurrency).toBe(2);
        const held = gateway.steps.find((s) => s.concurrency === 2 && !s.failed && !s.underdriven)!;
        expect(held.peakInFlight).toBe(2);
        expect(held.requests).toBe(24);
        expect(held.first502AtRequest).toBeNull();
        const broken = gateway.steps.find((s) => s.concurrency === 3)!;
        expect(broken.first502AtRequest).toBeGreaterThanOrEqual(1);
        expect(report.meta.options.workers).toBe(2);
      } finally {
        await lab.close();
      }
    }, 60_000);
  }

  test('a stop mid-step ends every worker after its request in flight; nothing past the budget reaches the server', async () => {
    const backend = await startLabBackend({ latencyMs: 20 });
    const controller = new AbortController();
    try {
      const options = resolveRampOptions({ target: 'backend', engine: 'newman', workers: 2, start: 4, max: 4, requestsPerStep: 400 });
      const report = await runRamp(
        { collection: labCollection(), envVars: { backend_url: backend.url }, options },
        { signal: controller.signal, onProgress: (event: RampEvent) => event.type === 'step-progress' && event.done >= 20 && controller.abort() },
      );
      expect(report.meta.aborted?.reason).toBe('interrupted');
      expect(report.targets.backend!.steps).toHaveLength(0);
      // 4 users, each with at most one request in flight at the stop (newman may have its next one queued).
      expect(backend.stats().requests).toBeLessThan(60);
    } finally {
      await backend.close();
    }
  }, 60_000);
});
