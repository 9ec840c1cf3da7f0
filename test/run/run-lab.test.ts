/**
 * Each verdict from a real scenario: the generated collection run by real newman through real nginx
 * to the lab backend (or to a dead port, a *.invalid host, a listener that never accepts).
 */
import { readFile } from 'node:fs/promises';
import { afterEach, describe, expect, test } from 'vitest';
import { startLabBackend, startNginx, type LabFault } from '../../src/lab/index.js';
import type { RunReport, RunVerdictCode } from '../../src/model.js';
import { runCollection } from '../../src/run/run-collection.js';
import { deadPort, HAS_PYTHON, startFullBacklogListener, writeWorkspace } from './helpers.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of cleanups.splice(0).reverse()) await close();
});

interface Scenario {
  fault?: LabFault;
  /** nginx's upstream; default the lab backend. */
  upstream?: string;
  /** Override the URLs the collection is run against. */
  gatewayUrl?: string;
  backendUrl?: string;
  proxyReadTimeoutMs?: number;
  proxyConnectTimeoutMs?: number;
  timeoutRequestMs?: number;
}

async function runScenario(s: Scenario): Promise<{ report: RunReport; errorLog: () => Promise<string> }> {
  const backend = await startLabBackend({ fault: s.fault ?? { kind: 'none' } });
  cleanups.push(() => backend.close());
  const gateway = await startNginx({
    upstream: s.upstream ?? `127.0.0.1:${backend.port}`,
    proxyReadTimeoutMs: s.proxyReadTimeoutMs ?? 2000,
    proxyConnectTimeoutMs: s.proxyConnectTimeoutMs ?? 2000,
  });
  cleanups.push(() => gateway.close());
  const workspace = await writeWorkspace({ gatewayUrl: s.gatewayUrl ?? gateway.url, backendUrl: s.backendUrl ?? backend.url });
  cleanups.push(() => workspace.remove());
  const report = await runCollection({
    collection: workspace.collection,
    environment: workspace.environment,
    timeoutRequestMs: s.timeoutRequestMs ?? 3000,
  });
  return { report, errorLog: () => readFile(gateway.errorLogPath!, 'utf8') };
}

const verdicts = (report: RunReport) => Object.fromEntries(report.endpoints.map((e) => [e.name, e.verdict.code]));
const both = (code: RunVerdictCode) => ({ 'Check backend server health': expect.any(String), 'List users': code, 'Create user': code });

describe('run against real nginx and the lab backend', () => {
  test('healthy: every endpoint ok, gateway and backend paired, every test passed', async () => {
    const { report } = await runScenario({});
    expect(verdicts(report)).toEqual({ 'Check backend server health': 'ok', 'List users': 'ok', 'Create user': 'ok' });
    const create = report.endpoints.find((e) => e.name === 'Create user')!;
    expect([create.gateway?.status, create.backend?.status]).toEqual([201, 201]);
    expect(report.endpoints[0].gateway).toBeUndefined(); // health is direct only
    expect(report.totals).toMatchObject({ requests: 5, tests: 12, failedTests: 0, endpoints: 3, notOk: 0 });
  });

  test('dead upstream port: gateway 502 and the backend refuses → backend-down', async () => {
    const { report, errorLog } = await runScenario({ fault: { kind: 'down' } });
    expect(verdicts(report)).toEqual({ ...both('backend-down'), 'Check backend server health': 'backend-down' });
    const list = report.endpoints.find((e) => e.name === 'List users')!;
    expect([list.gateway?.status, list.backend?.error]).toEqual([502, 'ECONNREFUSED']);
    expect(list.gateway?.failedTests).toContain('No 502 errors');
    expect(await errorLog()).toContain('Connection refused');
  });

  test('gateway pointed at the wrong port while the backend is healthy → gateway-misconfigured', async () => {
    const { report } = await runScenario({ upstream: `127.0.0.1:${await deadPort()}` });
    expect(verdicts(report)).toEqual({ ...both('gateway-misconfigured'), 'Check backend server health': 'ok' });
    const list = report.endpoints.find((e) => e.name === 'List users')!;
    expect([list.gateway?.status, list.backend?.status]).toEqual([502, 200]);
  });

  test('backend sends a malformed header → backend-invalid-response (nginx: "upstream sent invalid header")', async () => {
    const { report, errorLog } = await runScenario({ fault: { kind: 'malformed' } });
    expect(verdicts(report)).toEqual({ ...both('backend-invalid-response'), 'Check backend server health': 'backend-invalid-response' });
    const list = report.endpoints.find((e) => e.name === 'List users')!;
    expect(list.gateway?.status).toBe(502);
    expect(list.backend?.error).toMatch(/^HPE_/);
    expect(await errorLog()).toContain('upstream sent invalid header');
  });

  test('backend slower than proxy_read_timeout: gateway 504 → backend-timeout', async () => {
    const { report, errorLog } = await runScenario({ fault: { kind: 'slow', latencyMs: 300 }, proxyReadTimeoutMs: 80 });
    expect(verdicts(report)).toEqual({ ...both('backend-timeout'), 'Check backend server health': 'ok' });
    const list = report.endpoints.find((e) => e.name === 'List users')!;
    expect([list.gateway?.status, list.backend?.status]).toEqual([504, 200]);
    expect(await errorLog()).toContain('upstream timed out');
  });

  test('backend answers 500 → backend-error', async () => {
    const { report } = await runScenario({ fault: { kind: 'status', status: 500 } });
    expect(verdicts(report)).toEqual({ ...both('backend-error'), 'Check backend server health': 'backend-error' });
    expect(report.endpoints.find((e) => e.name === 'List users')!.gateway?.status).toBe(500);
  });

  test('backend answers 503 → service-unavailable', async () => {
    const { report } = await runScenario({ fault: { kind: 'status', status: 503 } });
    expect(verdicts(report)).toEqual({ ...both('service-unavailable'), 'Check backend server health': 'service-unavailable' });
  });

  test('backend host does not resolve (*.invalid) → backend-unresolvable', async () => {
    const { report, errorLog } = await runScenario({ upstream: 'backend.invalid:8080', backendUrl: 'http://backend.invalid:8080' });
    expect(verdicts(report)).toEqual({ ...both('backend-unresolvable'), 'Check backend server health': 'backend-unresolvable' });
    const list = report.endpoints.find((e) => e.name === 'List users')!;
    expect([list.gateway?.status, list.backend?.error]).toEqual([502, 'ENOTFOUND']);
    expect(await errorLog()).toContain('could not be resolved');
  });

  test('gateway refuses (nothing on gateway_url) → gateway-unreachable; an unresolvable gateway too', async () => {
    const refused = await runScenario({ gatewayUrl: `http://127.0.0.1:${await deadPort()}` });
    expect(verdicts(refused.report)).toEqual({ ...both('gateway-unreachable'), 'Check backend server health': 'ok' });
    expect(refused.report.endpoints.find((e) => e.name === 'List users')!.gateway?.error).toBe('ECONNREFUSED');
    const unresolvable = await runScenario({ gatewayUrl: 'http://gateway.invalid:8080' });
    expect(verdicts(unresolvable.report)['List users']).toBe('gateway-unreachable');
  });

  test.skipIf(!HAS_PYTHON)('backend whose accept queue is full (connect times out) → backend-unreachable', async () => {
    const { port, close } = await startFullBacklogListener();
    cleanups.push(async () => close());
    const { report, errorLog } = await runScenario({
      upstream: `127.0.0.1:${port}`,
      backendUrl: `http://127.0.0.1:${port}`,
      proxyConnectTimeoutMs: 150,
      timeoutRequestMs: 400,
    });
    expect(verdicts(report)).toEqual({ ...both('backend-unreachable'), 'Check backend server health': 'backend-unreachable' });
    const list = report.endpoints.find((e) => e.name === 'List users')!;
    expect([list.gateway?.status, list.backend?.error]).toEqual([504, 'ETIMEDOUT']);
    expect(await errorLog()).toContain('while connecting to upstream');
  });
});
