/**
 * The exported locustfile's `--target both` run, for real: Locust in one process, and a Locust master
 * with two workers (all on 127.0.0.1, free ports), through real nginx to the lab backend holding K
 * requests in flight. The shape's live search must run each level with exactly that many users of
 * its own target (the gateway's users all stopped before the backend's start: issue 30, item 5),
 * and `report --from-locust` must read back both sides' steps and the breaking point K+1 on each.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { captureIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { findNginx, reserveFreePort, startLab } from '../../src/lab/index.js';
import type { RampReport } from '../../src/model.js';
import { findLocust, runBounded, type Finished } from './locust.js';
import { writeLabFiles } from '../ramp/helpers.js';

const K = 2;
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

const CSV = ['--csv', 'results/run', '--csv-full-history', '--only-summary'];

/** Locust with the exported file: one process, or a master and two workers; bounded in time. */
async function runLocust(bin: string, dir: string, workers: number): Promise<Finished> {
  if (workers === 0) return runBounded(bin, ['-f', 'lt/locustfile.py', '--headless', ...CSV], { cwd: dir, timeoutMs: 90_000 });
  const port = await reserveFreePort();
  const master = runBounded(bin, ['-f', 'lt/locustfile.py', '--master', '--headless', '--expect-workers', String(workers),
    '--master-bind-host', '127.0.0.1', '--master-bind-port', String(port), ...CSV], { cwd: dir, timeoutMs: 90_000 });
  for (let i = 0; i < workers; i += 1) {
    children.push(spawn(bin, ['-f', 'lt/locustfile.py', '--worker', '--master-host', '127.0.0.1', '--master-port', String(port)], { cwd: dir, stdio: 'ignore' }));
  }
  return master;
}

describe.skipIf(Boolean(skip)).each([['one process', 0], ['a master with two workers', 2]] as const)('Locust --target both, %s', (_name, workers) => {
  test(`backend capacity ${K} behind real nginx → breaking point ${K + 1} on both sides, each level run by its own target's users alone`, async () => {
    const { bin } = locust as { bin: string };
    const dir = await mkdtemp(join(tmpdir(), 'debug502-distributed-'));
    dirs.push(dir);
    const lab = await startLab({ capacity: K, latencyMs: 50, gateway: 'nginx' });
    let run: Finished;
    try {
      const files = await writeLabFiles(dir, { gateway: lab.gateway.url, backend: lab.backend.url });
      const io = captureIo({ cwd: dir });
      expect(await main(['export', files.collection, '--to', 'locust', '--environment', files.environment, '--target', 'both',
        '--start', '2', '--max', '4', '--step-duration', '4s', '--max-duration', '80s', '--out', 'lt'], io)).toBe(0);
      await mkdir(join(dir, 'results'));
      run = await runLocust(bin, dir, workers);
    } finally {
      await lab.close();
    }
    expect(run.out).not.toContain('pre 2.0');
    expect(run.out).not.toMatch(/Traceback/);
    expect(run.signal).toBeNull(); // ended by the shape, not by the time bound
    expect(run.out).toContain('search done');
    // The shape's own judgement, live: the backend's first level was the gateway's last minus one,
    // the case that kept a gateway user running beside the backend's ("BackendUser 0, GatewayUser 1").
    expect(run.out).toMatch(/gateway at 3 users: \d+ requests, [1-9]\d* failed -> fail/);
    expect(run.out).toMatch(/backend at 2 users: [1-9]\d* requests, 0 failed -> pass/);
    expect(run.out).toMatch(/backend at 3 users: \d+ requests, [1-9]\d* failed -> fail/);
    // Never users of both targets at once: every spawn Locust reports has one class at 0.
    const spawned = [...run.out.matchAll(/"BackendUser": (\d+), "GatewayUser": (\d+)/g)].map((m) => [Number(m[1]), Number(m[2])]);
    expect(spawned.length).toBeGreaterThan(0);
    expect(spawned.filter(([backendUsers, gatewayUsers]) => backendUsers > 0 && gatewayUsers > 0)).toEqual([]);

    const io = captureIo({ cwd: dir });
    const code = await main(['report', '--from-locust', 'results/run', '--report-dir', 'reports', '--min-capacity', '2'], io);
    expect(io.err.join('')).not.toMatch(/error|not judged/);
    expect(code).toBe(0);
    expect((await readdir(join(dir, 'reports'))).sort()).toEqual(['ramp.html', 'ramp.json', 'ramp.junit.xml', 'ramp.md']);
    const report = JSON.parse(await readFile(join(dir, 'reports', 'ramp.json'), 'utf8')) as RampReport;
    expect(report.meta.source?.tool).toBe('locust');
    expect(report.meta.options.target).toBe('both');
    for (const target of ['gateway', 'backend'] as const) {
      const side = report.targets[target]!;
      expect(side.steps.map((s) => s.concurrency), target).toEqual([2, 4, 3]);
      expect(side.breakingPoint?.concurrency, target).toBe(K + 1);
      expect(side.lastPassing?.concurrency, target).toBe(K);
      for (const step of side.steps) {
        expect(step.requests, `${target} at ${step.concurrency}`).toBeGreaterThan(0);
        if (step.concurrency <= K) expect(step.failed, `${target} at ${step.concurrency}`).toBe(false);
        // nginx answers 502 for a backend that dropped the connection; hit directly, the drop is a reset.
        if (step.failed && target === 'gateway') expect(step.status['502']).toBe(step.failures);
        if (step.failed && target === 'backend') expect(Object.keys(step.transportErrors)).toEqual(['ECONNRESET']);
      }
    }
    expect(report.verdict.code).toBe('backend-capacity');
    expect(await readFile(join(dir, 'reports', 'ramp.md'), 'utf8')).toContain('Locust');
  }, 120_000);
});
