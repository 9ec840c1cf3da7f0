/**
 * The distributed run, for real: the exported locustfile on a Locust master with two workers (all on
 * 127.0.0.1, free ports), through real nginx to the lab backend holding K requests in flight. The
 * shape's live search must end at the breaking point of a capacity it was not told, and
 * `report --from-locust` must turn the CSVs into the usual reports with that breaking point: K+1
 * (±1: a step is judged on a few seconds, not a request budget).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { captureIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { findNginx, reserveFreePort, startLab } from '../../src/lab/index.js';
import { expectLocustBreakingPoint, findLocust, runBounded } from './locust.js';
import { writeLabFiles } from '../ramp/helpers.js';

const K = 3;
const locust = findLocust();
const nginx = findNginx();
const skip = 'missing' in locust ? locust.missing : !nginx ? 'nginx is not installed (apt-get install nginx-light)' : '';
if (skip) console.log(`distributed Locust test skipped: ${skip}`);

const dirs: string[] = [];
const children: ChildProcess[] = [];
afterAll(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

describe.skipIf(Boolean(skip))('a Locust master with two workers finds the breaking point', () => {
  test(`backend capacity ${K} behind real nginx → breaking point ${K + 1} (±1) in the Locust CSVs and the report`, async () => {
    const { bin } = locust as { bin: string };
    const dir = await mkdtemp(join(tmpdir(), 'debug502-distributed-'));
    dirs.push(dir);
    const lab = await startLab({ capacity: K, latencyMs: 50, gateway: 'nginx' });
    let master;
    try {
      const files = await writeLabFiles(dir, { gateway: lab.gateway.url, backend: lab.backend.url });
      const io = captureIo({ cwd: dir });
      expect(await main(['export', '--to', 'locust', '--collection', files.collection, '--environment', files.environment,
        '--start', '2', '--max', '8', '--step-duration', '4s', '--max-duration', '80s', '--out', 'lt'], io)).toBe(0);
      await mkdir(join(dir, 'results'));
      const port = await reserveFreePort();
      const masterRun = runBounded(bin, ['-f', 'lt/locustfile.py', '--master', '--headless', '--expect-workers', '2',
        '--master-bind-host', '127.0.0.1', '--master-bind-port', String(port), '--csv', 'results/run', '--csv-full-history', '--only-summary'],
        { cwd: dir, timeoutMs: 90_000 });
      for (let i = 0; i < 2; i += 1) {
        const worker = spawn(bin, ['-f', 'lt/locustfile.py', '--worker', '--master-host', '127.0.0.1', '--master-port', String(port)], { cwd: dir, stdio: 'ignore' });
        children.push(worker);
      }
      master = await masterRun;
    } finally {
      await lab.close();
    }
    expect(master.out).not.toContain('pre 2.0');
    expect(master.out).toMatch(/gateway at 4 users: \d+ requests, [1-9]\d* failed -> fail/);
    expect(master.out).toContain('search done');
    expect(master.signal).toBeNull(); // ended by the shape, not by the time bound

    const io = captureIo({ cwd: dir });
    const code = await main(['report', '--from-locust', 'results/run', '--report-dir', 'reports', '--min-capacity', '2'], io);
    expect(io.err.join('')).not.toMatch(/error/);
    expect(code).toBe(0);
    expect((await readdir(join(dir, 'reports'))).sort()).toEqual(['ramp.html', 'ramp.json', 'ramp.junit.xml', 'ramp.md']);
    const { gateway } = await expectLocustBreakingPoint(join(dir, 'reports'), K + 1);
    for (const step of gateway.steps) {
      expect(step.requests).toBeGreaterThan(0);
      // Below the capacity nothing fails; what fails is nginx's 502 for a backend that dropped the connection.
      if (step.concurrency <= K - 1) expect(step.failed).toBe(false);
      if (step.failed) expect(step.status['502']).toBe(step.failures);
    }
    expect(await readFile(join(dir, 'reports', 'ramp.md'), 'utf8')).toContain('Locust');
  }, 120_000);
});
