/**
 * Item 1 and 7 of issue 14: a backend that sends its headers and then one body byte every 300 ms
 * defeats no bound. --timeout-request is a total deadline per request (both engines, run and
 * ramp), --max-duration and the first SIGINT abort the requests in flight, the report of the
 * finished steps is written, and a second signal exits at once. Elapsed times are generous bounds
 * for a loaded 2-core machine, never speed claims.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { captureIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { runFast, runNewman } from '../../src/engines/index.js';
import type { RequestOutcome } from '../../src/model.js';
import { readRampReport } from '../../src/report/index.js';
import { writeLabFiles } from '../ramp/helpers.js';
import { BIN, REPO, spawnBin, waitFor } from './processes.js';
import { startHostileServer, type HostileServer } from './servers.js';

let trickle: HostileServer;
let dir: string;
let files: { collection: string; environment: string };

beforeAll(async () => {
  if (!existsSync(BIN)) expect(spawnSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: REPO, encoding: 'utf8' }).status).toBe(0);
  trickle = await startHostileServer('trickle', { trickleMs: 300 });
  dir = await mkdtemp(join(tmpdir(), 'debug502-trickle-'));
  files = await writeLabFiles(dir, { gateway: trickle.url, backend: trickle.url });
});
afterAll(async () => {
  await trickle?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

function collectionOf(url: string) {
  return { info: { name: 't', schema: 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json' }, item: [{ name: 'slow', request: { method: 'GET', url: `${url}/api/users` } }] };
}

describe.each([['newman', runNewman], ['fast', runFast]] as const)('%s engine: --timeout-request is a total deadline', (_name, engine) => {
  test.each([300, 1000])('a trickling body is cut at %i ms, as ESOCKETTIMEDOUT', async (timeoutMs) => {
    const outcomes: RequestOutcome[] = [];
    const started = performance.now();
    await engine({ collection: collectionOf(trickle.url), timeoutRequestMs: timeoutMs }, { onOutcome: (o) => outcomes.push(o) });
    const elapsedMs = performance.now() - started;
    expect(outcomes).toHaveLength(1);
    expect(outcomes[0].error).toBe('ESOCKETTIMEDOUT');
    expect(outcomes[0].latencyMs).toBeGreaterThanOrEqual(timeoutMs - 5);
    // A bound, not a speed claim (it includes loading newman on a busy machine): without the deadline the body never ends.
    expect(elapsedMs).toBeLessThan(timeoutMs + 20_000);
  });

  test('the stop signal cuts the request in flight: no outcome, resolved at once', async () => {
    const outcomes: RequestOutcome[] = [];
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 400);
    const started = performance.now();
    await engine({ collection: collectionOf(trickle.url), timeoutRequestMs: 60_000, signal: controller.signal }, { onOutcome: (o) => outcomes.push(o) });
    expect(performance.now() - started).toBeLessThan(3000);
    expect(outcomes).toEqual([]);
  });
});

test('fast engine: short timeouts fire close to their value (no coarse per-wait socket timer)', async () => {
  for (const timeoutMs of [100, 300, 500]) {
    const outcomes: RequestOutcome[] = [];
    await runFast({ collection: collectionOf(trickle.url), timeoutRequestMs: timeoutMs }, { onOutcome: (o) => outcomes.push(o) });
    expect(outcomes[0].error).toBe('ESOCKETTIMEDOUT');
    // Generous for a loaded machine; the old timers were off by 500–900 ms.
    expect(outcomes[0].latencyMs - timeoutMs).toBeLessThan(250);
  }
});

describe.each(['newman', 'fast'])('ramp --engine %s against a trickling backend', (engine) => {
  test('--timeout-request 1000 --max-duration 5s: ends within its bounds, exit 3, report written', async () => {
    const io = captureIo({ cwd: dir });
    const started = performance.now();
    const code = await main(['ramp', '--collection', files.collection, '--environment', files.environment, '--engine', engine,
      '--timeout-request', '1000', '--max-duration', '5s', '--max', '4', '--requests-per-step', '1', '--report-dir', `out-${engine}`], io);
    expect(performance.now() - started).toBeLessThan(20_000);
    expect(code).toBe(3);
    const report = await readRampReport(join(dir, `out-${engine}`, 'ramp.json'));
    expect(report.meta.aborted).toBeDefined();
    // Nothing answers whole within 1 s: the first step's one request timed out (unless a loaded machine hit --max-duration first).
    const [first] = report.targets.gateway!.steps;
    if (first) expect(Object.keys(first.transportErrors)).toEqual(['ESOCKETTIMEDOUT']);
    else expect(report.meta.aborted?.reason).toBe('max-duration');
  }, 30_000);

  test('--max-duration cuts the requests in flight: exit 3 within a few seconds of it', async () => {
    const io = captureIo({ cwd: dir });
    const started = performance.now();
    const code = await main(['ramp', '--collection', files.collection, '--environment', files.environment, '--engine', engine,
      '--timeout-request', '60s', '--max-duration', '2s', '--max', '4', '--requests-per-step', '4', '--report-dir', `md-${engine}`], io);
    expect(performance.now() - started).toBeLessThan(2000 + 5000);
    expect(code).toBe(3);
    const report = await readRampReport(join(dir, `md-${engine}`, 'ramp.json'));
    expect(report.meta.aborted?.reason).toBe('max-duration');
  }, 30_000);
});


describe.each(['newman', 'fast'])('SIGINT on a stuck ramp (--engine %s)', (engine) => {
  test('the first SIGINT aborts the requests in flight: exit 130 within a few seconds, ramp.json written', async () => {
    const received = trickle.received();
    const run = spawnBin(['ramp', '--collection', files.collection, '--environment', files.environment, '--engine', engine,
      '--timeout-request', '60s', '--max', '2', '--requests-per-step', '2', '--report-dir', `sig-${engine}`, '--formats', 'json'], dir);
    await waitFor(() => trickle.received() > received);
    const signalledAt = performance.now();
    run.child.kill('SIGINT');
    const { code, atMs } = await run.exit;
    expect(run.output()).toContain('SIGINT: stopping');
    expect(code).toBe(130);
    expect(atMs - signalledAt).toBeLessThan(5000);
    const report = await readRampReport(join(dir, `sig-${engine}`, 'ramp.json'));
    expect(report.meta.aborted?.reason).toBe('interrupted');
  }, 45_000);
});

test('a second SIGINT exits at once', async () => {
  const received = trickle.received();
  const run = spawnBin(['run', '--collection', files.collection, '--environment', files.environment, '--timeout-request', '60s', '--report-dir', 'twice'], dir);
  await waitFor(() => trickle.received() > received);
  run.child.kill('SIGINT');
  run.child.kill('SIGINT');
  const signalledAt = performance.now();
  const { code, atMs } = await run.exit;
  expect(code).toBe(130);
  expect(atMs - signalledAt).toBeLessThan(3000);
}, 45_000);

test('run against a trickling backend: --timeout-request 1000 ends it, each request ESOCKETTIMEDOUT', async () => {
  const io = captureIo({ cwd: dir });
  const started = performance.now();
  const code = await main(['run', '--collection', files.collection, '--environment', files.environment, '--timeout-request', '1000', '--report-dir', 'run-out'], io);
  expect(code).toBe(1);
  // The lab collection has a handful of requests, each cut at 1 s.
  expect(performance.now() - started).toBeLessThan(20_000);
  expect(io.text()).toContain('ESOCKETTIMEDOUT');
}, 30_000);

test('run: the first SIGINT cuts the request in flight, exit 130 with the report', async () => {
  const received = trickle.received();
  const run = spawnBin(['run', '--collection', files.collection, '--environment', files.environment, '--timeout-request', '60s', '--report-dir', 'run-sig'], dir);
  await waitFor(() => trickle.received() > received);
  const signalledAt = performance.now();
  run.child.kill('SIGINT');
  const { code, atMs } = await run.exit;
  expect(code).toBe(130);
  expect(atMs - signalledAt).toBeLessThan(5000);
  expect(existsSync(join(dir, 'run-sig', 'run.json'))).toBe(true);
}, 45_000);
