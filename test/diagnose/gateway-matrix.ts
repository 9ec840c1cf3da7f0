import { existsSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { diagnose, type DiagnoseOptions } from '../../src/diagnose/index.js';
import { labProfileOf, type LabGatewayKind } from '../../src/gateways/index.js';
import { startLab, type Lab, type LabOptions } from '../../src/lab/lab.js';
import { isInstalled } from '../../src/lab/start-gateway.js';
import type { CauseCode, DiagnoseReport } from '../../src/model.js';
import { tempDir, writeCollection, writeEnvironment } from './helpers/files.js';

/** One request on a connection of its own; the status, or 0 when none came. Bounded: 10 s. */
function send(baseUrl: string, method = 'GET'): Promise<number> {
  return new Promise((resolve) => {
    const body = method === 'POST' ? '{"name":"Zoe"}' : undefined;
    const headers = body ? { 'content-type': 'application/json', 'content-length': String(body.length) } : {};
    const req = request(new URL('/api/users', baseUrl), { method, agent: false, headers }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', () => resolve(res.statusCode ?? 0));
    });
    req.setTimeout(10_000, () => req.destroy());
    req.on('error', () => resolve(0));
    req.end(body);
  });
}

/** Lines of the lab's access-type log (the one with a line per request), polled up to 2 s until it holds `n` (varnishncsa writes a moment late). */
async function waitForAnswers(lab: Lab, n: number): Promise<void> {
  const access = lab.gateway.logs.find((log) => lab.profile.logFormats.find((f) => f.name === log.format)?.kind === 'access');
  if (!access) return;
  for (let i = 0; i < 40; i += 1) {
    const lines = existsSync(access.path) ? readFileSync(access.path, 'utf8').split('\n').filter(Boolean).length : 0;
    if (lines >= n) return;
    await sleep(50);
  }
}

function summary(report: DiagnoseReport): string {
  return report.findings.map((f) => `${f.code}/${f.confidence}`).join(', ') || 'no finding';
}

/** The failed answers the report counted for the top finding's cause: the lines' own status, else the access log's. */
function failedAnswers(report: DiagnoseReport, code: CauseCode, status: number): number {
  return report.log?.answers?.statuses[String(status)] ?? report.log?.causes[code]?.answered?.[String(status)] ?? 0;
}

/**
 * The guide's causes, each rehearsed with `lab --gateway G --fault F` and a few requests, then
 * `diagnose --log` on every log that gateway writes (its error or runtime log names the cause, its
 * access log the answers): the top finding names the cause and the report counts the failed answers
 * the client got. 500 and 503 pass through every gateway and leave its error log silent, so those
 * need the probes (--environment), as a user would run them. Cases of one gateway run at once.
 */
export function describeDiagnoseMatrix(kind: LabGatewayKind): void {
  const profile = labProfileOf(kind)!;
  const installed = isInstalled(profile);
  if (!installed && profile.lab.runs === 'binary') {
    console.log(`${profile.name} diagnose matrix skipped: ${profile.lab.binary.names[0]} is not installed (${profile.lab.binary.install}); CI installs it.`);
  }
  const dir = tempDir(`debug502-matrix-${kind}-`);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const collection = writeCollection(dir, ['/api/users'], '/health');

  /** Starts the lab, sends the requests, diagnoses its logs (and probes with `probe`), stops the lab. */
  type Extra = Partial<DiagnoseOptions> & { probe?: boolean };
  async function rehearse(name: string, options: LabOptions, traffic: (url: string) => Promise<number[]>, extra: Extra | ((lab: Lab) => Extra) = {}): Promise<{ report: DiagnoseReport; got: number[] }> {
    const lab = await startLab({ gateway: kind, ...options });
    try {
      const got = await traffic(lab.gateway.url);
      await waitForAnswers(lab, got.length);
      const { probe, ...rest } = typeof extra === 'function' ? extra(lab) : extra;
      const targets = probe ? { environmentFile: writeEnvironment(dir, lab.gateway.url, lab.backend.url, `${kind}-${name}`), collectionFile: collection } : {};
      const report = await diagnose({
        logs: lab.gateway.logs.map((log) => log.path), connectTimeoutMs: 1000, requestTimeoutMs: 4000, keepaliveProbe: false, ...targets, ...rest,
      });
      return { report, got };
    } finally {
      await lab.close();
    }
  }

  const expectTop = (report: DiagnoseReport, code: CauseCode) => {
    expect(report.findings[0]?.code, summary(report)).toBe(code);
  };

  describe.skipIf(!installed).concurrent(`diagnose on ${profile.name}'s own logs, one cause at a time`, () => {
    it('healthy: no finding, with the probes', async () => {
      const { report } = await rehearse('healthy', {}, async (url) => [await send(url), await send(url, 'POST')], { probe: true });
      expect(report.findings, summary(report)).toEqual([]);
      expect(report.gateway?.kind === kind || report.gateway?.source === 'unknown').toBe(true);
    });

    it('backend down: backend-down, each failed answer counted', async () => {
      const status = profile.answers['backend-down'].status!;
      const { report, got } = await rehearse('down', { fault: { kind: 'down' } }, (url) => Promise.all([send(url), send(url)]));
      expect(got).toEqual([status, status]);
      expectTop(report, 'backend-down');
      expect(report.gateway).toMatchObject({ kind, source: 'log' });
      expect(failedAnswers(report, 'backend-down', status)).toBe(2);
      // 503 from a dead backend is the gateway's failure answer, never "service unavailable".
      expect(report.findings.map((f) => f.code)).not.toContain('service-unavailable');
    });

    it('backend slower than --gateway-timeout: backend-timeout, whatever status the gateway answers it with', async () => {
      const status = profile.answers['backend-timeout'].status!;
      const { report, got } = await rehearse('slow', { fault: { kind: 'slow', latencyMs: 2500 }, gatewayTimeoutMs: 300 }, async (url) => [await send(url)]);
      expect(got).toEqual([status]);
      expectTop(report, 'backend-timeout');
      expect(failedAnswers(report, 'backend-timeout', status)).toBe(1);
      expect(report.findings[0].next).toContain(profile.words.readTimeout.split(' ')[0]);
    });

    it('malformed answer: backend-invalid-response', async () => {
      const status = profile.answers['backend-invalid-response'].status!;
      const { report, got } = await rehearse('malformed', { fault: { kind: 'malformed' } }, async (url) => [await send(url)]);
      expect(got).toEqual([status]);
      expectTop(report, 'backend-invalid-response');
      expect(failedAnswers(report, 'backend-invalid-response', status)).toBe(1);
    });

    it('crash-after=1: the crash (closed, then refused) is named, two failed answers', async () => {
      const { report, got } = await rehearse('crash', { fault: { kind: 'crash-after', requests: 1 } }, async (url) => [await send(url), await send(url), await send(url)]);
      expect(got[0]).toBe(200);
      expectTop(report, 'backend-down');
      const failed = Object.entries(report.log!.answers!.statuses).filter(([s]) => Number(s) >= 500).reduce((n, [, c]) => n + c, 0);
      expect(failed).toBe(2);
    });

    it('the backend answers 500 itself: backend-error (probes), not a gateway failure', async () => {
      const { report } = await rehearse('500', { fault: { kind: 'status', status: 500 } }, async (url) => [await send(url)], { probe: true });
      expectTop(report, 'backend-error');
    });

    it('the backend answers 503 itself: service-unavailable (probes), not backend-down', async () => {
      const { report } = await rehearse('503', { fault: { kind: 'status', status: 503 } }, async (url) => [await send(url)], { probe: true });
      expectTop(report, 'service-unavailable');
      expect(report.findings.map((f) => f.code)).not.toContain('unclassified');
    });

    it('--max-conns 1 exceeded: the gateway\'s own limit is named (or, where the gateway queues, nothing fails and nothing is named)', async () => {
      const status = profile.answers['gateway-overflow'].status;
      if (status === null) {
        // Caddy queues requests past max_conns_per_host instead of failing them (its profile says so).
        const { report, got } = await rehearse('maxconns', { maxConns: 1, latencyMs: 300, gatewayTimeoutMs: 3000 }, (url) => Promise.all([send(url), send(url), send(url)]));
        expect(got).toEqual([200, 200, 200]);
        expect(report.findings.map((f) => f.code)).toEqual([]);
        return;
      }
      const { report, got } = await rehearse('maxconns', { maxConns: 1, latencyMs: 800, gatewayTimeoutMs: 1200 }, (url) => Promise.all([send(url), send(url), send(url)]));
      const refused = got.filter((s) => s === status).length;
      expect(got.filter((s) => s !== 200 && s !== status)).toEqual([]);
      if (refused === 0) {
        // Varnish checks .max_connections before it raises the count, so requests arriving together can all pass it
        // (its profile says so); on a busy machine a queue may drain in time. Nothing failed, so nothing may be named.
        console.log(`${profile.name} --max-conns: all 3 requests passed the cap this time (${got.join(', ')}): no finding expected`);
        expect(report.findings.map((f) => f.code)).toEqual([]);
        return;
      }
      // nginx says "no live upstreams" for a server at max_conns.
      expectTop(report, kind === 'nginx' || kind === 'builtin' ? 'no-live-upstreams' : 'gateway-overflow');
      expect(failedAnswers(report, report.findings[0].code, status)).toBe(refused);
    });

    it('keep-alive race: keepalive-race (probe against its configuration or its documented default), the POST\'s failed answer counted', async () => {
      const closed = profile.answers['backend-closed-connection'].status!;
      // Its configuration where diagnose reads it (not Varnish's VCL: its documented 60 s then).
      const readsConf = kind !== 'varnish' && kind !== 'builtin';
      const { report, got } = await rehearse('race', { fault: { kind: 'keepalive-race', idleMs: 1000 }, nextUpstream: 'error timeout' }, async (url) => {
        const first = await send(url);
        await sleep(1400);
        return [first, await send(url, 'POST')];
      }, (lab) => ({ probe: true, keepaliveProbe: true, ...(readsConf && lab.gateway.configPath ? { gatewayConfFile: lab.gateway.configPath } : {}) }));
      expect(got).toEqual([200, closed]);
      expectTop(report, 'keepalive-race');
      expect(report.log!.answers!.statuses[String(closed)]).toBeGreaterThanOrEqual(1);
      expect(report.findings[0].confidence).toBe('high');
      expect(report.findings[0].evidence.join('\n')).toContain(`${profile.name} on the race`);
    });
  });
}
