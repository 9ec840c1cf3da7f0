/**
 * Item 13 of issue 14: big inputs cost memory in proportion, not hundreds of times their size. Each
 * command runs as the bin in its own process and reports its peak RSS (process.resourceUsage); the
 * inputs are the bench's (bench/sections/input-memory.mjs), which measures the full-size cases.
 * generate: 10,000 endpoints under the 300 MB (it was ~575 MB; now ~130); a 30,000-endpoint
 * YAML config under 250 MB (~160; it was 432 MB while `yaml` built a document tree of it).
 * report --from: 10,000 steps under 250 MB (it was ~430 MB; now ~120; the bench's 100,000 steps
 * take ~10 s, too long for the suite, and stay under 500 MB).
 * The two runs take ~2-3 s each: they are the check that the streaming stays streaming.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import YAML from 'yaml';
// @ts-expect-error -- a plain ES module of the bench, without types
import { bigConfig, bigLocustHistory, bigRampReport } from '../../bench/sections/input-memory.mjs';
import { BIN, REPO } from './processes.js';

const PRINT_MAX_RSS = 'data:text/javascript,process.on("exit",()=>process.stderr.write("\\nMAXRSS "+process.resourceUsage().maxRSS+"\\n"))';

let dir: string;
beforeAll(async () => {
  if (!existsSync(BIN)) expect(spawnSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: REPO, encoding: 'utf8' }).status).toBe(0);
  dir = await mkdtemp(join(tmpdir(), 'debug502-input-memory-'));
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Exit code and peak RSS in MB of `debug502 <args>` run in `dir`; killed after 60 s. */
function runMeasured(args: string[]): Promise<{ code: number | null; peakMb: number; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', PRINT_MAX_RSS, BIN, ...args], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    const guard = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('exit', (code) => {
      clearTimeout(guard);
      resolve({ code, peakMb: Number(/MAXRSS (\d+)/.exec(stderr)?.[1] ?? NaN) / 1024, stderr });
    });
  });
}

test('generate: a 10,000-endpoint config peaks under 300 MB RSS and writes all 20,000 requests', async () => {
  await writeFile(join(dir, 'big.config.json'), JSON.stringify(bigConfig(10_000)));
  const run = await runMeasured(['generate', '--config', 'big.config.json', '--out', 'gen']);
  expect(run.code, run.stderr).toBe(0);
  expect(run.peakMb).toBeLessThan(300);
  const collection = join(dir, 'gen', 'collections', '502-debugging.postman_collection.json');
  expect((await stat(collection)).size).toBeGreaterThan(50_000_000);
}, 60_000);

test('generate: a 30,000-endpoint YAML config (4 MB) peaks under 250 MB RSS: js-yaml builds no document tree (yaml took 432 MB)', async () => {
  await writeFile(join(dir, 'big.config.yaml'), YAML.stringify(bigConfig(30_000)));
  const run = await runMeasured(['generate', '--config', 'big.config.yaml', '--out', 'gen-yaml']);
  expect(run.code, run.stderr).toBe(0);
  expect(run.peakMb).toBeLessThan(250);
  const collection = join(dir, 'gen-yaml', 'collections', '502-debugging.postman_collection.json');
  expect((await stat(collection)).size).toBeGreaterThan(150_000_000);
}, 60_000);

test('report --from: a 10,000-step ramp.json re-renders under 250 MB RSS; JUnit keeps every step, HTML and Markdown summarize', async () => {
  await writeFile(join(dir, 'ramp.json'), JSON.stringify(bigRampReport(10_000)));
  const run = await runMeasured(['report', '--from', 'ramp.json', '--report-dir', 'out']);
  expect(run.code, run.stderr).toBe(0);
  expect(run.peakMb).toBeLessThan(250);
  expect((await readdir(join(dir, 'out'))).sort()).toEqual(['ramp.html', 'ramp.junit.xml', 'ramp.md']);
  expect((await stat(join(dir, 'out', 'ramp.md'))).size).toBeLessThan(100_000);
  expect((await stat(join(dir, 'out', 'ramp.html'))).size).toBeLessThan(1_000_000);
  expect((await stat(join(dir, 'out', 'ramp.junit.xml'))).size).toBeGreaterThan(10_000_000);
}, 60_000);

test('report --from-locust: a 30 MB stats history is read a row at a time, under 300 MB RSS (it took 674 MB read whole)', async () => {
  await writeFile(join(dir, 'big_stats_history.csv'), bigLocustHistory(30_000_000));
  const run = await runMeasured(['report', '--from-locust', 'big', '--report-dir', 'locust', '-r', 'json']);
  expect(run.code, run.stderr).toBe(0);
  expect(run.peakMb).toBeLessThan(300);
  const report = JSON.parse(await readFile(join(dir, 'locust', 'ramp.json'), 'utf8')) as { targets: { gateway?: { steps: { concurrency: number }[] } } };
  // 30 MB is ~7,300 seconds: 10 minutes at 1, 2, 3… users, every level judged.
  const levels = report.targets.gateway?.steps.map((s) => s.concurrency) ?? [];
  expect(levels.length).toBeGreaterThanOrEqual(10);
  expect(levels).toEqual(levels.map((_, i) => i + 1));
}, 60_000);
