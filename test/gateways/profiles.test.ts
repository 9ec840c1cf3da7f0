import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import {
  failuresAnsweredWith, failureStatusesOf, GATEWAY_KINDS, GATEWAYS, LAB_GATEWAY_KINDS, labProfileOf, recogniseGateway, UPSTREAM_FAILURES,
  type LabGatewayConfig, type LabPlanInput,
} from '../../src/gateways/index.js';
import { findBinary } from '../../src/lab/binary.js';
import { resolveGatewayOptions } from '../../src/lab/gateway.js';
import { GATEWAY_CHOICES } from '../../src/lab/lab.js';

const scratch = mkdtempSync(join(tmpdir(), 'debug502-profiles-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const config = (extra: Parameters<typeof resolveGatewayOptions>[0] | object = {}): LabGatewayConfig =>
  resolveGatewayOptions({ upstream: '127.0.0.1:3001', ...extra });
const input = (over: Partial<LabPlanInput> = {}): LabPlanInput => ({ dir: '/tmp/lab-x', listenPort: 8081, config: config(), runAsRoot: false, keepaliveRace: false, ...over });
const planOf = (kind: 'haproxy' | 'caddy' | 'apache' | 'varnish' | 'nginx', over: Partial<LabPlanInput> = {}) => {
  const lab = labProfileOf(kind)!.lab;
  if (lab.runs !== 'binary') throw new Error('not a binary');
  return lab.plan(input(over));
};

describe('the gateway registry', () => {
  it('names every gateway once, each profile answers every upstream failure, and the lab choices derive from it', () => {
    expect(GATEWAY_KINDS).toEqual(['nginx', 'haproxy', 'caddy', 'apache', 'varnish', 'traefik', 'alb', 'envoy', 'builtin']);
    for (const kind of GATEWAY_KINDS) {
      expect(GATEWAYS[kind].kind).toBe(kind);
      expect(Object.keys(GATEWAYS[kind].answers).sort()).toEqual([...UPSTREAM_FAILURES].sort());
    }
    expect(LAB_GATEWAY_KINDS).toEqual(['nginx', 'haproxy', 'caddy', 'apache', 'varnish', 'builtin']);
    expect(GATEWAY_CHOICES).toEqual(['auto', ...LAB_GATEWAY_KINDS]);
    // A fact the lab cannot measure here says so.
    expect(GATEWAYS.traefik.answers['backend-down'].basis).toBe('documented');
    expect(GATEWAYS.apache.answers['backend-unresolvable']).toMatchObject({ status: 500, basis: 'documented' });
  });

  it('failure statuses: the 502–504 each gateway answers for upstream failures', () => {
    expect(failureStatusesOf(GATEWAYS.nginx)).toEqual([502, 504]);
    expect(failureStatusesOf(GATEWAYS.haproxy)).toEqual([502, 503, 504]);
    expect(failureStatusesOf(GATEWAYS.caddy)).toEqual([502, 504]);
    // Apache's 500 on a DNS failure is left out: applications answer 500 themselves.
    expect(failureStatusesOf(GATEWAYS.apache)).toEqual([502, 503]);
    expect(failureStatusesOf(GATEWAYS.varnish)).toEqual([503]);
    expect(failuresAnsweredWith(GATEWAYS.varnish, 503)).toEqual(['backend-down', 'backend-closed-connection', 'backend-timeout', 'backend-invalid-response', 'gateway-overflow']);
    expect(failuresAnsweredWith(GATEWAYS.apache, 502)).toEqual(['backend-closed-connection', 'backend-timeout', 'backend-invalid-response']);
  });

  it('pooling by default: nginx no, HAProxy, Caddy, Apache, Varnish, Traefik, Envoy and ALB yes; who retries a GET', () => {
    const pools = Object.fromEntries(GATEWAY_KINDS.map((k) => [k, [GATEWAYS[k].pooling.byDefault, GATEWAYS[k].pooling.idleTimeoutSec, GATEWAYS[k].pooling.retriesIdempotent]]));
    expect(pools).toEqual({
      nginx: [false, null, true], haproxy: [true, null, false], caddy: [true, 120, true], apache: [true, null, false], varnish: [true, 60, true],
      traefik: [true, 90, true], alb: [true, 60, false], envoy: [true, 3600, false], builtin: [false, null, true],
    });
  });
});

describe('recogniseGateway', () => {
  it('tells each gateway from the headers it sends, Via before a Server the backend may have passed through', () => {
    const kindOf = (headers: Record<string, string | string[]>, body?: string) => recogniseGateway({ headers, body })?.kind ?? null;
    expect(kindOf({ server: 'nginx/1.22.1' })).toBe('nginx');
    expect(kindOf({ Server: 'Caddy' })).toBe('caddy');
    expect(kindOf({ via: '1.1 Caddy' })).toBe('caddy');
    expect(kindOf({ server: 'Apache/2.4.71 (Debian)' })).toBe('apache');
    expect(kindOf({ via: '1.1 varnish (Varnish/7.1)', server: 'nginx' })).toBe('varnish');
    expect(kindOf({ 'x-varnish': '32770' })).toBe('varnish');
    expect(kindOf({ server: 'envoy', 'x-envoy-upstream-service-time': '3' })).toBe('envoy');
    expect(kindOf({ 'x-envoy-upstream-service-time': '3' })).toBe('envoy');
    expect(kindOf({ server: 'awselb/2.0' })).toBe('alb');
    expect(kindOf({ server: 'debug502-builtin' })).toBe('builtin');
    // HAProxy and Traefik send no identifying header: only HAProxy's own error page gives it away.
    expect(kindOf({ 'content-type': 'text/html' })).toBeNull();
    expect(kindOf({}, '<html><body><h1>503 Service Unavailable</h1>\nNo server is available to handle this request.\n</body></html>\n')).toBe('haproxy');
    expect(recogniseGateway({ headers: { via: '1.1 varnish (Varnish/7.1)' } })?.evidence).toBe('Via: 1.1 varnish (Varnish/7.1)');
  });
});

describe('the lab renderers (pure)', () => {
  it('HAProxy: timeouts, maxconn with its queue, pooling as asked, a resolvers section for a name that does not resolve', () => {
    const cfg = planOf('haproxy', { config: config({ proxyReadTimeoutMs: 300, maxConns: 2 }) }).files[0].text;
    expect(cfg).toContain('bind 127.0.0.1:8081');
    expect(cfg).toContain('timeout server 300ms');
    expect(cfg).toContain('timeout queue 300ms');
    expect(cfg).toContain('server backend 127.0.0.1:3001 maxconn 2');
    expect(cfg).toContain('log stdout format raw local0 info');
    expect(cfg).not.toContain('http-reuse');
    expect(planOf('haproxy', { config: config({ keepalive: 0 }) }).files[0].text).toContain('option http-server-close');
    expect(planOf('haproxy', { config: config({ keepalive: 16 }) }).files[0].text).toMatch(/http-reuse always[\s\S]*pool-max-conn 16/);
    const dns = planOf('haproxy', { config: config({ upstream: 'backend.invalid:80' }), resolverPort: 5300 }).files[0].text;
    expect(dns).toContain('nameserver stub 127.0.0.1:5300');
    expect(dns).toContain('server backend backend.invalid:80 resolvers lab init-addr none');
  });

  it('Caddy: no admin endpoint, JSON logs in the temp dir, the transport settings, the loopback resolver', () => {
    const plan = planOf('caddy', { config: config({ maxConns: 3, keepalive: 0 }), resolverPort: 5300 });
    const text = plan.files[0].text;
    for (const line of ['admin off', 'auto_https off', 'http://127.0.0.1:8081 {', 'output file "/tmp/lab-x/caddy.log"', 'output file "/tmp/lab-x/access.log"',
      'response_header_timeout 5000ms', 'max_conns_per_host 3', 'keepalive off', 'resolvers udp/127.0.0.1:5300']) expect(text).toContain(line);
    expect(plan.env).toEqual({ HOME: '/tmp/lab-x', XDG_CONFIG_HOME: '/tmp/lab-x', XDG_DATA_HOME: '/tmp/lab-x' });
  });

  it('Apache: a whole config of its own, whole seconds for ProxyTimeout (said once), max= with acquire=, no DNS case', () => {
    const plan = planOf('apache', { config: config({ proxyReadTimeoutMs: 300, maxConns: 2, keepalive: 0 }), runAsRoot: true });
    const text = plan.files[0].text;
    for (const line of ['ServerRoot "/tmp/lab-x"', 'Listen 127.0.0.1:8081', 'PidFile "/tmp/lab-x/httpd.pid"', 'Mutex file:/tmp/lab-x default', 'User #65534',
      'LoadModule proxy_http_module "/usr/lib/apache2/modules/mod_proxy_http.so"', 'ProxyTimeout 1',
      'ProxyPass "/" "http://127.0.0.1:3001/" connectiontimeout=5000ms max=2 acquire=300 disablereuse=On']) expect(text).toContain(line);
    expect(plan.notes).toEqual(['ProxyTimeout takes whole seconds: the gateway timeout of 300 ms is 1 s in Apache']);
    expect(planOf('apache').files[0].text).not.toContain('User ');
    expect(() => planOf('apache', { config: config({ upstream: 'backend.invalid:80' }), resolverPort: 5300 })).toThrow(InputError);
  });

  it('Varnish: every request passed, the backend timeouts and cap, varnishncsa and varnishlog beside it, no DNS case', () => {
    const plan = planOf('varnish', { config: config({ proxyReadTimeoutMs: 300, maxConns: 2, keepalive: 0 }) });
    const vcl = plan.files[0].text;
    for (const line of ['vcl 4.1;', '.first_byte_timeout = 300ms;', '.max_connections = 2;', 'return (pass);', 'set bereq.http.Connection = "close";']) expect(vcl).toContain(line);
    expect(plan.args).toEqual(expect.arrayContaining(['-F', '-j', 'none', '-n', '/tmp/lab-x/varnish', '-a', '127.0.0.1:8081', '-T', 'none']));
    expect(plan.companions.map((c) => c.binary.names[0])).toEqual(['varnishncsa', 'varnishlog']);
    expect(() => planOf('varnish', { config: config({ upstream: 'backend.invalid:80' }), resolverPort: 5300 })).toThrow(InputError);
  });

  it('every plan keeps its files, logs and pid inside the temp dir', () => {
    for (const kind of ['nginx', 'haproxy', 'caddy', 'apache', 'varnish'] as const) {
      const plan = planOf(kind);
      expect(plan.files.map((f) => f.name)).toContain(plan.configFile);
      for (const name of [...plan.logs.map((l) => l.file), plan.pidFile, plan.stdoutFile].filter(Boolean)) expect(name).not.toContain('/');
      const paths = plan.files[0].text.match(/"\/[^"]*"/g) ?? [];
      for (const path of paths.filter((p) => p !== '"/"' && !p.startsWith('"/usr/lib/apache2'))) expect(path, kind).toMatch(/^"\/tmp\/lab-x("|\/)/);
    }
  });
});

/** Each gateway's own configuration check (`words.configTest`) on what the renderers write, across option combinations. */
describe('the rendered configurations pass each gateway\'s own check', () => {
  const checks = {
    haproxy: (bin: string, file: string) => [bin, ['-c', '-q', '-f', file]],
    caddy: (bin: string, file: string) => [bin, ['validate', '--config', file, '--adapter', 'caddyfile']],
    apache: (bin: string, file: string) => [bin, ['-t', '-f', file]],
    // -j none as the lab runs it: as root, varnishd's default jail would read the file as the varnish user.
    varnish: (bin: string, file: string, dir: string) => [bin, ['-C', '-j', 'none', '-f', file, '-n', join(dir, 'varnish')]],
  } satisfies Record<string, (bin: string, file: string, dir: string) => [string, string[]]>;
  for (const [kind, check] of Object.entries(checks) as [keyof typeof checks, (typeof checks)[keyof typeof checks]][]) {
    const lab = labProfileOf(kind)!.lab;
    const binary = lab.runs === 'binary' ? findBinary(lab.binary) : null;
    if (!binary) console.log(`${kind} configuration check skipped: not installed; CI installs it.`);
    it.skipIf(!binary)(`${kind}: default, --max-conns 2 --keepalive 0, --keepalive 16`, () => {
      for (const [i, extra] of [{}, { maxConns: 2, keepalive: 0 }, { keepalive: 16, proxyReadTimeoutMs: 300 }].entries()) {
        const dir = mkdtempSync(join(scratch, `${kind}-${i}-`));
        const plan = planOf(kind, { dir, config: config(extra), runAsRoot: process.getuid?.() === 0 });
        for (const file of plan.files) writeFileSync(join(dir, file.name), file.text);
        const [bin, args] = check(binary!, join(dir, plan.configFile), dir);
        const out = spawnSync(bin, args, { encoding: 'utf8', env: { ...process.env, ...plan.env }, timeout: 20_000 });
        expect(out.status, `${kind} ${JSON.stringify(extra)}: ${out.stderr}${out.stdout}`).toBe(0);
      }
    });
  }
});
