/**
 * Verdicts and stops against real nginx and the lab backend: a gateway limit (nginx max_conns) in
 * front of an uncapped backend, a backend that is down, a gateway pointed at a dead port, no limit at all, an interrupt mid-ramp, --max-requests, an
 * unreachable gateway, --dry-run and bad input through the CLI.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { main } from '../../src/cli/main.js';
import { captureIo } from '../../src/cli/io.js';
import { reserveDeadPort, startLab, type Lab } from '../../src/lab/index.js';
import type { RampOptions } from '../../src/model.js';
import { RAMP_DEFAULTS, runRamp, type RampEvent } from '../../src/ramp/index.js';
import { readRampReport } from '../../src/report/index.js';
import { decidingSteps, labCollection, levelsTried, writeLabFiles } from './helpers.js';

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'debug502-ramp-'));
  dirs.push(dir);
  return dir;
}

async function withLab<T>(options: Parameters<typeof startLab>[0], fn: (lab: Lab) => Promise<T>): Promise<T> {
  const lab = await startLab({ latencyMs: 50, gateway: 'nginx', ...options });
  try {
    return await fn(lab);
  } finally {
    await lab.close();
  }
}

const small = (overrides: Partial<RampOptions>): RampOptions => ({ ...RAMP_DEFAULTS, start: 2, max: 8, requestsPerStep: 40, ...overrides });

describe('verdicts (real nginx + lab backend)', () => {
  test('nginx max_conns=3 before an uncapped backend, --target both → gateway-limited', async () => {
    const report = await withLab({ maxConns: 3 }, (lab) =>
      runRamp({ collection: labCollection(), envVars: { gateway_url: lab.gateway.url, backend_url: lab.backend.url }, options: small({ target: 'both' }) }),
    );
    const { gateway, backend } = report.targets;
    expect(gateway!.breakingPoint?.concurrency).toBe(4);
    expect(gateway!.lastPassing?.concurrency).toBe(3);
    expect(gateway!.steps.find((s) => s.failed)!.status['502']).toBeGreaterThan(0);
    expect(backend!.breakingPoint).toBeNull();
    expect(backend!.lastPassing?.concurrency).toBe(8);
    expect(levelsTried(backend!.steps)).toEqual([2, 4, 8]);
    expect(report.verdict.code).toBe('gateway-limited');
  });

  test('a backend that is down (fault down), --target both → backend-down at the first level, no stop', async () => {
    const report = await withLab({ fault: { kind: 'down' } }, (lab) =>
      runRamp({ collection: labCollection(), envVars: { gateway_url: lab.gateway.url, backend_url: lab.backend.url }, options: small({ target: 'both', start: 1, requestsPerStep: 20 }) }),
    );
    const { gateway, backend } = report.targets;
    expect(report.meta.aborted).toBeUndefined();
    expect(gateway!.steps.map((s) => [s.concurrency, s.requests, s.status])).toEqual([[1, 20, { '502': 20 }]]);
    expect(backend!.steps.map((s) => [s.concurrency, s.requests, s.transportErrors])).toEqual([[1, 20, { ECONNREFUSED: 20 }]]);
    expect(report.verdict.code).toBe('backend-down');
    expect(report.verdict.message).toContain('answered none of 20 requests at concurrency 1 (ECONNREFUSED ×20)');
    expect(report.verdict.message).toContain('the lowest level tried, because of it: 100% of its requests failed (HTTP 502 ×20)');
  });

  test('a gateway pointed at a dead port (lab --upstream), --target both → gateway-limited, worded as a misconfiguration', async () => {
    const dead = await reserveDeadPort();
    const report = await withLab({ upstream: `127.0.0.1:${dead}` }, (lab) =>
      runRamp({ collection: labCollection(), envVars: { gateway_url: lab.gateway.url, backend_url: lab.backend.url }, options: small({ target: 'both', start: 1, max: 4, requestsPerStep: 20 }) }),
    );
    expect(report.targets.gateway!.steps.map((s) => [s.concurrency, s.status])).toEqual([[1, { '502': 20 }]]);
    expect(report.targets.backend!.breakingPoint).toBeNull();
    expect(report.verdict.code).toBe('gateway-limited');
    expect(report.verdict.message).toContain('Not a load problem: the gateway does not reach the backend');
  });

  test('no limit anywhere → no-breaking-point, every level driven', async () => {
    const report = await withLab({}, (lab) =>
      runRamp({ collection: labCollection(), envVars: { gateway_url: lab.gateway.url, backend_url: lab.backend.url }, options: small({}) }),
    );
    const gateway = report.targets.gateway!;
    // An underdriven step (the client did not reach C) is repeated: the last step at each level is the one that decided.
    expect(decidingSteps(gateway.steps).map((s) => [s.concurrency, s.requests, s.failures, s.peakInFlight])).toEqual([[2, 40, 0, 2], [4, 40, 0, 4], [8, 40, 0, 8]]);
    expect(gateway.steps.every((s) => s.status['200'] === 40 && s.clientCpuPercent > 0 && s.latencyMs.p50 >= 50)).toBe(true);
    // The time-weighted average never exceeds the peak, and requests were in flight for part of every step.
    expect(gateway.steps.every((s) => s.avgInFlight !== undefined && s.avgInFlight > 0 && s.avgInFlight <= s.peakInFlight)).toBe(true);
    expect(report.verdict.code).toBe('no-breaking-point');
  });

  test('interrupt mid-ramp: in-flight requests are cut, no new one starts, completed steps reported', async () => {
    const controller = new AbortController();
    let cut: { requests: number; complete: boolean } | undefined;
    const { report, sentToBackend } = await withLab({}, async (lab) => {
      const report = await runRamp(
        { collection: labCollection(), envVars: { gateway_url: lab.gateway.url, backend_url: lab.backend.url }, options: small({ max: 16, requestsPerStep: 60 }) },
        {
          signal: controller.signal,
          onProgress: (event: RampEvent) => {
            if (event.type === 'step-progress' && event.level === 8 && event.done === 10) controller.abort();
            if (event.type === 'step-end' && !event.complete) cut = { requests: event.answered, complete: event.complete };
          },
        },
      );
      return { report, sentToBackend: lab.backend.stats().requests };
    });
    expect(report.meta.aborted?.reason).toBe('interrupted');
    expect(report.targets.gateway!.steps.map((s) => s.concurrency)).toEqual([2, 4]);
    expect(cut).toBeDefined();
    // The stop cuts the request each of the 8 users had in flight: 10 answered (a few more may
    // have come in the same tick), at most 8 sent and never answered, none started after.
    expect(cut!.requests).toBeGreaterThanOrEqual(10);
    expect(cut!.requests).toBeLessThanOrEqual(18);
    expect(sentToBackend).toBeGreaterThanOrEqual(60 + 60 + cut!.requests);
    expect(sentToBackend).toBeLessThanOrEqual(60 + 60 + cut!.requests + 8);
    expect(report.meta.aborted!.message).toMatch(/after \d+ of its 60 requests/);
  });
});

describe('debug502 ramp (CLI)', () => {
  test('--max-requests: exit 3, the report of the completed steps still written; --dry-run sends nothing', async () => {
    const dir = await tempDir();
    await withLab({}, async (lab) => {
      const files = await writeLabFiles(dir, { gateway: lab.gateway.url, backend: lab.backend.url });
      const args = ['ramp', '--collection', files.collection, '--environment', files.environment, '--requests-per-step', '40', '--max', '8'];
      const dry = captureIo({ cwd: dir });
      // The collection first after the command, as newman takes it: the same plan.
      expect(await main(['ramp', files.collection, ...args.slice(3), '--dry-run'], dry)).toBe(0);
      expect(dry.out.join('')).toContain('concurrency 1 → 2 → 4 → 8');
      expect(lab.backend.stats().requests).toBe(0);

      const io = captureIo({ cwd: dir });
      expect(await main([...args, '--max-requests', '100', '-r', 'json,md'], io)).toBe(3);
      expect(lab.backend.stats().requests).toBe(80);
      expect(io.out.join('')).toContain('stopped (max-requests)');
    });
    expect((await readdir(join(dir, 'reports'))).sort()).toEqual(['ramp.json', 'ramp.md']);
    const report = await readRampReport(join(dir, 'reports', 'ramp.json'));
    expect(report.meta.aborted?.reason).toBe('max-requests');
    expect(report.targets.gateway!.steps.map((s) => s.concurrency)).toEqual([1, 2]);
    expect(report.verdict.code).toBe('inconclusive');
  });

  test('a gateway nobody answers at: exit 3 (unreachable), report written', async () => {
    const dir = await tempDir();
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const files = await writeLabFiles(dir, { gateway: `http://127.0.0.1:${port}`, backend: `http://127.0.0.1:${port}` });
    const io = captureIo({ cwd: dir });
    const code = await main(['ramp', '--collection', files.collection, '--environment', files.environment, '--requests-per-step', '5', '--target', 'both'], io);
    expect(code).toBe(3);
    const report = await readRampReport(join(dir, 'reports', 'ramp.json'));
    expect(report.meta.aborted?.reason).toBe('unreachable');
    expect(report.targets.gateway!.steps[0].transportErrors).toEqual({ ECONNREFUSED: 5 });
    expect(report.targets.backend).toBeUndefined();
  });

  test('bad input: every problem listed, exit 2, nothing sent', async () => {
    const dir = await tempDir();
    const files = await writeLabFiles(dir, { gateway: 'http://127.0.0.1:9', backend: 'http://127.0.0.1:9' });
    const io = captureIo({ cwd: dir });
    const code = await main(['ramp', '--collection', files.collection, '--environment', files.environment, '--max', '2000', '--factor', '1', '--fail-on', 'abc', '--max-duration', 'soon'], io);
    expect(code).toBe(2);
    const err = io.err.join('');
    for (const option of ['--max:', '--factor:', '--fail-on:', '--max-duration:']) expect(err).toContain(option);
    const formats = captureIo({ cwd: dir });
    expect(await main(['ramp', '--collection', files.collection, '-r', 'pdf'], formats)).toBe(2);
    expect(formats.err.join('')).toContain('--reporters: unknown reporter "pdf"');
    const missing = captureIo({ cwd: dir });
    expect(await main(['ramp', '--collection', 'nope.json'], missing)).toBe(2);
    expect(missing.err.join('')).toContain('file not found');
  });
});
