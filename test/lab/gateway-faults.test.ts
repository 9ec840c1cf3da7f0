import { existsSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startLabBackend, type LabBackend } from '../../src/lab/backend.js';
import { startBuiltinProxy } from '../../src/lab/builtin-proxy.js';
import type { GatewayOptions, RunningGateway } from '../../src/lab/gateway.js';
import { startLab, type Lab, type LabOptions } from '../../src/lab/lab.js';
import { findNginx, startNginx } from '../../src/lab/nginx.js';
import { isPortFree } from '../../src/lab/ports.js';
import { hit, hitInSequence, hitTogether, processExists } from './http.js';

const nginx = findNginx();
if (!nginx) console.log('nginx tests skipped: nginx is not installed (set NGINX_BIN or apt-get install nginx-light); CI installs it.');

const GATEWAYS = [
  { kind: 'nginx' as const, skip: !nginx, start: (o: GatewayOptions) => startNginx(o) },
  { kind: 'builtin' as const, skip: false, start: (o: GatewayOptions) => startBuiltinProxy(o) },
];

for (const gatewayKind of GATEWAYS) {
  describe.skipIf(gatewayKind.skip)(`the guide's faults through ${gatewayKind.kind}`, () => {
    let lab: Lab | undefined;
    let extra: { close(): Promise<void> }[] = [];
    afterEach(async () => {
      await lab?.close();
      for (const item of extra) await item.close();
      lab = undefined;
      extra = [];
    });
    const open = async (options: LabOptions) => {
      lab = await startLab({ gateway: gatewayKind.kind, ...options });
      expect(lab.gateway.kind).toBe(gatewayKind.kind);
      return lab;
    };
    const errorLog = (l: Lab) => readFileSync(l.gateway.errorLogPath!, 'utf8');

    it('healthy: 200 through the gateway, nothing in the error log', async () => {
      const l = await open({});
      const answers = await hitInSequence(l.gateway.url, 3, '/api/users?page=2');
      expect(answers.map((h) => h.status)).toEqual([200, 200, 200]);
      expect(JSON.parse(answers[0].body).page).toBe('2');
      const posted = await hit(l.gateway.url, '/api/users', { method: 'POST', body: '{"name":"Zoe"}' });
      expect(posted.status).toBe(201);
      expect(l.backend.stats().requests).toBe(4);
      expect(errorLog(l)).toBe('');
    });

    it('down → 502, "connect() failed (111: Connection refused)"', async () => {
      const l = await open({ fault: { kind: 'down' } });
      expect((await hit(l.gateway.url)).status).toBe(502);
      expect(errorLog(l)).toContain('connect() failed (111: Connection refused) while connecting to upstream');
      expect(errorLog(l)).toContain(`upstream: "http://127.0.0.1:${l.backend.port}/api/users"`);
    });

    it('malformed → 502, "upstream sent invalid header"', async () => {
      const l = await open({ fault: { kind: 'malformed' } });
      expect((await hit(l.gateway.url)).status).toBe(502);
      expect(errorLog(l)).toContain('upstream sent invalid header');
    });

    it('slow beyond the gateway timeout → 504, "upstream timed out"', async () => {
      const l = await open({ fault: { kind: 'slow', latencyMs: 2000 }, gatewayTimeoutMs: 100 });
      expect((await hit(l.gateway.url)).status).toBe(504);
      expect(errorLog(l)).toContain('upstream timed out (110: Connection timed out) while reading response header from upstream');
    });

    it('slow within the gateway timeout → 200', async () => {
      const l = await open({ fault: { kind: 'slow', latencyMs: 50 }, gatewayTimeoutMs: 2000 });
      expect((await hit(l.gateway.url)).status).toBe(200);
    });

    it('crash-after=3 → three 200s, then 502 "prematurely closed", then 502 "connection refused"', async () => {
      const l = await open({ fault: { kind: 'crash-after', requests: 3 } });
      const answers = await hitInSequence(l.gateway.url, 5);
      expect(answers.map((h) => h.status)).toEqual([200, 200, 200, 502, 502]);
      expect(errorLog(l)).toMatch(/upstream prematurely closed connection while reading response header from upstream[^\n]*\n[^\n]*connect\(\) failed \(111: Connection refused\)/);
    });

    it('status faults pass through: 500 → 500, 503 → 503', async () => {
      let l = await open({ fault: { kind: 'status', status: 500 } });
      expect((await hit(l.gateway.url)).status).toBe(500);
      await l.close();
      l = await open({ fault: { kind: 'status', status: 503 } });
      expect((await hit(l.gateway.url, '/health')).status).toBe(503);
      expect(errorLog(l)).toBe('');
    });

    it('backend capacity K: K at once → no 502; K+1 at once → at least one 502', async () => {
      const l = await open({ capacity: 3, latencyMs: 150 });
      const k = await hitTogether(l.gateway.url, 3);
      expect(k.filter((h) => h.status === 502)).toHaveLength(0);
      const kPlusOne = await hitTogether(l.gateway.url, 4);
      expect(kPlusOne.filter((h) => h.status === 502).length).toBeGreaterThanOrEqual(1);
      expect(kPlusOne.filter((h) => h.status === 200).length).toBeGreaterThanOrEqual(1);
      expect(l.backend.stats().rejected).toBeGreaterThanOrEqual(1);
      expect(errorLog(l)).toContain('upstream prematurely closed connection');
    });

    it('gateway maxConns K: K at once → no 502; K+1 at once → 502 "no live upstreams"', async () => {
      const l = await open({ maxConns: 2, latencyMs: 150 });
      const k = await hitTogether(l.gateway.url, 2);
      expect(k.map((h) => h.status)).toEqual([200, 200]);
      const kPlusOne = await hitTogether(l.gateway.url, 3);
      expect(kPlusOne.filter((h) => h.status === 502)).toHaveLength(1);
      expect(l.backend.stats()).toMatchObject({ requests: 4, rejected: 0, peakInFlight: 2 });
      expect(errorLog(l)).toContain('no live upstreams while connecting to upstream');
    });

    it('an upstream name that does not resolve → 502, "could not be resolved"', async () => {
      const gateway = await gatewayKind.start({ upstream: 'backend.invalid:8080' });
      extra.push(gateway);
      expect((await hit(gateway.url)).status).toBe(502);
      expect(readFileSync(gateway.errorLogPath!, 'utf8')).toContain('backend.invalid could not be resolved (3: Host not found)');
    });

    it('a backend that accepts but never answers → 504 after proxyReadTimeoutMs', async () => {
      const mute: LabBackend = await startLabBackend({ latencyMs: 60_000 });
      extra.push(mute);
      const gateway: RunningGateway = await gatewayKind.start({ upstream: `127.0.0.1:${mute.port}`, proxyReadTimeoutMs: 100 });
      extra.unshift(gateway);
      expect((await hit(gateway.url)).status).toBe(504);
    });

    it('close() leaves no process, frees both ports and removes the temp dir', async () => {
      const l = await open({ latencyMs: 10 });
      expect((await hit(l.gateway.url)).status).toBe(200);
      const dir = dirname(l.gateway.errorLogPath!);
      const pid = l.gateway.pid;
      if (gatewayKind.kind === 'nginx') expect(pid && processExists(-pid)).toBe(true);
      await l.close();
      if (pid) expect(processExists(-pid)).toBe(false);
      expect(await isPortFree(l.gateway.port)).toBe(true);
      expect(await isPortFree(l.backend.port)).toBe(true);
      expect(existsSync(dir)).toBe(false);
      await l.close();
    });
  });
}
