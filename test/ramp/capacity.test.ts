/**
 * The breaking point against real nginx and the lab backend capped at K requests in flight (50 ms
 * per answer): the gateway must break at exactly K+1 — the (K+1)-th concurrent request is dropped
 * by the backend and nginx answers 502 — and hold at K.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { main } from '../../src/cli/main.js';
import { captureIo } from '../../src/cli/io.js';
import { startLab } from '../../src/lab/index.js';
import type { RampReport, TargetResult } from '../../src/model.js';
import { RAMP_DEFAULTS, runRamp } from '../../src/ramp/index.js';
import { readRampReport } from '../../src/report/index.js';
import { labCollection, writeLabFiles } from './helpers.js';

const REQUESTS_PER_STEP = 40;
const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

/** Checks a gateway ramp against a backend of capacity K; returns the decided steps' levels. */
function expectBreaksAt(result: TargetResult, k: number): number[] {
  expect(result.breakingPoint?.concurrency).toBe(k + 1);
  expect(result.lastPassing?.concurrency).toBe(k);
  expect(result.underdriven).toBe(false);
  for (const step of result.steps) {
    expect(step.requests).toBe(REQUESTS_PER_STEP);
    // Above K some request always finds the backend full; at K or below none ever does.
    expect(step.failed).toBe(step.concurrency > k);
    if (step.failed) expect(step.status['502']).toBe(step.failures);
    expect((step.status['200'] ?? 0) + (step.status['502'] ?? 0)).toBe(step.requests);
  }
  expect(result.first502AtRequest).toBe(result.steps.find((s) => s.failed)!.first502AtRunRequest);
  return result.steps.filter((s) => s.phase !== 'repeat').map((s) => s.concurrency);
}

describe('gateway breaking point = backend capacity + 1 (real nginx, lab backend, 50 ms)', () => {
  test.each([
    // From 2: a step at concurrency 1 (40 requests one after another) is the slowest and adds nothing here.
    { k: 3, levels: [2, 4, 3] },
    { k: 5, levels: [2, 4, 8, 6, 5] },
  ])('K=$k', async ({ k, levels }) => {
    const lab = await startLab({ capacity: k, latencyMs: 50, gateway: 'nginx' });
    let report: RampReport;
    try {
      report = await runRamp({
        collection: labCollection(),
        envVars: { gateway_url: lab.gateway.url, backend_url: lab.backend.url },
        options: { ...RAMP_DEFAULTS, start: 2, max: 8, requestsPerStep: REQUESTS_PER_STEP },
      });
      const stats = lab.backend.stats();
      expect(stats.peakInFlight).toBe(k);
      expect(stats.rejected).toBe(report.targets.gateway!.steps.reduce((n, s) => n + s.failures, 0));
    } finally {
      await lab.close();
    }
    expect(expectBreaksAt(report.targets.gateway!, k)).toEqual(levels);
    expect(report.verdict.code).toBe('breaking-point');
    expect(report.meta.aborted).toBeUndefined();
  });

  test('K=2 through the CLI: --min-capacity 4 fails the gate (exit 1), reports written', async () => {
    const k = 2;
    const dir = await mkdtemp(join(tmpdir(), 'debug502-ramp-'));
    dirs.push(dir);
    const lab = await startLab({ capacity: k, latencyMs: 50, gateway: 'nginx' });
    const io = captureIo({ cwd: dir });
    let code: number;
    try {
      const files = await writeLabFiles(dir, { gateway: lab.gateway.url, backend: lab.backend.url });
      code = await main(['ramp', '--collection', files.collection, '--environment', files.environment, '--max', '4',
        '--requests-per-step', String(REQUESTS_PER_STEP), '--min-capacity', '4', '--report-dir', 'out'], io);
    } finally {
      await lab.close();
    }
    expect(io.err.join('')).toBe('');
    expect(code).toBe(1);
    const report = await readRampReport(join(dir, 'out', 'ramp.json'));
    expect(expectBreaksAt(report.targets.gateway!, k)).toEqual([1, 2, 4, 3]);
    const out = io.out.join('');
    expect(out).toContain('Ramp plan: gateway, concurrency 1 → 2 → 4');
    expect(out).toContain('gateway: breaking point at concurrency 3, held at 2');
    expect(out).toContain('gate FAILED: --min-capacity 4: the gateway breaks at concurrency 3, below 4.');
    expect(out).toMatch(/reports: out\/ramp\.json, out\/ramp\.md, out\/ramp\.html, out\/ramp\.junit\.xml/);
    expect(await readFile(join(dir, 'out', 'ramp.junit.xml'), 'utf8')).toContain('<testsuite');
  });
});
