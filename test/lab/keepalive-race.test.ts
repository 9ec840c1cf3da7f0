import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { parseFault } from '../../src/lab/fault.js';
import { findNginx } from '../../src/lab/nginx.js';
import { startLab, type Lab, type LabOptions } from '../../src/lab/lab.js';
import { hit } from './http.js';

const nginx = findNginx();
if (!nginx) console.log('nginx keep-alive race tests skipped: nginx is not installed (apt-get install nginx-light)');

/** The backend gives up on connections idle 300 ms; its close lands at 600 ms. */
const IDLE_MS = 300;

describe('--fault keepalive-race parsing', () => {
  it('keepalive-race is 1000 ms, keepalive-race=MS any MS ≥ 1', () => {
    expect(parseFault('keepalive-race')).toEqual({ kind: 'keepalive-race', idleMs: 1000 });
    expect(parseFault('keepalive-race=250')).toEqual({ kind: 'keepalive-race', idleMs: 250 });
    expect(() => parseFault('keepalive-race=0')).toThrow(/unknown fault/);
  });
});

for (const kind of ['nginx', 'builtin'] as const) {
  describe.skipIf(kind === 'nginx' && !nginx)(`the keep-alive race through ${kind}`, () => {
    let lab: Lab | undefined;
    afterEach(async () => { await lab?.close(); lab = undefined; });
    const open = async (extra: LabOptions = {}) => (lab = await startLab({ gateway: kind, fault: { kind: 'keepalive-race', idleMs: IDLE_MS }, ...extra }));

    it('a request on a pooled connection idle inside the window gets 502; direct never; after the close lands, 200 again', async () => {
      const l = await open();
      expect((await hit(l.gateway.url)).status).toBe(200);
      await sleep(IDLE_MS + 100);
      expect((await hit(l.gateway.url)).status).toBe(502);
      expect((await hit(l.backend.url)).status).toBe(200);
      // The failed connection is gone; the next request opens a fresh one.
      expect((await hit(l.gateway.url)).status).toBe(200);
      await sleep(2 * IDLE_MS + 200);
      // The backend's FIN landed: the gateway dropped the idle connection cleanly, no 502.
      expect((await hit(l.gateway.url)).status).toBe(200);
      expect(readFileSync(l.gateway.errorLogPath!, 'utf8')).toMatch(/upstream prematurely closed connection while reading response header from upstream/);
      expect(l.backend.stats().rejected).toBe(1);
    });

    it('with proxy_next_upstream "error timeout" (nginx\'s default) a GET is retried on a fresh connection and hidden; a POST is not', async () => {
      const l = await open({ nextUpstream: 'error timeout' });
      expect((await hit(l.gateway.url)).status).toBe(200);
      await sleep(IDLE_MS + 100);
      expect((await hit(l.gateway.url)).status).toBe(200);
      expect(readFileSync(l.gateway.errorLogPath!, 'utf8')).toMatch(/upstream prematurely closed connection/);
      await sleep(IDLE_MS + 100);
      expect((await hit(l.gateway.url, '/api/users', { method: 'POST', body: '{"name":"x"}' })).status).toBe(502);
      expect(l.backend.stats().rejected).toBe(2);
    });
  });
}
