import { describe, expect, it } from 'vitest';
import { identifyGateway } from '../../src/diagnose/gateway-identity.js';
import { knowGatewayIdle } from '../../src/diagnose/gateway-idle.js';
import { createLogAccumulator } from '../../src/diagnose/log/log-accumulator.js';
import { readAnswers } from '../../src/diagnose/log/read-answers.js';
import { readGatewayConfPooling } from '../../src/diagnose/probes/gateway-conf.js';
import { judgeKeepalive } from '../../src/diagnose/probes/judge-keepalive.js';
import { findCauses } from '../../src/diagnose/rules/index.js';
import { GATEWAYS } from '../../src/gateways/index.js';
import type { LogSummary, ProbeResult } from '../../src/model.js';

const keepaliveProbe = (backendIdleTimeoutMs?: number): ProbeResult => ({
  kind: 'keepalive', route: 'backend', target: 'http://127.0.0.1:3000/health', ok: true, timeMs: 1, evidence: 'measured', ...(backendIdleTimeoutMs !== undefined ? { backendIdleTimeoutMs } : {}),
});

describe('the keep-alive race from positive evidence only', () => {
  it('an unknown gateway idle timeout is a note, never a failed probe (so never a finding)', () => {
    const { probe, note } = judgeKeepalive(keepaliveProbe(5000), knowGatewayIdle(undefined, undefined, undefined));
    expect(probe).toMatchObject({ ok: true, gatewayIdleTimeoutSource: 'unknown' });
    expect(note).toContain('if your gateway keeps idle upstream connections longer than 5.0 s');
    expect(findCauses({ probes: [probe] })).toEqual([]);
  });

  it('nginx pools only when told to: without its configuration the race is not judged', () => {
    const idle = knowGatewayIdle(undefined, undefined, GATEWAYS.nginx);
    expect(idle.source).toBe('unknown');
    expect(judgeKeepalive(keepaliveProbe(5000), idle).note).toContain('keepalive (upstream block)');
  });

  it('a gateway that pools by default is judged by its documented default: Caddy 2m, Varnish 60 s; Apache and HAProxy until the backend closes', () => {
    expect(knowGatewayIdle(undefined, undefined, GATEWAYS.caddy)).toMatchObject({ ms: 120_000, source: 'profile' });
    expect(knowGatewayIdle(undefined, undefined, GATEWAYS.varnish)).toMatchObject({ ms: 60_000, source: 'profile' });
    expect(knowGatewayIdle(undefined, undefined, GATEWAYS.apache)).toMatchObject({ unbounded: true, source: 'profile' });
    const judged = judgeKeepalive(keepaliveProbe(5000), knowGatewayIdle(undefined, undefined, GATEWAYS.caddy)).probe;
    expect(judged.ok).toBe(false);
    const [finding] = findCauses({ probes: [judged], gateway: GATEWAYS.caddy });
    expect(finding).toMatchObject({ code: 'keepalive-race', confidence: 'medium' });
    expect(finding.next).toContain('transport http { keepalive }');
  });

  it('the option and a configuration are the strongest words; a backend that outlives the gateway is no race', () => {
    expect(judgeKeepalive(keepaliveProbe(5000), knowGatewayIdle(2000, undefined, undefined)).probe.ok).toBe(true);
    const racing = judgeKeepalive(keepaliveProbe(1000), knowGatewayIdle(2000, undefined, undefined)).probe;
    expect(findCauses({ probes: [racing] })[0]).toMatchObject({ code: 'keepalive-race', confidence: 'high' });
    const off = knowGatewayIdle(undefined, readGatewayConfPooling('upstream app { server 10.0.0.1:3000; }\nserver { location / { proxy_pass http://app; } }'), GATEWAYS.nginx);
    expect(off.noPooling).toBe(true);
  });
});

describe('reading a gateway configuration\'s pooling (--gateway-conf)', () => {
  it('nginx: upstream keepalive and keepalive_timeout; its listen/server lines are not HAProxy\'s', () => {
    expect(readGatewayConfPooling('http { upstream app { server 127.0.0.1:3000; keepalive 16; keepalive_timeout 30s; } server { listen 127.0.0.1:8080; location / { proxy_pass http://app; } } }'))
      .toMatchObject({ kind: 'nginx', pools: true, idleTimeoutMs: 30_000 });
    expect(readGatewayConfPooling('upstream app { server 127.0.0.1:3000; keepalive 8; } server { location / { proxy_pass http://app; proxy_next_upstream off; } }')?.retryOff).toMatch(/retries no failed attempt/);
  });

  it('HAProxy: pools unless http-reuse never', () => {
    const cfg = (reuse: string) => `defaults\n    mode http\nbackend app\n${reuse}    server s1 127.0.0.1:3000\n`;
    expect(readGatewayConfPooling(cfg(''))).toMatchObject({ kind: 'haproxy', pools: true, unbounded: true });
    expect(readGatewayConfPooling(cfg('    http-reuse never\n'))).toMatchObject({ kind: 'haproxy', pools: false });
  });

  it('Caddyfile: keepalive off, a duration, or the 2m default', () => {
    expect(readGatewayConfPooling(':8080 {\n reverse_proxy 127.0.0.1:3000 {\n  transport http {\n   keepalive 30s\n  }\n }\n}')).toMatchObject({ kind: 'caddy', idleTimeoutMs: 30_000 });
    expect(readGatewayConfPooling(':8080 {\n reverse_proxy 127.0.0.1:3000 {\n  transport http {\n   keepalive off\n  }\n }\n}')).toMatchObject({ kind: 'caddy', pools: false });
    expect(readGatewayConfPooling(':8080 {\n reverse_proxy 127.0.0.1:3000\n}')).toMatchObject({ kind: 'caddy', idleTimeoutMs: 120_000 });
  });

  it('Apache: ProxyPass disablereuse=On, ttl=, or kept until the backend closes', () => {
    expect(readGatewayConfPooling('ProxyPass "/" "http://127.0.0.1:3000/" disablereuse=On')).toMatchObject({ kind: 'apache', pools: false });
    expect(readGatewayConfPooling('ProxyPass "/" "http://127.0.0.1:3000/" ttl=30')).toMatchObject({ kind: 'apache', idleTimeoutMs: 30_000 });
    expect(readGatewayConfPooling('ProxyPass "/" "http://127.0.0.1:3000/"')).toMatchObject({ kind: 'apache', unbounded: true });
  });

  it('a file of none of these is not guessed at', () => {
    expect(readGatewayConfPooling('just: yaml\n')).toBeUndefined();
  });
});

describe('the gateway\'s kind, and reading answers with its status table', () => {
  it('option, then a log only it writes, then its headers; otherwise unknown, said so', () => {
    expect(identifyGateway('apache', [], [])).toMatchObject({ kind: 'apache', source: 'option' });
    expect(identifyGateway(undefined, [{ file: 'haproxy.log', gatewayKind: 'haproxy' }], [])).toMatchObject({ kind: 'haproxy', source: 'log' });
    const probe: ProbeResult = { kind: 'direct-vs-gateway', route: 'gateway', target: 'x', ok: true, timeMs: 1, evidence: '', recognised: { kind: 'caddy', evidence: 'Server: Caddy' } };
    expect(identifyGateway(undefined, [{ file: 'access.log' }], [probe])).toMatchObject({ kind: 'caddy', source: 'probe' });
    expect(identifyGateway(undefined, [{ file: 'access.log' }], [])).toMatchObject({ source: 'unknown' });
  });

  const accessLog = (statuses: Record<string, number>, causes: LogSummary['causes'] = {}): LogSummary => ({
    file: 'access.log', format: 'combined', formatSource: 'detected', ok: 0, lines: 3, skipped: 0, causes, unknown: { count: 0, samples: [] },
    answers: { count: 3, statuses, methods: {}, retried: 0, retriedMethods: {}, passedThrough: {}, samples: {} },
  });

  it('a status the gateway answers for one cause names it (nginx 504); one it answers for several is unexplained (Apache 502)', () => {
    const nginx = readAnswers(accessLog({ 504: 3 }), [502, 504], GATEWAYS.nginx);
    expect(nginx.causes['backend-timeout']).toMatchObject({ count: 3, fromStatus: 504 });
    const apache = readAnswers(accessLog({ 502: 3 }), [502, 503], GATEWAYS.apache);
    expect(apache.unexplained).toEqual({ 502: 3 });
    const [finding] = findCauses({ probes: [], log: apache, gateway: GATEWAYS.apache });
    expect(finding.code).toBe('unclassified');
    expect(finding.evidence[0]).toContain('3 failed answer(s) diagnose cannot name: 3 × 502');
  });

  it('a body cut after the status is no 502: nginx\'s "while reading upstream" lines say so', () => {
    const cut = (n: number) => `2026/12/08 03:54:2${n} [error] 1#1: *${n} upstream prematurely closed connection while reading upstream, client: 127.0.0.1, server: lab, request: "GET /api/users HTTP/1.1", upstream: "http://127.0.0.1:3000/api/users", host: "x"`;
    const acc = createLogAccumulator('error.log');
    for (let n = 1; n <= 3; n += 1) acc.add(cut(n));
    const [finding] = findCauses({ probes: [], log: acc.summary(), gateway: GATEWAYS.nginx });
    expect(finding.evidence.join('\n')).toContain('3 of them came while reading the body, after the status had gone to the client: a cut answer, not a 502');
  });

  it('error-log lines beside an access log explain its failed answers (lines are attempts, counted together)', () => {
    const withErrors = readAnswers(accessLog({ 502: 2 }, { 'backend-closed-connection': { count: 4, upstreams: [], sample: '' } }), [502, 504], GATEWAYS.nginx);
    expect(withErrors.unexplained).toBeUndefined();
  });
});
