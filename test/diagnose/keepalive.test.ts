import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { diagnose } from '../../src/diagnose/index.js';
import { parseNginxTimeMs, readNginxUpstreamKeepalive } from '../../src/diagnose/probes/gateway-idle-timeout.js';
import { probeKeepalive } from '../../src/diagnose/probes/probe-keepalive.js';
import { tempDir, writeEnvironment } from './helpers/files.js';

const dir = tempDir('debug502-keepalive-');
const servers: Server[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise((r) => { s.close(r); s.closeAllConnections(); })));
  rmSync(dir, { recursive: true, force: true });
});

/** A Node backend on 127.0.0.1 that closes idle keep-alive connections after `keepAliveTimeoutMs`. */
async function backend(keepAliveTimeoutMs: number): Promise<string> {
  const server = createServer((_req, res) => res.end('ok'));
  server.keepAliveTimeout = keepAliveTimeoutMs;
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('the keep-alive probe', () => {
  it('measures a backend that closes idle connections before the gateway: failed, with both numbers', async () => {
    const url = await backend(200);
    const started = Date.now();
    const probe = await probeKeepalive(new URL(url), { gateway: { ms: 3000, source: 'option' }, requestTimeoutMs: 2000 });
    expect(probe.ok).toBe(false);
    expect(probe.backendIdleTimeoutMs).toBeGreaterThanOrEqual(150);
    expect(probe.backendIdleTimeoutMs).toBeLessThan(3000);
    expect(probe.gatewayIdleTimeoutMs).toBe(3000);
    expect(probe.evidence).toMatch(/closed an idle keep-alive connection after \d+ ms .*Keep-Alive: timeout=/);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('is bounded by the gateway idle timeout + 1 s when the backend outlives it: ok', async () => {
    const url = await backend(10_000);
    const started = Date.now();
    const probe = await probeKeepalive(new URL(url), { gateway: { ms: 400, source: 'conf' }, requestTimeoutMs: 2000 });
    expect(probe.ok).toBe(true);
    expect(probe.backendIdleTimeoutMs).toBeUndefined();
    expect(probe.evidence).toMatch(/past the gateway idle timeout 400 ms \(read from --gateway-conf\)/);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('diagnose names keepalive-race (high, measured) when the backend closes first, and not when it outlives the gateway', async () => {
    const racing = await backend(200);
    const env = writeEnvironment(dir, racing, racing, 'racing');
    const report = await diagnose({ environmentFile: env, gatewayIdleTimeoutMs: 2000, connectTimeoutMs: 1000, requestTimeoutMs: 2000 });
    const race = report.findings.find((f) => f.code === 'keepalive-race');
    expect(race?.confidence).toBe('high');
    expect(race?.measured?.gatewayIdleTimeoutMs).toBe(2000);
    expect(race?.measured?.backendIdleTimeoutMs).toBeLessThan(2000);
    expect(report.findings[0].code).toBe('keepalive-race');

    const patient = await backend(10_000);
    const env2 = writeEnvironment(dir, patient, patient, 'patient');
    const fine = await diagnose({ environmentFile: env2, gatewayIdleTimeoutMs: 300, connectTimeoutMs: 1000, requestTimeoutMs: 2000 });
    expect(fine.findings).toEqual([]);
    expect(fine.probes.find((p) => p.kind === 'keepalive')?.ok).toBe(true);
  });

  it('an nginx.conf without upstream keepalive pools nothing: no probe, a line that says so', async () => {
    const racing = await backend(200);
    const env = writeEnvironment(dir, racing, racing, 'nopool');
    const conf = join(dir, 'nginx.conf');
    writeFileSync(conf, 'http { keepalive_timeout 65; upstream app { server 127.0.0.1:3000; } server { location / { proxy_pass http://app; } } }');
    const report = await diagnose({ environmentFile: env, nginxConfFile: conf, connectTimeoutMs: 1000, requestTimeoutMs: 2000 });
    expect(report.findings).toEqual([]);
    expect(report.probes.find((p) => p.kind === 'keepalive')?.evidence).toMatch(/pools none/);
  });
});

describe('reading the gateway idle timeout from nginx.conf', () => {
  it('takes the upstream keepalive_timeout, not the client-side one; 60 s when keepalive is set alone', () => {
    expect(readNginxUpstreamKeepalive(`
      http {
        keepalive_timeout 65;            # client side: not this one
        upstream api { server 10.0.0.1:3000; keepalive 32; keepalive_timeout 30s; }
        upstream web { server 10.0.0.2:3000; keepalive 16; }
      }`)).toEqual({ pools: true, idleTimeoutMs: 30_000 });
    expect(readNginxUpstreamKeepalive('upstream web { server a:1; keepalive 8; }')).toEqual({ pools: true, idleTimeoutMs: 60_000 });
    expect(readNginxUpstreamKeepalive('upstream web { server a:1; # keepalive 8;\n }')).toEqual({ pools: false });
    expect([parseNginxTimeMs('75'), parseNginxTimeMs('1m30s'), parseNginxTimeMs('500ms'), parseNginxTimeMs('x')]).toEqual([75_000, 90_000, 500, undefined]);
  });
});
