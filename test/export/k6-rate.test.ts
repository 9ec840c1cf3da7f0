/**
 * The open model on k6: `export --to k6 --mode rate` writes a ramping-arrival-rate scenario that
 * holds each planned rate for the step duration with --max-vus VUs, one request per arrival; and
 * `report --from-k6` reads a rate-mode summary back as an open-model ramp. k6 itself is not
 * installable here: the script is loaded as an ES module with k6's modules stubbed (k6-harness.mjs),
 * and the summary is a fixture written by hand in the shape k6 hands handleSummary (metrics by
 * name, each {type, contains, values, thresholds}; grafana/k6 summarizeMetricsToObject).
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { captureIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { buildK6Report } from '../../src/export/index.js';
import { readRampReport } from '../../src/report/ramp/index.js';
import { SECRET_VALUE, LITERAL_CREDENTIAL, writeExportFiles } from './fixtures.js';

const HARNESS = fileURLToPath(new URL('./k6-harness.mjs', import.meta.url));
const FIXTURE = fileURLToPath(new URL('./fixtures/k6-rate-summary.json', import.meta.url));
const SECRETS = { DEBUG502_VAR_api_token: SECRET_VALUE, DEBUG502_VAR_authorization: LITERAL_CREDENTIAL };
let dir: string;
let files: { collection: string; environment: string };
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'debug502-k6-rate-'));
  files = await writeExportFiles(dir, { gateway: 'http://127.0.0.1:8080', backend: 'http://127.0.0.1:3000' });
});
afterAll(async () => { await rm(dir, { recursive: true, force: true }); });

async function exportK6(args: string[], out: string) {
  const io = captureIo({ cwd: dir });
  const code = await main(['export', '--collection', files.collection, '--environment', files.environment, '--out', out, ...args], io);
  return { code, out: io.out.join(''), err: io.err.join('') };
}

function load(script: string, iterations: number) {
  const run = spawnSync(process.execPath, ['--experimental-vm-modules', '--no-warnings', HARNESS, script, '200', JSON.stringify(SECRETS), String(iterations)], { encoding: 'utf8', timeout: 30_000 });
  return JSON.parse(run.stdout);
}

describe('debug502 export --to k6 --mode rate', () => {
  test('a ramping-arrival-rate scenario per target: the plan\'s rates held a step each, --max-vus VUs, one request per arrival', async () => {
    const result = await exportK6(['--to', 'k6', '--mode', 'rate', '--target', 'both', '--start-rate', '10', '--max-rate', '40', '--step-duration', '5s', '--max-vus', '20'], 'k6rate');
    expect(result.err).toBe('');
    expect(result.code).toBe(0);
    const script = join(dir, 'k6rate', 'k6-script.js');
    expect(await readFile(script, 'utf8')).not.toContain(SECRET_VALUE);
    const k6 = load(script, 4);
    expect(k6.error).toBeUndefined();
    const { gateway, backend } = k6.options.scenarios;
    expect(gateway).toEqual({
      executor: 'ramping-arrival-rate', exec: 'gateway', startRate: 10, timeUnit: '1s', preAllocatedVUs: 20, maxVUs: 20, startTime: '0s',
      stages: [{ duration: '5s', target: 10 }, { duration: '0s', target: 20 }, { duration: '5s', target: 20 }, { duration: '0s', target: 40 }, { duration: '5s', target: 40 }],
    });
    expect(backend.executor).toBe('ramping-arrival-rate');
    expect(backend.startTime).toBe('15s');
    // k6 counts dropped arrivals per scenario: the threshold puts each count in the summary.
    expect(k6.options.thresholds['dropped_iterations{scenario:gateway}']).toEqual(['count>=0']);
    expect(k6.options.thresholds['debug502_failed{step:backend-2}']).toEqual([{ threshold: 'rate<=0', abortOnFail: true, delayAbortEval: '2s' }]);
    // Four arrivals of each target: the folder's three requests in turn, then the first again.
    const labels = k6.calls.requests.map((r: { params: { tags: { name: string } } }) => r.params.tags.name);
    expect(labels.slice(0, 4)).toEqual([labels[0], '[gateway] List users', '[gateway] Get user', labels[0]]);
    expect(labels.slice(4).every((l: string) => l.startsWith('[backend] '))).toBe(true);
    expect(k6.calls.requests).toHaveLength(8);
    expect(k6.plan).toEqual({ mode: 'rate', levels: [10, 20, 40], stepSeconds: 5, targets: ['gateway', 'backend'], failOn: [502], failOnSlow: false, threshold: 0, maxResponseTimeMs: 5000, maxVus: 20, arrivals: [50, 100, 200] });
  });

  test('--to locust --mode rate is refused (exit 2, nothing written), saying why and pointing to k6', async () => {
    const result = await exportK6(['--to', 'locust', '--mode', 'rate'], 'locrate');
    expect(result.code).toBe(2);
    expect(result.err).toContain('Locust cannot offer an arrival rate');
    expect(result.err).toContain('constant_throughput');
    expect(result.err).toContain('--to k6 --mode rate');
    await expect(stat(join(dir, 'locrate'))).rejects.toThrow();
  });

  test('the rate options only go with --mode rate', async () => {
    const result = await exportK6(['--to', 'k6', '--max-vus', '20'], 'k6bad');
    expect(result.code).toBe(2);
    expect(result.err).toContain('--max-vus: only with --mode rate');
  });
});

describe('report --from-k6 on a rate-mode summary', () => {
  test('an open-model ramp: steps by offered rate, k6\'s dropped arrivals on the step that sent fewer than it offered', async () => {
    const { report, notes } = buildK6Report(JSON.parse(await readFile(FIXTURE, 'utf8')));
    expect(report.schemaVersion).toBe(2);
    expect(report.meta.options).toMatchObject({ mode: 'rate', startRate: 10, maxRate: 80, stepDurationMs: 5000, maxVus: 8, target: 'both' });
    const gateway = report.targets.gateway!;
    expect(gateway.steps.map((s) => [s.rate, s.concurrency, s.requests, s.failures, s.droppedArrivals, s.failed])).toEqual([
      [10, 8, 49, 0, 0, false], [20, 8, 101, 0, 0, false], [40, 8, 200, 33, 0, true], [80, 8, 400, 174, 0, true],
    ]);
    expect(gateway.breakingPoint?.rate).toBe(40);
    expect(gateway.lastPassing?.rate).toBe(20);
    // The backend's last step offered 400 arrivals and sent 340: k6 dropped 60 there, so it decides nothing.
    const backend = report.targets.backend!;
    expect(backend.steps.map((s) => [s.rate, s.requests, s.droppedArrivals, s.underdriven])).toEqual([[10, 50, 0, false], [20, 100, 0, false], [40, 200, 0, false], [80, 340, 60, true]]);
    expect(backend.breakingPoint).toBeNull();
    expect(backend.lastPassing?.rate).toBe(40);
    expect(backend.underdriven).toBe(true);
    expect(backend.steps[3].peakInFlight).toBe(8);
    // Little's law: 68 req/s × 64 ms ≈ 4.35 in flight on average.
    expect(backend.steps[3].avgInFlight).toBe(4.35);
    expect(notes.join('\n')).toContain('higher --max-vus');
    expect(report.meta.source?.note).toContain('ramping-arrival-rate');
    // The client's limit is a caveat, said after the answer.
    expect(report.verdict.caveats?.join(' ')).toContain('at 80 req/s it dropped 60 arrivals (all 8 virtual users busy; it sent 68 req/s)');
  });

  test('through the CLI: ramp.json reads back as a rate-mode ramp; a rate plan without its arrivals is exit 2', async () => {
    const io = captureIo({ cwd: dir });
    expect(await main(['report', '--from-k6', FIXTURE, '--report-dir', 'rep-rate', '-r', 'json,markdown'], io)).toBe(0);
    const back = await readRampReport(join(dir, 'rep-rate', 'ramp.json'));
    expect(back.meta.options.mode).toBe('rate');
    expect(back.targets.gateway?.breakingPoint?.rate).toBe(40);
    expect(await readFile(join(dir, 'rep-rate', 'ramp.md'), 'utf8')).toContain('req/s');
    // --min-capacity is a rate here: the gateway breaks at 40 req/s.
    const gate = captureIo({ cwd: dir });
    expect(await main(['report', '--from-k6', FIXTURE, '--report-dir', 'rep-gate', '--min-capacity', '50'], gate)).toBe(1);
    expect(gate.out.join('')).toContain('--min-capacity 50: the gateway breaks at 40 req/s, below 50.');
    expect(await readFile(join(dir, 'rep-gate', 'ramp.junit.xml'), 'utf8')).toContain('breaking point 40 req/s is below the minimum capacity 50');
    expect(await main(['report', '--from-k6', FIXTURE, '--report-dir', 'rep-gate', '--min-capacity', '30'], captureIo({ cwd: dir }))).toBe(0);
    const summary = JSON.parse(await readFile(FIXTURE, 'utf8'));
    delete summary.debug502.arrivals;
    expect(() => buildK6Report(summary)).toThrow('a rate-mode plan needs debug502.maxVus and one debug502.arrivals count per level');
  });
});
