import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeDirectVsGateway } from '../../src/diagnose/probes/probe-direct-vs-gateway.js';
import { probeDns } from '../../src/diagnose/probes/probe-dns.js';
import { probeHealth } from '../../src/diagnose/probes/probe-health.js';
import { probeTcp } from '../../src/diagnose/probes/probe-tcp.js';
import { findGatewayTimeout, judgeTimeout } from '../../src/diagnose/probes/probe-timeout.js';
import { probeTls } from '../../src/diagnose/probes/probe-tls.js';
import { sendRequest } from '../../src/diagnose/probes/send-request.js';
import { blackholeListener, closedPort, rawServer, selfSignedCert, tlsServer, type Listener } from './helpers/sockets.js';

const OK = 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok';
const servers: Listener[] = [];
let okPort: number;
let malformedPort: number;
let notHttpPort: number;
let hangUpPort: number;
let slowPort: number;
let deadPort: number;

beforeAll(async () => {
  const ok = await rawServer((s) => s.end(OK));
  const malformed = await rawServer((s) => s.end('HTTP/1.1 200 OK\r\nBad Header Line\r\nContent-Length: 2\r\n\r\nok'));
  const notHttp = await rawServer((s) => s.end('garbage garbage\r\n\r\n'));
  const hangUp = await rawServer((s) => s.end());
  const slow = await rawServer((s) => { const t = setTimeout(() => s.end(OK), 400); s.once('close', () => clearTimeout(t)); });
  servers.push(ok, malformed, notHttp, hangUp, slow);
  [okPort, malformedPort, notHttpPort, hangUpPort, slowPort] = [ok.port, malformed.port, notHttp.port, hangUp.port, slow.port];
  deadPort = await closedPort();
});
afterAll(async () => { await Promise.all(servers.map((s) => s.close())); });

const url = (port: number, path = '/') => new URL(`http://127.0.0.1:${port}${path}`);

describe('probeDns', () => {
  it('fails an *.invalid host with ENOTFOUND or EAI_AGAIN', async () => {
    const p = await probeDns('backend.invalid', 'backend', { timeoutMs: 3000 });
    expect(p.ok).toBe(false);
    expect(['ENOTFOUND', 'EAI_AGAIN']).toContain(p.error);
    expect(p.evidence).toContain('backend.invalid');
  });
  it('passes an IP literal without a lookup, and localhost with addresses', async () => {
    expect(await probeDns('127.0.0.1', 'gateway', { timeoutMs: 1000 })).toMatchObject({ ok: true, addresses: ['127.0.0.1'] });
    const local = await probeDns('localhost', 'gateway', { timeoutMs: 3000 });
    expect(local.ok).toBe(true);
    expect(local.addresses!.length).toBeGreaterThan(0);
  });
  it('is bounded: a lookup that never answers fails after the timeout', async () => {
    const p = await probeDns('slow.example', 'backend', { timeoutMs: 50, lookup: () => new Promise(() => undefined) });
    expect(p).toMatchObject({ ok: false, error: 'EAI_AGAIN' });
  });
});

describe('probeTcp', () => {
  it('closed port → ECONNREFUSED', async () => {
    expect(await probeTcp('127.0.0.1', deadPort, 'backend', { timeoutMs: 1000 })).toMatchObject({ ok: false, error: 'ECONNREFUSED', target: `127.0.0.1:${deadPort}` });
  });
  it('listening port → ok', async () => {
    expect(await probeTcp('127.0.0.1', okPort, 'backend', { timeoutMs: 1000 })).toMatchObject({ ok: true });
  });
  it('a listener that never accepts → ETIMEDOUT within the bound', async () => {
    const hole = await blackholeListener();
    try {
      const p = await probeTcp('127.0.0.1', hole.port, 'backend', { timeoutMs: 300 });
      expect(p).toMatchObject({ ok: false, error: 'ETIMEDOUT' });
      expect(p.evidence).toMatch(/no TCP handshake within 300 ms/);
    } finally {
      await hole.close();
    }
  });
});

describe('sendRequest / probeDirectVsGateway', () => {
  it('names malformed answers by their parser error', async () => {
    expect((await sendRequest(url(malformedPort), { timeoutMs: 2000 })).error).toBe('HPE_INVALID_HEADER_TOKEN');
    expect((await sendRequest(url(notHttpPort), { timeoutMs: 2000 })).error).toMatch(/^HPE_/);
  });
  it('tells a closed connection (socket hang up), a refused port and a slow answer apart', async () => {
    expect(await sendRequest(url(hangUpPort), { timeoutMs: 2000 })).toMatchObject({ error: 'ECONNRESET', errorMessage: 'socket hang up' });
    expect((await sendRequest(url(deadPort), { timeoutMs: 2000 })).error).toBe('ECONNREFUSED');
    expect((await sendRequest(url(slowPort), { timeoutMs: 100 })).error).toBe('ESOCKETTIMEDOUT');
    expect((await sendRequest(url(slowPort), { timeoutMs: 2000 })).status).toBe(200);
  });
  it('never throws: a header the collection got wrong is an error result', async () => {
    expect(await sendRequest(url(okPort), { headers: { 'bad header': 'x' }, timeoutMs: 1000 })).toMatchObject({ error: 'ERR_INVALID_HTTP_TOKEN' });
  });
  it('stops starting requests once its time budget is spent', async () => {
    const many = Array.from({ length: 5 }, (_, i) => ({ name: `r${i}`, method: 'GET', path: `/${i}`, headers: {} }));
    const probes = await probeDirectVsGateway({ gateway: url(slowPort), backend: url(slowPort) }, many, { timeoutMs: 100, budgetMs: 150 });
    // r0's two 100 ms timeouts take at least 200 ms, past the 150 ms budget: r1 never starts.
    expect(probes.map((p) => p.request)).toEqual(['GET /0', 'GET /0']);
    expect(probes.every((p) => p.error === 'ESOCKETTIMEDOUT')).toBe(true);
  });
  it('sends each request once each way, gateway first, and names a malformed direct answer', async () => {
    const probes = await probeDirectVsGateway(
      { gateway: url(okPort), backend: url(malformedPort) },
      [{ name: 'users', method: 'GET', path: '/api/users', headers: {} }, { name: 'orders', method: 'GET', path: '/api/orders', headers: {} }],
      { timeoutMs: 2000 },
    );
    expect(probes.map((p) => [p.route, p.request])).toEqual([
      ['gateway', 'GET /api/users'], ['backend', 'GET /api/users'], ['gateway', 'GET /api/orders'], ['backend', 'GET /api/orders'],
    ]);
    expect(probes.filter((p) => p.route === 'gateway').every((p) => p.ok && p.status === 200)).toBe(true);
    const direct = probes.filter((p) => p.route === 'backend');
    expect(direct.every((p) => !p.ok && p.error === 'HPE_INVALID_HEADER_TOKEN')).toBe(true);
    expect(direct[0].evidence).toContain('malformed response: invalid header line');
  });
});

describe('5xx answers are failed probes on either route', () => {
  const answer = (status: string, extra = '') => `HTTP/1.1 ${status}\r\n${extra}Content-Length: 2\r\nConnection: close\r\n\r\nno`;
  let error500: Listener;
  let unavailable503: Listener;
  beforeAll(async () => {
    error500 = await rawServer((s) => s.end(answer('500 Internal Server Error')));
    unavailable503 = await rawServer((s) => s.end(answer('503 Service Unavailable', 'Retry-After: 120\r\n')));
  });
  afterAll(async () => { await error500.close(); await unavailable503.close(); });

  it('direct-vs-gateway: a 500 fails like a 503 does, and a Retry-After is shown', async () => {
    const probes = await probeDirectVsGateway({ gateway: url(unavailable503.port), backend: url(error500.port) }, [{ name: 'u', method: 'GET', path: '/api/users', headers: {} }], { timeoutMs: 2000 });
    expect(probes.map((p) => [p.route, p.ok, p.status])).toEqual([['gateway', false, 503], ['backend', false, 500]]);
    expect(probes[0].evidence).toMatch(/^GET \/api\/users through gateway: 503 in \d+ ms, Retry-After: 120$/);
    expect(probes[1].evidence).toMatch(/^GET \/api\/users direct: 500 in \d+ ms$/);
  });

  it('health: 500 and 503 fail with the status, the 503 with its Retry-After', async () => {
    expect(await probeHealth(url(error500.port), '/health', { timeoutMs: 2000 })).toMatchObject({ ok: false, status: 500 });
    const p = await probeHealth(url(unavailable503.port), '/health', { timeoutMs: 2000 });
    expect(p).toMatchObject({ ok: false, status: 503 });
    expect(p.evidence).toMatch(/503 in \d+ ms, Retry-After: 120 \(the backend says it is unhealthy\)/);
  });
});

describe('probeHealth', () => {
  it('ok on 200, failed with the error on a closed port', async () => {
    expect(await probeHealth(url(okPort), '/health', { timeoutMs: 2000 })).toMatchObject({ ok: true, status: 200, request: 'GET /health' });
    expect(await probeHealth(url(deadPort), '/health', { timeoutMs: 2000 })).toMatchObject({ ok: false, error: 'ECONNREFUSED' });
  });
});

describe('timeout probe', () => {
  it('compares the slowest direct answer with a given or inferred gateway timeout', async () => {
    const probes = await probeDirectVsGateway({ gateway: url(okPort), backend: url(slowPort) }, [{ name: 'x', method: 'GET', path: '/', headers: {} }], { timeoutMs: 2000 });
    const given = judgeTimeout(probes, findGatewayTimeout(probes, 100));
    expect(given).toMatchObject({ kind: 'timeout', ok: false, limitMs: 100 });
    expect(judgeTimeout(probes, findGatewayTimeout(probes, 5000))).toMatchObject({ ok: true, limitMs: 5000 });
    // No 504 and no --gateway-timeout: the timeout is unknown and no probe is made.
    expect(judgeTimeout(probes, findGatewayTimeout(probes))).toBeUndefined();
  });
});

describe('probeTls', () => {
  it('reports handshake, days left and hostname match; fails on wrong name and on expiry', async () => {
    const server = await tlsServer(selfSignedCert('localhost', 30, 'DNS:localhost,IP:127.0.0.1'));
    try {
      const now = Date.now();
      const good = await probeTls('127.0.0.1', server.port, 'backend', { timeoutMs: 2000, nowMs: now });
      expect(good.ok).toBe(true);
      expect(good.certDaysLeft).toBeGreaterThanOrEqual(29);
      expect(good.evidence).toMatch(/untrusted chain/);
      const expired = await probeTls('127.0.0.1', server.port, 'backend', { timeoutMs: 2000, nowMs: now + 40 * 86_400_000 });
      expect(expired).toMatchObject({ ok: false, error: 'CERT_HAS_EXPIRED' });
    } finally {
      await server.close();
    }
    const other = await tlsServer(selfSignedCert('other.example', 30));
    try {
      expect(await probeTls('127.0.0.1', other.port, 'backend', { timeoutMs: 2000, nowMs: Date.now() })).toMatchObject({ ok: false, error: 'ERR_TLS_CERT_ALTNAME_INVALID' });
    } finally {
      await other.close();
    }
  });
  it('a plain-HTTP port fails the handshake', async () => {
    const p = await probeTls('127.0.0.1', okPort, 'backend', { timeoutMs: 2000, nowMs: Date.now() });
    expect(p.ok).toBe(false);
    expect(p.evidence).toMatch(/handshake failed/);
  });
});
