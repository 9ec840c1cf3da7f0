/**
 * `ramp --engine fast` end to end: the same collection, sent by the fast engine's own client instead of newman, finds the
 * same breaking point on real nginx and the lab backend (capacity K, 50 ms per answer) — K+1 on
 * both sides, so backend-capacity — and the report says which engine sent the load.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { main } from '../../src/cli/main.js';
import { captureIo } from '../../src/cli/io.js';
import { startLab } from '../../src/lab/index.js';
import { readRampReport } from '../../src/report/index.js';
import { writeLabFiles } from './helpers.js';

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

test('--engine fast --target both: breaks at K+1 on both sides, backend-capacity, engine in plan and report', async () => {
  const k = 6;
  const dir = await mkdtemp(join(tmpdir(), 'debug502-ramp-fast-'));
  dirs.push(dir);
  const lab = await startLab({ capacity: k, latencyMs: 50 });
  const io = captureIo({ cwd: dir });
  let code: number;
  let stats: { peakInFlight: number; rejected: number };
  try {
    const files = await writeLabFiles(dir, { gateway: lab.gateway.url, backend: lab.backend.url });
    code = await main(
      ['ramp', '--collection', files.collection, '--environment', files.environment, '--engine', 'fast', '--target', 'both',
        '--start', '2', '--max', '16', '--requests-per-step', '80', '--report-dir', 'out', '-r', 'json'],
      io,
    );
    stats = lab.backend.stats();
  } finally {
    await lab.close();
  }
  expect(io.err.join('')).toBe('');
  expect(code).toBe(0);
  expect(io.out.join('')).toContain('engine fast');
  const report = await readRampReport(join(dir, 'out', 'ramp.json'));
  expect(report.meta.options.engine).toBe('fast');
  for (const target of ['gateway', 'backend'] as const) {
    const result = report.targets[target]!;
    expect(result.breakingPoint?.concurrency, target).toBe(k + 1);
    expect(result.lastPassing?.concurrency, target).toBe(k);
    const held = result.steps.find((s) => s.concurrency === k)!;
    console.log(`fast engine, ${target} at concurrency ${k}: peak ${held.peakInFlight}, average ${held.avgInFlight?.toFixed(1)} in flight`);
  }
  expect(report.verdict.code).toBe('backend-capacity');
  // The backend never held more than K, and dropped exactly what the ramp counted as failures.
  const failures = (['gateway', 'backend'] as const).flatMap((t) => report.targets[t]!.steps).reduce((n, s) => n + s.failures, 0);
  expect(stats.peakInFlight).toBe(k);
  expect(stats.rejected).toBe(failures);
});

test('--engine with an unknown name is bad input (exit 2), naming the choices', async () => {
  const io = captureIo();
  expect(await main(['ramp', '--collection', 'c.json', '--engine', 'turbo'], io)).toBe(2);
  expect(io.err.join('')).toMatch(/engine.*newman.*fast|Choices: "newman", "fast"/s);
});
