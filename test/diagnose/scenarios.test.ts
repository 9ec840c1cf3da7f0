import { rmSync } from 'node:fs';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { diagnose } from '../../src/diagnose/index.js';
import { startLab, startNginx, type Lab, type RunningGateway, type LabBackend, startLabBackend } from '../../src/lab/index.js';
import type { CauseCode, DiagnoseReport } from '../../src/model.js';
import { closedPort } from './helpers/sockets.js';
import { tempDir, writeCollection, writeEnvironment } from './helpers/files.js';

/**
 * Each scenario is a real failure: the lab backend with a fault behind real nginx (or a gateway
 * whose upstream is wrong). A few requests go through the gateway first, as a user would have
 * seen 502s, then diagnose runs with the error log nginx wrote. The top finding must name the cause.
 */
const dir = tempDir();
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const collection = writeCollection(dir, ['/api/users', '/api/users/2'], '/health');
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => { while (cleanups.length) await cleanups.pop()!(); });

async function hitGateway(url: string, times: number): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < times; i++) {
    const res = await fetch(`${url}/api/users`, { signal: AbortSignal.timeout(5000) }).catch(() => undefined);
    statuses.push(res?.status ?? 0);
    await res?.arrayBuffer();
  }
  return statuses;
}

/** `n` requests through the gateway at once (bounded: one burst, 5 s timeout each). */
async function burst(url: string, n: number): Promise<number[]> {
  return Promise.all(Array.from({ length: n }, () =>
    fetch(`${url}/api/users`, { signal: AbortSignal.timeout(5000) }).then(async (r) => { await r.arrayBuffer(); return r.status; }).catch(() => 0)));
}

async function diagnoseAgainst(gateway: RunningGateway, backendUrl: string, name: string, extra: { gatewayTimeoutMs?: number } = {}): Promise<DiagnoseReport> {
  const environmentFile = writeEnvironment(dir, gateway.url, backendUrl, name);
  return diagnose({ environmentFile, collectionFile: collection, nginxLogFile: gateway.errorLogPath!, connectTimeoutMs: 1000, requestTimeoutMs: 3000, keepaliveProbe: false, ...extra });
}

function expectTop(report: DiagnoseReport, code: CauseCode): void {
  const summary = report.findings.map((f) => `${f.code}/${f.confidence}`).join(', ');
  expect(report.findings.length, `findings: ${summary}`).toBeGreaterThan(0);
  expect(report.findings[0].code, `findings: ${summary}`).toBe(code);
  expect(report.findings[0].confidence).toBe('high');
}

async function labWith(options: Parameters<typeof startLab>[0]): Promise<Lab> {
  const lab = await startLab({ gateway: 'nginx', ...options });
  cleanups.push(() => lab.close());
  return lab;
}

describe('diagnose against real failures behind real nginx', () => {
  it('backend down (refused): top finding backend-down; the log\'s refusals are classified', async () => {
    const lab = await labWith({ fault: { kind: 'down' } });
    expect(await hitGateway(lab.gateway.url, 3)).toEqual([502, 502, 502]);
    const report = await diagnoseAgainst(lab.gateway, lab.backend.url, 'down');
    expectTop(report, 'backend-down');
    expect(report.log!.causes['backend-down']!.count).toBeGreaterThanOrEqual(3);
    expect(report.log!.causes['backend-down']!.upstreams).toEqual([`http://127.0.0.1:${lab.backend.port}`]);
    expect(report.log!.unknown.count).toBe(0);
    expect(report.probes.find((p) => p.kind === 'tcp' && p.route === 'backend')).toMatchObject({ ok: false, error: 'ECONNREFUSED' });
  });

  it('backend slower than proxy_read_timeout: top finding backend-timeout with the timeout probe failed', async () => {
    const lab = await labWith({ fault: { kind: 'slow', latencyMs: 300 }, gatewayTimeoutMs: 100 });
    expect(await hitGateway(lab.gateway.url, 2)).toEqual([504, 504]);
    const report = await diagnoseAgainst(lab.gateway, lab.backend.url, 'slow');
    expectTop(report, 'backend-timeout');
    expect(report.findings[0].next).toMatch(/proxy_read_timeout/);
    const timeout = report.probes.find((p) => p.kind === 'timeout');
    expect(timeout).toMatchObject({ ok: false });
    expect(timeout!.timeMs).toBeGreaterThan(timeout!.limitMs!);
    expect(report.log!.causes['backend-timeout']!.count).toBeGreaterThanOrEqual(2);
    expect(report.log!.unknown.count).toBe(0);
  });

  it('malformed backend answer: top finding backend-invalid-response, the direct answer named as malformed', async () => {
    const lab = await labWith({ fault: { kind: 'malformed' } });
    expect(await hitGateway(lab.gateway.url, 2)).toEqual([502, 502]);
    const report = await diagnoseAgainst(lab.gateway, lab.backend.url, 'malformed');
    expectTop(report, 'backend-invalid-response');
    const direct = report.probes.filter((p) => p.kind === 'direct-vs-gateway' && p.route === 'backend');
    expect(direct.length).toBe(2);
    expect(direct.every((p) => p.error?.startsWith('HPE_'))).toBe(true);
    expect(report.log!.causes['backend-invalid-response']!.count).toBeGreaterThanOrEqual(2);
    expect(report.log!.unknown.count).toBe(0);
  });

  it('unresolvable backend host: top finding backend-unresolvable; nginx\'s "could not be resolved" is classified', async () => {
    const port = await closedPort();
    const gateway = await startNginx({ upstream: `backend.invalid:${port}` });
    cleanups.push(() => gateway.close());
    expect(await hitGateway(gateway.url, 2)).toEqual([502, 502]);
    const report = await diagnoseAgainst(gateway, `http://backend.invalid:${port}`, 'unresolvable');
    expectTop(report, 'backend-unresolvable');
    expect(report.probes.find((p) => p.kind === 'dns' && p.route === 'backend')!.ok).toBe(false);
    expect(report.log!.causes['backend-unresolvable']!.count).toBeGreaterThanOrEqual(2);
    expect(report.log!.unknown.count).toBe(0);
  });

  it('gateway pointed at the wrong port while the backend is healthy: top finding gateway-misconfigured', async () => {
    const backend: LabBackend = await startLabBackend({});
    cleanups.push(() => backend.close());
    const gateway = await startNginx({ upstream: `127.0.0.1:${await closedPort()}` });
    cleanups.push(() => gateway.close());
    const report = await diagnoseAgainst(gateway, backend.url, 'wrong-port');
    expectTop(report, 'gateway-misconfigured');
    expect(report.findings.map((f) => f.code)).not.toContain('backend-down');
    expect(report.findings[0].evidence.join('\n')).toContain(`backend_url is 127.0.0.1:${backend.port}`);
  });

  it('backend over capacity under a burst: the log-only finding names the closed connections, with restart/scale', async () => {
    const lab = await labWith({ capacity: 2, latencyMs: 50 });
    const statuses = await burst(lab.gateway.url, 12);
    expect(statuses.filter((s) => s === 502).length).toBeGreaterThan(0);
    const report = await diagnoseAgainst(lab.gateway, lab.backend.url, 'capacity');
    // The probes go one at a time and pass; the log tells what happened under load.
    expect(['backend-closed-connection', 'connection-reset']).toContain(report.findings[0].code);
    expect(report.findings[0].confidence).toBe('medium');
    expect(report.findings[0].next).toMatch(/scale/);
    expect(report.log!.unknown.count).toBe(0);
  });

  it('max_conns reached under a burst: no-live-upstreams', async () => {
    const lab = await labWith({ maxConns: 2, latencyMs: 50 });
    const statuses = await burst(lab.gateway.url, 12);
    expect(statuses.filter((s) => s === 502).length).toBeGreaterThan(0);
    const report = await diagnoseAgainst(lab.gateway, lab.backend.url, 'max-conns');
    expect(report.findings[0].code).toBe('no-live-upstreams');
    expect(report.findings[0].next).toMatch(/max_conns/);
  });

  it('backend answering 500: top finding backend-error (not backend-down); every 5xx probe failed', async () => {
    const lab = await labWith({ fault: { kind: 'status', status: 500 } });
    expect(await hitGateway(lab.gateway.url, 2)).toEqual([500, 500]);
    const report = await diagnoseAgainst(lab.gateway, lab.backend.url, 'status-500');
    expectTop(report, 'backend-error');
    expect(report.findings.map((f) => f.code)).toEqual(['backend-error']);
    expect(report.findings[0].next).toMatch(/application logs/);
    expect(report.findings[0].evidence.join('\n')).toMatch(/2 of 2 request\(s\) through the gateway answered 500: the gateway passes the backend's error on/);
    const answered = report.probes.filter((p) => p.kind === 'health' || p.kind === 'direct-vs-gateway');
    expect(answered.map((p) => [p.kind, p.route, p.ok, p.status])).toEqual([
      ['health', 'backend', false, 500],
      ['direct-vs-gateway', 'gateway', false, 500], ['direct-vs-gateway', 'backend', false, 500],
      ['direct-vs-gateway', 'gateway', false, 500], ['direct-vs-gateway', 'backend', false, 500],
    ]);
    expect(report.log!.lines).toBe(0);
  });

  it('backend answering 503: top finding service-unavailable (not backend-down)', async () => {
    const lab = await labWith({ fault: { kind: 'status', status: 503 } });
    expect(await hitGateway(lab.gateway.url, 2)).toEqual([503, 503]);
    const report = await diagnoseAgainst(lab.gateway, lab.backend.url, 'status-503');
    expectTop(report, 'service-unavailable');
    expect(report.findings.map((f) => f.code)).toEqual(['service-unavailable']);
    expect(report.findings[0].next).toMatch(/maintenance, rate limiting, overload protection/);
    expect(report.findings[0].evidence.join('\n')).toMatch(/2 of 2 request\(s\) through the gateway answered 503/);
    const answered = report.probes.filter((p) => p.kind === 'health' || p.kind === 'direct-vs-gateway');
    expect(answered.every((p) => !p.ok && p.status === 503)).toBe(true);
    expect(answered).toHaveLength(5);
  });

  it('a healthy lab: no findings', async () => {
    const lab = await labWith({});
    const report = await diagnoseAgainst(lab.gateway, lab.backend.url, 'healthy');
    expect(report.findings).toEqual([]);
    expect(report.probes.every((p) => p.ok)).toBe(true);
    expect(report.probes.filter((p) => p.kind === 'direct-vs-gateway')).toHaveLength(4);
  });
});

describe('as the README and the walkthrough type it: the keep-alive probe on', () => {
  it('the healthy lab has no finding, and overload is overload: the race is a note, never assumed at 60 s', async () => {
    const [healthy, capacity] = await Promise.all([labWith({}), labWith({ capacity: 2, latencyMs: 50 })]);
    expect((await burst(capacity.gateway.url, 12)).filter((s) => s === 502).length).toBeGreaterThan(0);
    const run = (lab: Lab, name: string) => diagnose({
      environmentFile: writeEnvironment(dir, lab.gateway.url, lab.backend.url, name), collectionFile: collection, logs: [lab.gateway.errorLogPath!], connectTimeoutMs: 1000, requestTimeoutMs: 3000,
    });
    const [fine, overloaded] = await Promise.all([run(healthy, 'readme-healthy'), run(capacity, 'readme-capacity')]);
    // Its error log is empty; nginx is known by its Server header, and pools only with `keepalive N`, which the probe cannot see.
    expect(fine.findings).toEqual([]);
    expect(fine.gateway).toMatchObject({ kind: 'nginx', source: 'probe' });
    expect(fine.notes?.join('\n')).toMatch(/keep-alive race not judged: the backend closes idle keep-alive connections after \d+\.\d s/);
    expect(overloaded.findings.map((f) => f.code)).not.toContain('keepalive-race');
    expect(['backend-closed-connection', 'connection-reset']).toContain(overloaded.findings[0].code);
  });
});

describe('diagnose behind the lab\'s built-in gateway (machines without nginx)', () => {
  it.each([
    ['down', { kind: 'down' }, 'backend-down'],
    ['malformed', { kind: 'malformed' }, 'backend-invalid-response'],
  ] as const)('%s: its nginx-format log is classified and the top finding is %s', async (name, fault, code) => {
    const lab = await startLab({ gateway: 'builtin', fault });
    cleanups.push(() => lab.close());
    await hitGateway(lab.gateway.url, 2);
    const report = await diagnoseAgainst(lab.gateway, lab.backend.url, `builtin-${name}`);
    expectTop(report, code);
    expect(report.log!.causes[code]!.count).toBeGreaterThanOrEqual(2);
    expect(report.log!.unknown.count).toBe(0);
  });
});
