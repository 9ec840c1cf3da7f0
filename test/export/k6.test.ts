/**
 * The k6 export. k6 cannot be installed here, so the script is loaded as what k6 loads — an ES
 * module — by Node's vm.SourceTextModule with k6's modules stubbed: it must parse, and its options
 * must hold the ramp (ramping-vus stages), the guide's two checks and abortOnFail thresholds.
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { captureIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { buildK6Report } from '../../src/export/index.js';
import { HOSTILE_NAME, LITERAL_CREDENTIAL, SECRET_VALUE, writeExportFiles } from './fixtures.js';

const HARNESS = fileURLToPath(new URL('./k6-harness.mjs', import.meta.url));
let dir: string;
let script: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'debug502-k6-'));
  const files = await writeExportFiles(dir, { gateway: 'http://127.0.0.1:8080', backend: 'http://127.0.0.1:3000' });
  const io = captureIo({ cwd: dir });
  // The collection first after the command, as newman takes it.
  const code = await main(['export', files.collection, '--to', 'k6', '--environment', files.environment, '--target', 'both', '--max', '8', '--step-duration', '5s', '--out', 'k6'], io);
  expect(io.err.join('')).toBe('');
  expect(code).toBe(0);
  script = join(dir, 'k6', 'k6-script.js');
});
afterAll(async () => { await rm(dir, { recursive: true, force: true }); });

function load(status: number, env: Record<string, string>) {
  const run = spawnSync(process.execPath, ['--experimental-vm-modules', '--no-warnings', HARNESS, script, String(status), JSON.stringify(env)], { encoding: 'utf8', timeout: 30_000 });
  return JSON.parse(run.stdout);
}
const SECRETS = { DEBUG502_VAR_api_token: SECRET_VALUE, DEBUG502_VAR_authorization: LITERAL_CREDENTIAL };

describe('debug502 export --to k6', () => {
  test('no secret in the script; it parses as an ES module with stages, checks and abortOnFail thresholds', async () => {
    const text = await readFile(script, 'utf8');
    expect(text).not.toContain(SECRET_VALUE);
    expect(text).not.toContain(LITERAL_CREDENTIAL.split(' ')[1]);
    const k6 = load(502, SECRETS);
    expect(k6.error).toBeUndefined();
    expect(k6.exports).toEqual(['backend', 'gateway', 'handleSummary', 'options']);
    const { gateway, backend } = k6.options.scenarios;
    expect(gateway.executor).toBe('ramping-vus');
    expect(gateway.stages.filter((_: unknown, i: number) => i % 2 === 0).map((s: { target: number }) => s.target)).toEqual([1, 2, 4, 8]);
    expect(gateway.stages.map((s: { duration: string }) => s.duration)).toEqual(['1s', '4s', '1s', '4s', '1s', '4s', '1s', '4s']);
    expect(backend.startTime).toBe('20s');
    // The last target's steps stop the test; each step has its own threshold on the failure share.
    expect(k6.options.thresholds['debug502_failed{step:backend-3}']).toEqual([{ threshold: 'rate<=0', abortOnFail: true, delayAbortEval: '2s' }]);
    expect(k6.options.thresholds['debug502_failed{step:gateway-0}'][0].abortOnFail).toBe(false);
    expect(k6.options.thresholds['debug502_502{step:gateway-2}']).toEqual(['rate>=0']);
    // One pass of each folder against a 502: the guide's two checks, the first failing.
    expect(k6.calls.requests).toHaveLength(6);
    expect(k6.calls.requests[0].params.tags).toEqual({ step: 'gateway-0', name: `[gateway] ${HOSTILE_NAME}` });
    expect(k6.calls.requests[0].params.headers.Authorization).toBe(`Bearer ${SECRET_VALUE}`);
    expect(k6.calls.requests[1].params.headers.Authorization).toBe(LITERAL_CREDENTIAL);
    expect(k6.calls.requests[0].params.headers['X-Request-Id']).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4/);
    expect(k6.calls.checks.slice(0, 2)).toEqual([['No 502 errors', false, 'gateway-0'], ['Response under 5 seconds', true, 'gateway-0']]);
    expect(k6.calls.metrics).toContainEqual(['debug502_failed', true, 'backend-0']);
    expect(k6.summaryFiles).toEqual(['summary.json', 'stdout']);
    expect(k6.plan).toEqual({ mode: 'concurrency', levels: [1, 2, 4, 8], stepSeconds: 5, targets: ['gateway', 'backend'], failOn: [502], failOnSlow: false, threshold: 0, maxResponseTimeMs: 5000 });
  });

  test('a 200 passes both checks; an unset secret stops the script at init, naming it', () => {
    expect(load(200, SECRETS).calls.checks.slice(0, 2).map((c: unknown[]) => c[1])).toEqual([true, true]);
    expect(load(200, { DEBUG502_VAR_authorization: 'x' }).error).toContain('set DEBUG502_VAR_api_token');
  });
});

describe('report --from-k6', () => {
  const step = (passes: number, fails: number) => ({ type: 'rate', values: { rate: passes / (passes + fails), passes, fails } });
  const summary = {
    state: { testRunDurationMs: 15_000 },
    metrics: {
      'debug502_failed{step:gateway-0}': step(0, 100),
      'debug502_failed{step:gateway-1}': step(0, 180),
      'debug502_failed{step:gateway-2}': step(30, 170),
      'debug502_502{step:gateway-2}': step(30, 170),
      'debug502_status_502{step:gateway-2}': step(30, 170),
      'debug502_transport{step:gateway-2}': step(0, 200),
      'http_req_duration{step:gateway-2}': { type: 'trend', values: { 'p(50)': 51, 'p(90)': 60, 'p(95)': 70, 'p(99)': 90, max: 120 } },
    },
    debug502: { levels: [2, 4, 8, 16], stepSeconds: 5, targets: ['gateway'], failOn: [502], threshold: 0, maxResponseTimeMs: 5000 },
  };

  test('the steps the summary carries, the breaking point between the last passing and the first failing level', () => {
    const { report } = buildK6Report(summary);
    const gateway = report.targets.gateway!;
    expect(gateway.steps.map((s) => [s.concurrency, s.requests, s.failures, s.failed])).toEqual([[2, 100, 0, false], [4, 180, 0, false], [8, 200, 30, true]]);
    expect(gateway.steps[2].status).toEqual({ 200: 170, 502: 30 });
    expect(gateway.steps[2].latencyMs).toEqual({ p50: 51, p90: 60, p95: 70, p99: 90, max: 120 });
    expect(gateway.breakingPoint?.concurrency).toBe(8);
    expect(gateway.lastPassing?.concurrency).toBe(4);
    expect(report.meta.source?.tool).toBe('k6');
    expect(report.verdict.message).toContain('somewhere above concurrency 4, at 8 at the latest');
  });

  test('through the CLI; a file that is not such a summary is exit 2', async () => {
    await writeFile(join(dir, 'summary.json'), JSON.stringify(summary));
    const io = captureIo({ cwd: dir });
    expect(await main(['report', '--from-k6', 'summary.json', '--report-dir', 'rep'], io)).toBe(0);
    expect(JSON.parse(await readFile(join(dir, 'rep', 'ramp.json'), 'utf8')).targets.gateway.breakingPoint.concurrency).toBe(8);
    await writeFile(join(dir, 'other.json'), JSON.stringify({ metrics: {} }));
    const bad = captureIo({ cwd: dir });
    expect(await main(['report', '--from-k6', 'other.json'], bad)).toBe(2);
    expect(bad.err.join('')).toContain('not the summary of a "debug502 export --to k6" script');
    // The export's levels are capped as a ramp's are: 2,048 users is no summary of its scripts.
    await writeFile(join(dir, 'many.json'), JSON.stringify({ ...summary, debug502: { ...summary.debug502, levels: [2, 4, 8, 2048] } }));
    const many = captureIo({ cwd: dir });
    expect(await main(['report', '--from-k6', 'many.json'], many)).toBe(2);
    expect(many.err.join('')).toContain('many.json: debug502.levels holds 2048 users; the exported script\'s levels are at most 1024 users, the cap of a ramp');
  });
});
