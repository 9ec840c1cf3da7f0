/**
 * Item 2 of issue 14: every request that leaves the machine counts against --max-requests,
 * redirects included, for both engines; the report says how many were redirects; with
 * --ignore-redirects a 3xx is the answer. Counted at the server. newman runs both in one thread and
 * over the worker pool, whose threads take from the ramp's allowance in shared memory; the fast
 * engine both as users (--mode concurrency) and as arrivals (--mode rate).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { captureIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { readRampReport } from '../../src/report/index.js';
import { writeLabFiles } from '../ramp/helpers.js';
import { startHostileServer, type HostileServer } from './servers.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'debug502-redirects-'));
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function withServer<T>(server: Promise<HostileServer>, fn: (server: HostileServer, files: { collection: string; environment: string }) => Promise<T>): Promise<T> {
  const s = await server;
  try {
    const files = await writeLabFiles(dir, { gateway: s.url, backend: s.url });
    return await fn(s, files);
  } finally {
    await s.close();
  }
}

async function cli(argv: string[]) {
  const io = captureIo({ cwd: dir });
  const code = await main(argv, io);
  return { code, text: io.text() };
}

const ENGINE_ARGS: Record<string, string[]> = {
  'newman-pool': ['--engine', 'newman', '--workers', '2'],
  newman: ['--engine', 'newman', '--workers', '1'],
  fast: ['--engine', 'fast'],
};

describe.each(Object.keys(ENGINE_ARGS))('--engine %s', (engine) => {
  test('a backend that redirects for ever never receives more than --max-requests', async () => {
    await withServer(startHostileServer('redirect'), async (server, files) => {
      const { code } = await cli(['ramp', '--collection', files.collection, '--environment', files.environment, ...ENGINE_ARGS[engine],
        '--max-requests', '30', '--requests-per-step', '4', '--max', '4', '--report-dir', `loop-${engine}`, '--formats', 'json']);
      expect(code).toBe(3);
      expect(server.received()).toBeLessThanOrEqual(30);
      expect(server.received()).toBeGreaterThan(4);
      const report = await readRampReport(join(dir, `loop-${engine}`, 'ramp.json'));
      expect(report.meta.aborted?.reason).toBe('max-requests');
      expect(report.meta.aborted?.message).toContain('redirects count as requests');
    });
  }, 60_000);

  test('redirects followed are counted: at the server, in each step and in the total', async () => {
    await withServer(startHostileServer('redirect', { redirects: 1 }), async (server, files) => {
      const { code } = await cli(['ramp', '--collection', files.collection, '--environment', files.environment, ...ENGINE_ARGS[engine],
        '--requests-per-step', '4', '--max', '2', '--max-requests', '100', '--report-dir', `once-${engine}`, '--formats', 'json']);
      expect(code).toBe(0);
      const report = await readRampReport(join(dir, `once-${engine}`, 'ramp.json'));
      const steps = report.targets.gateway!.steps;
      for (const step of steps) expect(step.redirects).toBe(step.requests);
      const sent = steps.reduce((n, step) => n + step.requests + (step.redirects ?? 0), 0);
      expect(server.received()).toBe(sent);
    });
  }, 60_000);

  test('--ignore-redirects: the 302 is the answer, one request each at the server', async () => {
    await withServer(startHostileServer('redirect'), async (server, files) => {
      const { code } = await cli(['ramp', '--collection', files.collection, '--environment', files.environment, ...ENGINE_ARGS[engine],
        '--ignore-redirects', '--requests-per-step', '4', '--max', '2', '--report-dir', `ignore-${engine}`, '--formats', 'json']);
      expect(code).toBe(0);
      const report = await readRampReport(join(dir, `ignore-${engine}`, 'ramp.json'));
      const steps = report.targets.gateway!.steps;
      expect(server.received()).toBe(steps.reduce((n, step) => n + step.requests, 0));
      for (const step of steps) {
        expect(step.status).toEqual({ '302': step.requests });
        expect(step.redirects).toBeUndefined();
      }
      expect(report.meta.options.followRedirects).toBe(false);
    });
  }, 60_000);
});

test('--mode rate: arrivals that redirect for ever never reach the backend more than --max-requests times', async () => {
  await withServer(startHostileServer('redirect'), async (server, files) => {
    const { code } = await cli(['ramp', '--collection', files.collection, '--environment', files.environment, '--engine', 'fast', '--mode', 'rate',
      '--start-rate', '20', '--max-rate', '40', '--step-duration', '1s', '--max-requests', '30', '--report-dir', 'loop-rate', '--formats', 'json']);
    expect(code).toBe(3);
    expect(server.received()).toBeLessThanOrEqual(30);
    expect(server.received()).toBeGreaterThan(4);
    const report = await readRampReport(join(dir, 'loop-rate', 'ramp.json'));
    expect(report.meta.aborted?.reason).toBe('max-requests');
  });
}, 60_000);

test('run counts the redirects it followed', async () => {
  await withServer(startHostileServer('redirect', { redirects: 1 }), async (server, files) => {
    const { code } = await cli(['run', '--collection', files.collection, '--environment', files.environment, '--report-dir', 'run-redirects', '--reporters', 'json']);
    expect(code).toBe(0);
    const { totals } = JSON.parse(await (await import('node:fs/promises')).readFile(join(dir, 'run-redirects', 'run.json'), 'utf8'));
    expect(totals.redirects).toBe(2);
    expect(server.received()).toBe(4);
  });
}, 60_000);
