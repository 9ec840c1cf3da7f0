/**
 * Ctrl-C on a real `debug502 ramp` process: the signal handler of the bin (processIo) stops the
 * ramp after the requests in flight, the report of the completed steps is written, exit 130.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startLab, type Lab } from '../../src/lab/index.js';
import { readRampReport } from '../../src/report/index.js';
import { writeLabFiles } from './helpers.js';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const bin = join(repo, 'dist', 'cli', 'bin.js');
let lab: Lab;
let dir: string;

beforeAll(async () => {
  // `npm test` builds first; a lone `vitest run` of this file may not have.
  if (!existsSync(bin)) expect(spawnSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: repo, encoding: 'utf8' }).status).toBe(0);
  lab = await startLab({ latencyMs: 20 });
  dir = await mkdtemp(join(tmpdir(), 'debug502-ramp-sigint-'));
});
afterAll(async () => {
  await lab?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

test('SIGINT mid-ramp: exit 130, ramp.json holds the completed steps and says interrupted', async () => {
  const files = await writeLabFiles(dir, { gateway: lab.gateway.url, backend: lab.backend.url });
  // Far more work than the test lets it do: 64 levels' worth, stopped after the second step ends.
  const child = spawn(process.execPath, [bin, 'ramp', '--collection', files.collection, '--environment', files.environment,
    '--max', '64', '--requests-per-step', '40', '--report-dir', 'out', '-r', 'json,md'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  let signalled = false;
  child.stderr.on('data', (chunk) => (err += chunk));
  child.stdout.on('data', (chunk) => {
    out += chunk;
    if (!signalled && (out.match(/\bpassed\b/g) ?? []).length >= 2) {
      signalled = true;
      child.kill('SIGINT');
    }
  });
  const code = await new Promise<number | null>((resolve) => {
    const guard = setTimeout(() => child.kill('SIGKILL'), 50_000);
    child.on('exit', (exitCode) => {
      clearTimeout(guard);
      resolve(exitCode);
    });
  });
  expect(signalled).toBe(true);
  expect(err).toContain('SIGINT: stopping');
  expect(code).toBe(130);
  const report = await readRampReport(join(dir, 'out', 'ramp.json'));
  expect(report.meta.aborted?.reason).toBe('interrupted');
  const steps = report.targets.gateway!.steps;
  expect(steps.length).toBeGreaterThanOrEqual(2);
  expect(steps.length).toBeLessThan(7); // 1, 2, 4, … 64 would be seven ramp steps
  for (const step of steps) expect(step.requests).toBe(40);
  expect(out).toContain('stopped (interrupted)');
}, 60_000);
