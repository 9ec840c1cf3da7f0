import { chmodSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError, RuntimeError } from '../../src/errors.js';
import { answerQuery } from '../../src/lab/dns-stub.js';
import { describeUpstreamError, formatNginxErrorLine } from '../../src/lab/error-log.js';
import { resolveGatewayOptions } from '../../src/lab/gateway.js';
import { labBackendIdleTimeoutMs, startLab } from '../../src/lab/lab.js';
import { startLabBackend } from '../../src/lab/backend.js';
import { GATEWAYS, type LabGatewayProfile } from '../../src/gateways/index.js';
import { renderNginxConfig } from '../../src/gateways/nginx-lab.js';
import { findNginx, startNginx } from '../../src/lab/nginx.js';
import { hit } from './http.js';

const scratch = mkdtempSync(join(tmpdir(), 'debug502-lab-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('renderNginxConfig', () => {
  const options = resolveGatewayOptions({ upstream: '127.0.0.1:3001', maxConns: 4, maxFails: 3, failTimeoutSec: 30, proxyReadTimeoutMs: 1500 });
  it('keeps every path in the temp dir, listens on loopback, carries the upstream limits and timeouts', () => {
    const conf = renderNginxConfig({ dir: '/tmp/lab-x', listenPort: 8081, options, runWorkersAsRoot: true });
    expect(conf).toContain('daemon off;');
    expect(conf).toContain('master_process on;');
    expect(conf).toContain('user root;');
    expect(conf).toContain('error_log "/tmp/lab-x/error.log" warn;');
    for (const temp of ['client_body_temp', 'proxy_temp', 'fastcgi_temp', 'uwsgi_temp', 'scgi_temp']) {
      expect(conf).toContain(`${temp}_path "/tmp/lab-x/${temp}";`);
    }
    expect(conf).toContain('listen 127.0.0.1:8081;');
    expect(conf).toContain('server 127.0.0.1:3001 max_conns=4 max_fails=3 fail_timeout=30s;');
    expect(conf).toContain('proxy_read_timeout 1500ms;');
    expect(conf).toContain('proxy_connect_timeout 5000ms;');
    expect(conf).toContain('proxy_http_version 1.1;');
    expect(conf).not.toContain('resolver');
  });
  it('resolves an unresolvable upstream per request through the loopback resolver', () => {
    const dns = resolveGatewayOptions({ upstream: 'backend.invalid:80' });
    const conf = renderNginxConfig({ dir: '/tmp/lab-x', listenPort: 8081, options: dns, resolverPort: 5300, runWorkersAsRoot: false });
    expect(conf).toContain('resolver 127.0.0.1:5300 ipv6=off valid=1s;');
    expect(conf).toContain('set $lab_upstream "backend.invalid:80";');
    expect(conf).toContain('proxy_pass http://$lab_upstream;');
    expect(conf).not.toContain('upstream lab_backend');
    expect(conf).not.toContain('user root;');
  });
  it('validates gateway options all at once', () => {
    expect(() => resolveGatewayOptions({ upstream: 'nohost', maxConns: 0 })).toThrow(InputError);
    try {
      resolveGatewayOptions({ upstream: 'nohost', maxConns: 0 });
    } catch (error) {
      expect((error as InputError).problems).toEqual(['upstream: "nohost" is not host:port', 'maxConns: must be a whole number ≥ 1']);
    }
  });
});

describe('findNginx', () => {
  const fake = join(scratch, 'nginx');
  writeFileSync(fake, '#!/bin/sh\nexit 1\n');
  chmodSync(fake, 0o755);
  it('prefers NGINX_BIN, then PATH; null when NGINX_BIN is not executable', () => {
    expect(findNginx({ NGINX_BIN: fake })).toBe(fake);
    expect(findNginx({ PATH: scratch })).toBe(fake);
    expect(findNginx({ NGINX_BIN: join(scratch, 'missing') })).toBeNull();
  });
  it('startNginx without a binary is a RuntimeError with a hint', async () => {
    const error = await startNginx({ upstream: '127.0.0.1:1', nginxBinary: join(scratch, 'missing') }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RuntimeError);
  });
  it('startLab auto falls back to the built-in proxy when nginx is missing', async () => {
    const lab = await startLab({ env: { NGINX_BIN: join(scratch, 'missing') } });
    try {
      expect(lab.gateway.kind).toBe('builtin');
      expect((await hit(lab.gateway.url, '/health')).status).toBe(200);
    } finally {
      await lab.close();
    }
  });
  it('startLab with gateway nginx and no nginx fails and leaves no backend behind', async () => {
    await expect(startLab({ gateway: 'nginx', env: { NGINX_BIN: join(scratch, 'missing') } })).rejects.toBeInstanceOf(RuntimeError);
  });
});

describe('the error log in nginx format', () => {
  it('formats a line the way nginx writes it', () => {
    const line = formatNginxErrorLine({
      time: new Date(2024, 0, 2, 3, 4, 5),
      pid: 42,
      connection: 7,
      message: 'connect() failed (111: Connection refused) while connecting to upstream',
      client: '127.0.0.1',
      server: 'lab',
      request: 'GET /api/users?q="x" HTTP/1.1',
      upstream: 'http://127.0.0.1:3000/api/users',
      host: '127.0.0.1:8080',
    });
    expect(line).toBe(
      '2024/01/02 03:04:05 [error] 42#42: *7 connect() failed (111: Connection refused) while connecting to upstream, client: 127.0.0.1, server: lab, request: "GET /api/users?q=\\x22x\\x22 HTTP/1.1", upstream: "http://127.0.0.1:3000/api/users", host: "127.0.0.1:8080"\n',
    );
  });
  it('maps Node upstream errors to nginx status and words', () => {
    const err = (code: string, syscall?: string) => Object.assign(new Error(code), { code, syscall });
    expect(describeUpstreamError(err('ECONNREFUSED', 'connect'), 'connecting', 'h')).toMatchObject({ status: 502, message: expect.stringContaining('111: Connection refused') });
    expect(describeUpstreamError(err('ECONNRESET'), 'header', 'h').message).toBe('upstream prematurely closed connection while reading response header from upstream');
    expect(describeUpstreamError(err('ECONNRESET', 'read'), 'header', 'h').message).toContain('recv() failed (104: Connection reset by peer)');
    expect(describeUpstreamError(err('HPE_INVALID_HEADER_TOKEN'), 'header', 'h').message).toContain('upstream sent invalid header');
    expect(describeUpstreamError(err('ETIMEDOUT'), 'header', 'h').status).toBe(504);
    expect(describeUpstreamError(err('ENOTFOUND', 'getaddrinfo'), 'connecting', 'b.invalid')).toEqual({
      status: 502,
      message: 'b.invalid could not be resolved (3: Host not found)',
      hasUpstream: false,
    });
  });
});

describe('the DNS stub', () => {
  const query = (name: string) => {
    const labels = name.split('.').flatMap((l) => [Buffer.from([l.length]), Buffer.from(l)]);
    return Buffer.concat([Buffer.from([0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0]), ...labels, Buffer.from([0, 0, 1, 0, 1])]);
  };
  it('answers NXDOMAIN for a name that does not resolve, with the query id', async () => {
    const reply = (await answerQuery(query('backend.invalid')))!;
    expect(reply.readUInt16BE(0)).toBe(0x1234);
    expect(reply.readUInt16BE(2) & 0x000f).toBe(3);
    expect(reply.readUInt16BE(6)).toBe(0);
  });
  it('answers an A record for localhost', async () => {
    const reply = (await answerQuery(query('localhost')))!;
    expect(reply.readUInt16BE(2) & 0x000f).toBe(0);
    expect(reply.readUInt16BE(6)).toBeGreaterThanOrEqual(1);
    expect([...reply.subarray(reply.length - 4)]).toEqual([127, 0, 0, 1]);
  });
});

describe.skipIf(!findNginx())('startNginx failures', () => {
  it('a taken --gateway-port is a RuntimeError quoting nginx, leaving no process or temp dir', async () => {
    const squatter = createServer();
    await new Promise<void>((resolve) => squatter.listen(0, '127.0.0.1', () => resolve()));
    const port = (squatter.address() as { port: number }).port;
    // A private TMPDIR: other test files create nginx temp dirs at the same time.
    const privateTmp = mkdtempSync(join(scratch, 'tmp-'));
    const savedTmp = process.env.TMPDIR;
    process.env.TMPDIR = privateTmp;
    try {
      const error = await startNginx({ upstream: '127.0.0.1:1', port }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RuntimeError);
      expect((error as Error).message).toContain('Address already in use');
    } finally {
      if (savedTmp === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = savedTmp;
      await new Promise((resolve) => squatter.close(resolve));
    }
    expect(readdirSync(privateTmp)).toEqual([]);
  });
});

describe('the healthy lab backend outlives the gateway\'s pool (no keep-alive race without the fault)', () => {
  const profile = (kind: keyof typeof GATEWAYS) => GATEWAYS[kind] as LabGatewayProfile;
  it('behind a pooling gateway: its idle timeout + 5 s; one that pools until the backend closes: never closes; no pool: Node\'s 5 s', () => {
    expect(labBackendIdleTimeoutMs(profile('caddy'), {})).toBe(125_000);
    expect(labBackendIdleTimeoutMs(profile('varnish'), {})).toBe(65_000);
    expect(labBackendIdleTimeoutMs(profile('haproxy'), {})).toBe(0);
    expect(labBackendIdleTimeoutMs(profile('apache'), {})).toBe(0);
    expect(labBackendIdleTimeoutMs(profile('nginx'), {})).toBe(5000);
    expect(labBackendIdleTimeoutMs(profile('nginx'), { keepalive: 16 })).toBe(65_000);
    expect(labBackendIdleTimeoutMs(profile('caddy'), { keepalive: 0 })).toBe(5000);
  });

  it('the backend announces the idle timeout it was given (Keep-Alive: timeout=…)', async () => {
    const backend = await startLabBackend({ idleTimeoutMs: 125_000 });
    try {
      const response = await fetch(`${backend.url}/api/users`);
      await response.arrayBuffer();
      expect(response.headers.get('keep-alive')).toBe('timeout=125');
    } finally {
      await backend.close();
    }
  });
});
