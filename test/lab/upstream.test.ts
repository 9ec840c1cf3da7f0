import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { startLabBackend, type LabBackend } from '../../src/lab/backend.js';
import { InputError } from '../../src/errors.js';
import { checkLabUpstream, startLab, type Lab } from '../../src/lab/lab.js';
import { findNginx } from '../../src/lab/nginx.js';
import { reserveDeadPort, reserveFreePort } from '../../src/lab/ports.js';
import { hit } from './http.js';

const nginx = findNginx();

describe('checkLabUpstream', () => {
  it('takes loopback and .invalid hosts, refuses the rest with the reason', () => {
    expect(checkLabUpstream('127.0.0.1:9')).toBeNull();
    expect(checkLabUpstream('localhost:8080')).toBeNull();
    expect(checkLabUpstream('backend.invalid:8080')).toBeNull();
    expect(checkLabUpstream('api.Backend.INVALID:1')).toBeNull();
    expect(checkLabUpstream('127.0.0.1')).toMatch(/is not host:port/);
    expect(checkLabUpstream('127.0.0.1:0')).toMatch(/is not host:port/);
    expect(checkLabUpstream('127.0.0.1:70000')).toMatch(/is not host:port/);
    expect(checkLabUpstream('10.0.0.1:80')).toMatch(/neither loopback .* nor a NAME\.invalid host/);
    expect(checkLabUpstream('example.com:80')).toMatch(/neither loopback/);
    expect(checkLabUpstream('127.0.0.1:18652', 18652)).toMatch(/gateway's own port/);
    expect(checkLabUpstream('127.0.0.1:18652', 18653)).toBeNull();
  });

  it('startLab refuses a bad upstream before it starts anything', async () => {
    const error = await startLab({ gateway: 'builtin', upstream: '192.168.1.1:80' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).problems).toEqual(['upstream: "192.168.1.1" is neither loopback (127.x.x.x, localhost) nor a NAME.invalid host: the lab stays on this machine']);
  });
});

for (const kind of ['nginx', 'builtin'] as const) {
  describe.skipIf(kind === 'nginx' && !nginx)(`lab --upstream through ${kind}`, () => {
    let lab: Lab | undefined;
    let other: LabBackend | undefined;
    afterEach(async () => {
      await lab?.close();
      await other?.close();
      lab = other = undefined;
    });
    const errorLog = (l: Lab) => readFileSync(l.gateway.errorLogPath!, 'utf8');

    it('a dead port: 502 through the gateway while the backend, hit directly, answers 200', async () => {
      const dead = await reserveDeadPort();
      lab = await startLab({ gateway: kind, upstream: `127.0.0.1:${dead}` });
      expect(lab).toMatchObject({ upstream: `127.0.0.1:${dead}`, upstreamIsBackend: false });
      expect((await hit(lab.gateway.url)).status).toBe(502);
      expect((await hit(lab.backend.url)).status).toBe(200);
      expect(lab.backend.stats().requests).toBe(1);
      expect(errorLog(lab)).toContain('connect() failed (111: Connection refused) while connecting to upstream');
      expect(errorLog(lab)).toContain(`upstream: "http://127.0.0.1:${dead}/api/users"`);
    });

    it('another port: the gateway answers from the other server, the lab backend gets nothing through it', async () => {
      other = await startLabBackend({ fault: { kind: 'status', status: 503 } });
      lab = await startLab({ gateway: kind, upstream: `localhost:${other.port}` });
      expect((await hit(lab.gateway.url)).status).toBe(503);
      expect(other.stats().requests).toBe(1);
      expect(lab.backend.stats().requests).toBe(0);
    });

    it('an unresolvable *.invalid name: 502 and "could not be resolved", backend 200', async () => {
      lab = await startLab({ gateway: kind, upstream: 'backend.invalid:8080' });
      expect((await hit(lab.gateway.url)).status).toBe(502);
      expect((await hit(lab.backend.url, '/health')).status).toBe(200);
      expect(errorLog(lab)).toContain('backend.invalid could not be resolved (3: Host not found)');
    });

    it('the backend port given as upstream is the lab backend', async () => {
      const port = await reserveFreePort();
      lab = await startLab({ gateway: kind, backendPort: port, upstream: `127.0.0.1:${port}` });
      expect(lab.upstreamIsBackend).toBe(true);
      expect((await hit(lab.gateway.url)).status).toBe(200);
      expect(lab.backend.stats().requests).toBe(1);
    });
  });
}
