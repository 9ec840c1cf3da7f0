import { describe, expect, it } from 'vitest';
import { createLogAccumulator } from '../../src/diagnose/log/log-accumulator.js';
import { findCauses, rankFindings } from '../../src/diagnose/rules/index.js';
import type { DiagnoseEvidence } from '../../src/diagnose/rules/evidence.js';
import type { Finding, LogSummary, ProbeResult } from '../../src/model.js';

const gatewayUrl = new URL('http://127.0.0.1:8080');
const backendUrl = new URL('http://127.0.0.1:3000');

const ok = (kind: ProbeResult['kind'], route: 'gateway' | 'backend', extra: Partial<ProbeResult> = {}): ProbeResult =>
  ({ kind, route, target: route, ok: true, timeMs: 1, evidence: `${kind} ok`, ...extra });
const fail = (kind: ProbeResult['kind'], route: 'gateway' | 'backend', error: string, extra: Partial<ProbeResult> = {}): ProbeResult =>
  ({ kind, route, target: route, ok: false, timeMs: 1, error, evidence: `${kind} ${error}`, ...extra });
const answer = (route: 'gateway' | 'backend', status: number, timeMs = 5): ProbeResult =>
  ({ kind: 'direct-vs-gateway', route, target: route, request: 'GET /api/users', ok: status < 500, status, timeMs, evidence: `${status}` });

function logOf(lines: string[]): LogSummary {
  const acc = createLogAccumulator('error.log');
  for (const l of lines) acc.add(l);
  return acc.summary();
}
const refusedAt = (port: number) => `2026/11/25 06:41:02 [error] 1#1: *5 connect() failed (111: Connection refused) while connecting to upstream, client: 127.0.0.1, server: , request: "GET /api/users HTTP/1.1", upstream: "http://127.0.0.1:${port}/api/users", host: "x"`;

const health = (status: number): ProbeResult =>
  ({ kind: 'health', route: 'backend', target: 'backend', request: 'GET /health', ok: status < 400, status, timeMs: 1, evidence: `GET /health direct: ${status}` });

const top = (e: DiagnoseEvidence) => findCauses(e)[0];
const healthyDns = [ok('dns', 'gateway', { addresses: ['127.0.0.1'] }), ok('dns', 'backend', { addresses: ['127.0.0.1'] })];

describe('findCauses', () => {
  it('healthy probes and a quiet log find nothing', () => {
    const e: DiagnoseEvidence = { gatewayUrl, backendUrl, probes: [...healthyDns, ok('tcp', 'gateway'), ok('tcp', 'backend'), answer('gateway', 200), answer('backend', 200)], log: logOf(['2026/11/25 06:41:02 [notice] 1#1: start worker processes']) };
    expect(findCauses(e)).toEqual([]);
  });

  it('refused backend + refused log lines at its port → backend-down, high', () => {
    const e: DiagnoseEvidence = { gatewayUrl, backendUrl, probes: [...healthyDns, ok('tcp', 'gateway'), fail('tcp', 'backend', 'ECONNREFUSED'), answer('gateway', 502), fail('direct-vs-gateway', 'backend', 'ECONNREFUSED', { request: 'GET /api/users' })], log: logOf([refusedAt(3000), refusedAt(3000)]) };
    const f = top(e);
    expect(f.code).toBe('backend-down');
    expect(f.confidence).toBe('high');
    expect(f.evidence.some((l) => l.includes('2 × "connect() failed'))).toBe(true);
    expect(f.next).toMatch(/Restart the backend/);
    expect(findCauses(e).map((x) => x.code)).not.toContain('gateway-misconfigured');
  });

  it('backend fine direct, gateway 502, log refusing another port → gateway-misconfigured naming both addresses', () => {
    const e: DiagnoseEvidence = { gatewayUrl, backendUrl, probes: [...healthyDns, ok('tcp', 'gateway'), ok('tcp', 'backend'), answer('gateway', 502), answer('backend', 200)], log: logOf([refusedAt(3999)]) };
    const findings = findCauses(e);
    expect(findings[0].code).toBe('gateway-misconfigured');
    expect(findings[0].confidence).toBe('high');
    expect(findings[0].evidence.join('\n')).toMatch(/127\.0\.0\.1:3999.*backend_url is 127\.0\.0\.1:3000/);
    expect(findings.map((f) => f.code)).not.toContain('backend-down');
  });

  it('an upstream block with the backend and its peers is no misconfiguration', () => {
    const e: DiagnoseEvidence = { gatewayUrl, backendUrl: new URL('http://localhost:3000'), probes: [ok('dns', 'backend', { addresses: ['127.0.0.1'] }), fail('tcp', 'backend', 'ECONNREFUSED'), answer('gateway', 502)], log: logOf([refusedAt(3000), refusedAt(3001)]) };
    expect(findCauses(e).map((f) => f.code)).toEqual(['backend-down']);
  });

  it('without a log, gateway 502 with a healthy direct answer is the guide\'s gateway-misconfigured', () => {
    const e: DiagnoseEvidence = { gatewayUrl, backendUrl, probes: [...healthyDns, ok('tcp', 'backend'), answer('gateway', 502), answer('backend', 200)] };
    expect(top(e)).toMatchObject({ code: 'gateway-misconfigured', confidence: 'high' });
  });

  it('a malformed direct answer → backend-invalid-response, above the gateway rule', () => {
    const e: DiagnoseEvidence = { gatewayUrl, backendUrl, probes: [...healthyDns, ok('tcp', 'backend'), answer('gateway', 502), fail('direct-vs-gateway', 'backend', 'HPE_INVALID_HEADER_TOKEN', { request: 'GET /api/users' })] };
    const findings = findCauses(e);
    expect(findings.map((f) => f.code)).toEqual(['backend-invalid-response']);
  });

  it('a failed timeout probe and gateway 504 → backend-timeout with the proxy_read_timeout step', () => {
    const e: DiagnoseEvidence = { gatewayUrl, backendUrl, probes: [...healthyDns, ok('tcp', 'backend'), answer('gateway', 504, 100), answer('backend', 200, 300), { kind: 'timeout', route: 'backend', target: 'b', ok: false, timeMs: 300, limitMs: 100, evidence: 'slow' }] };
    const f = top(e);
    expect(f).toMatchObject({ code: 'backend-timeout', confidence: 'high' });
    expect(f.next).toMatch(/proxy_read_timeout/);
  });

  it('connect timeouts in the log point the next step at connectivity', () => {
    const line = '2026/11/25 06:41:02 [error] 1#1: *5 upstream timed out (110: Connection timed out) while connecting to upstream, client: 127.0.0.1, upstream: "http://127.0.0.1:3000/", host: "x"';
    const f = top({ gatewayUrl, backendUrl, probes: [], log: logOf([line, line]) });
    expect(f).toMatchObject({ code: 'backend-timeout', confidence: 'medium' });
    expect(f.next).toMatch(/firewall/);
  });

  it('an unresolvable backend host → backend-unresolvable, high', () => {
    const e: DiagnoseEvidence = { gatewayUrl, backendUrl: new URL('http://api.invalid:3000'), probes: [ok('dns', 'gateway'), fail('dns', 'backend', 'ENOTFOUND'), answer('gateway', 502), fail('direct-vs-gateway', 'backend', 'ENOTFOUND', { request: 'GET /api/users' })] };
    expect(top(e)).toMatchObject({ code: 'backend-unresolvable', confidence: 'high' });
  });

  it('socket hang up is a closed connection, a read ECONNRESET a reset', () => {
    const hangUp = fail('direct-vs-gateway', 'backend', 'ECONNRESET', { evidence: 'GET / direct: ECONNRESET (socket hang up) — closed' });
    const reset = fail('direct-vs-gateway', 'backend', 'ECONNRESET', { evidence: 'GET / direct: ECONNRESET (read ECONNRESET) — reset' });
    expect(top({ gatewayUrl, backendUrl, probes: [hangUp] }).code).toBe('backend-closed-connection');
    expect(top({ gatewayUrl, backendUrl, probes: [reset] }).code).toBe('connection-reset');
  });

  it('connect ETIMEDOUT to the backend → backend-unreachable with the firewall step', () => {
    const f = top({ gatewayUrl, backendUrl, probes: [...healthyDns, fail('tcp', 'backend', 'ETIMEDOUT')] });
    expect(f).toMatchObject({ code: 'backend-unreachable', confidence: 'high' });
    expect(f.next).toMatch(/firewall/i);
  });

  it('"no live upstreams" ranks below the refusals that caused it', () => {
    const noLive = '2026/11/25 06:41:03 [error] 1#1: *6 no live upstreams while connecting to upstream, client: 127.0.0.1, upstream: "http://backend/", host: "x"';
    const findings = findCauses({ gatewayUrl, backendUrl, probes: [], log: logOf([refusedAt(3000), noLive, noLive, noLive, noLive]) });
    expect(findings.map((f) => [f.code, f.confidence])).toEqual([['backend-down', 'medium'], ['no-live-upstreams', 'low']]);
  });

  it('a failed TLS probe → tls-problem', () => {
    const f = top({ gatewayUrl, backendUrl: new URL('https://127.0.0.1:3443'), probes: [fail('tls', 'backend', 'CERT_HAS_EXPIRED', { certDaysLeft: -3 })] });
    expect(f).toMatchObject({ code: 'tls-problem', confidence: 'high' });
  });

  it('gateway 502 and an upstream error line no rule knows → unclassified, medium: a failure it cannot name, said so', () => {
    const e: DiagnoseEvidence = { gatewayUrl, backendUrl, probes: [answer('gateway', 502)], log: logOf(['2026/11/25 06:41:02 [error] 1#1: *5 upstream did a thing never seen, upstream: "http://127.0.0.1:3000/"']) };
    const findings = findCauses(e);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ code: 'unclassified', confidence: 'medium' });
    expect(findings[0].evidence.join('\n')).toContain('1 line(s) show upstream failures diagnose cannot name');
    expect(findings[0].evidence.join('\n')).toContain('never seen');
  });

  it('a backend failing directly while the gateway answers everything is low: backend_url is likely not the gateway\'s backend', () => {
    const f = top({ gatewayUrl, backendUrl, probes: [...healthyDns, fail('tcp', 'backend', 'ECONNREFUSED'), answer('gateway', 200)] });
    expect(f).toMatchObject({ code: 'backend-down', confidence: 'low' });
    expect(f.evidence.join('\n')).toMatch(/check that backend_url/);
  });

  it('a health path answering 503 → service-unavailable, medium; a backend that answers is not down', () => {
    const findings = findCauses({ gatewayUrl, backendUrl, probes: [...healthyDns, ok('tcp', 'backend'), health(503)] });
    expect(findings.map((f) => [f.code, f.confidence])).toEqual([['service-unavailable', 'medium']]);
  });

  it('a health path answering 500 while requests pass → backend-error, medium', () => {
    const findings = findCauses({ gatewayUrl, backendUrl, probes: [...healthyDns, ok('tcp', 'backend'), health(500), answer('gateway', 200), answer('backend', 200)] });
    expect(findings.map((f) => [f.code, f.confidence])).toEqual([['backend-error', 'medium']]);
  });

  it('direct and gateway 500 → backend-error, high, pointing at the application logs', () => {
    const findings = findCauses({ gatewayUrl, backendUrl, probes: [...healthyDns, ok('tcp', 'backend'), health(500), answer('gateway', 500), answer('backend', 500)] });
    expect(findings.map((f) => [f.code, f.confidence])).toEqual([['backend-error', 'high']]);
    expect(findings[0].evidence.join('\n')).toMatch(/1 of 1 request\(s\) through the gateway answered 500: the gateway passes the backend's error on/);
    expect(findings[0].next).toMatch(/application logs/);
    expect(findings[0].next).not.toMatch(/Restart/);
  });

  it('a backend answering 500 directly while the gateway serves 200 → backend-error, low (backend_url is likely another backend)', () => {
    const f = top({ gatewayUrl, backendUrl, probes: [...healthyDns, ok('tcp', 'backend'), answer('gateway', 200), answer('backend', 500)] });
    expect(f).toMatchObject({ code: 'backend-error', confidence: 'low' });
    expect(f.evidence.join('\n')).toMatch(/check that backend_url/);
  });

  it('gateway 502 while the backend answers 500 directly → backend-error, not gateway-misconfigured (as run decides)', () => {
    const codes = findCauses({ gatewayUrl, backendUrl, probes: [...healthyDns, ok('tcp', 'backend'), answer('gateway', 502), answer('backend', 500)] }).map((f) => f.code);
    expect(codes).toEqual(['backend-error']);
  });

  it('direct and gateway 503 → service-unavailable, high, with maintenance / rate limiting and Retry-After in the next step', () => {
    const findings = findCauses({ gatewayUrl, backendUrl, probes: [...healthyDns, ok('tcp', 'backend'), health(503), answer('gateway', 503), answer('backend', 503)] });
    expect(findings.map((f) => [f.code, f.confidence])).toEqual([['service-unavailable', 'high']]);
    expect(findings[0].next).toMatch(/maintenance, rate limiting, overload protection/);
    expect(findings[0].next).toMatch(/Retry-After/);
  });

  it('only the gateway answers 503 (limit_req) while the backend answers directly → service-unavailable pointing at the gateway\'s limits', () => {
    const limited = '2026/11/25 07:31:11 [error] 24704#24704: *4 limiting requests, excess: 1.000 by zone "one", client: 127.0.0.1, server: , request: "GET / HTTP/1.1", host: "127.0.0.1:18699"';
    const findings = findCauses({ gatewayUrl, backendUrl, probes: [...healthyDns, ok('tcp', 'backend'), answer('gateway', 503), answer('backend', 200)], log: logOf([limited, limited]) });
    expect(findings.map((f) => [f.code, f.confidence])).toEqual([['service-unavailable', 'high']]);
    expect(findings[0].evidence.join('\n')).toMatch(/the backend answers the same request\(s\) directly \(GET \/api\/users: 200\): the 503 comes from the gateway/);
    expect(findings[0].evidence.join('\n')).toMatch(/2 × "limiting requests"/);
    expect(findings[0].next).toMatch(/limit_req/);
  });

  it('the gateway itself refusing → gateway-misconfigured, medium', () => {
    const f = top({ gatewayUrl, backendUrl, probes: [...healthyDns, fail('tcp', 'gateway', 'ECONNREFUSED'), ok('tcp', 'backend')] });
    expect(f).toMatchObject({ code: 'gateway-misconfigured', confidence: 'medium' });
  });
});

describe('rankFindings', () => {
  const f = (code: Finding['code'], confidence: Finding['confidence']): Finding => ({ code, confidence, evidence: [], next: '' });
  it('orders by confidence, then weight, then cause precedence, without mutating its input', () => {
    const input = [
      { finding: f('no-live-upstreams', 'low'), weight: 5000 },
      { finding: f('backend-timeout', 'high'), weight: 10 },
      { finding: f('backend-down', 'high'), weight: 10 },
      { finding: f('connection-reset', 'high'), weight: 2000 },
      { finding: f('gateway-misconfigured', 'medium'), weight: 1 },
    ];
    const copy = structuredClone(input);
    expect(rankFindings(input).map((x) => x.code)).toEqual(['connection-reset', 'backend-down', 'backend-timeout', 'gateway-misconfigured', 'no-live-upstreams']);
    expect(input).toEqual(copy);
  });
});
