import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { captureIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { HAPROXY_LAB } from '../../src/gateways/haproxy-lab.js';
import { findBinary } from '../../src/lab/binary.js';
import { findNginx } from '../../src/lab/nginx.js';
import { isPortFree, reserveDeadPort } from '../../src/lab/ports.js';
import { hit, hitTogether, processExists } from './http.js';

const scratch = mkdtempSync(join(tmpdir(), 'debug502-lab-cli-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Starts `debug502 lab …` in-process; resolves once it printed its URLs. */
async function startLabCommand(args: string[], env: Record<string, string | undefined> = {}) {
  const cwd = mkdtempSync(join(scratch, 'run-'));
  const controller = new AbortController();
  const io = captureIo({ cwd, env, signal: controller.signal });
  const exit = main(['lab', ...args], io);
  for (let i = 0; i < 250 && !io.out.join('').includes('Ctrl-C'); i += 1) {
    const early = await Promise.race([exit, new Promise((r) => setTimeout(r, 20))]);
    if (typeof early === 'number') throw new Error(`lab exited ${early}: ${io.text()}`);
  }
  const field = (name: string) => new RegExp(`^${name}: (.*)$`, 'm').exec(io.out.join(''))?.[1];
  return { io, cwd, exit, stop: () => controller.abort('SIGINT'), field };
}

describe('debug502 lab', () => {
  it('with the built-in gateway: prints the URLs, writes the environment, enforces the options, stops on abort with exit 0', async () => {
    const lab = await startLabCommand(['--gateway', 'builtin', '--capacity', '2', '--latency', '100', '--max-conns', '5']);
    const gatewayUrl = lab.field('gateway_url')!;
    const backendUrl = lab.field('backend_url')!;
    expect(gatewayUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(lab.field('gateway')).toBe(
      `builtin (debug502's built-in Node gateway, as asked), upstream 127.0.0.1:${new URL(backendUrl).port} (the lab backend), proxy_read_timeout 5000 ms, max_conns 5`,
    );
    expect(lab.field('error_log')).toMatch(/error\.log$/);
    expect(lab.field('backend')).toBe('capacity 2, latency 100 ms, fault none, idle keep-alive 5 s');
    const environment = JSON.parse(readFileSync(join(lab.cwd, 'environments/lab.postman_environment.json'), 'utf8'));
    expect(environment).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/),
      name: 'lab',
      values: [
        { key: 'gateway_url', value: gatewayUrl, type: 'default', enabled: true },
        { key: 'backend_url', value: backendUrl, type: 'default', enabled: true },
      ],
      _postman_variable_scope: 'environment',
    });
    const three = await hitTogether(gatewayUrl, 3);
    expect(three.filter((h) => h.status === 502).length).toBeGreaterThanOrEqual(1);
    lab.stop();
    expect(await lab.exit).toBe(0);
    expect(lab.io.out.join('')).toMatch(/lab stopped: the backend got 3 requests, dropped 1, peak 2 in flight/);
    expect(await isPortFree(Number(new URL(gatewayUrl).port))).toBe(true);
    expect(await isPortFree(Number(new URL(backendUrl).port))).toBe(true);
  });

  it.skipIf(!findNginx())('with nginx: the fault shows through it and nginx is gone after the stop', async () => {
    const lab = await startLabCommand(['--gateway', 'nginx', '--fault', 'crash-after=1', '--gateway-timeout', '2000']);
    expect(lab.field('gateway')).toMatch(/^nginx \(real nginx, pid \d+\), upstream 127\.0\.0\.1:\d+ \(the lab backend\), proxy_read_timeout 2000 ms, no max_conns$/);
    const pid = Number(/pid (\d+)/.exec(lab.field('gateway')!)![1]);
    expect(processExists(-pid)).toBe(true);
    const gatewayUrl = lab.field('gateway_url')!;
    expect((await hit(gatewayUrl)).status).toBe(200);
    expect((await hit(gatewayUrl)).status).toBe(502);
    expect(readFileSync(lab.field('error_log')!, 'utf8')).toContain('upstream prematurely closed connection');
    lab.stop();
    expect(await lab.exit).toBe(0);
    expect(processExists(-pid)).toBe(false);
  });

  it.skipIf(!findBinary(HAPROXY_LAB.binary))('with HAProxy: its own words, its log and config printed, --next-upstream said not to apply, gone after the stop', async () => {
    const lab = await startLabCommand(['--gateway', 'haproxy', '--max-conns', '2', '--next-upstream', 'off']);
    expect(lab.field('gateway')).toMatch(
      /^haproxy \(real HAProxy, pid \d+\), upstream 127\.0\.0\.1:\d+ \(the lab backend\), timeout server 5000 ms, maxconn 2 \(beyond it requests queue up to timeout queue 5000 ms, then 503\), http-reuse safe \(HAProxy's default: pools/,
    );
    expect(lab.field('access_log')).toMatch(/debug502-haproxy-[^/]+\/haproxy\.log$/);
    expect(lab.field('haproxy_cfg')).toMatch(/haproxy\.cfg$/);
    expect(lab.field('note')).toMatch(/^--next-upstream is nginx's proxy_next_upstream; HAProxy has no such setting, so it is not applied/);
    const pid = Number(/pid (\d+)/.exec(lab.field('gateway')!)![1]);
    expect((await hit(lab.field('gateway_url')!)).status).toBe(200);
    expect(readFileSync(lab.field('access_log')!, 'utf8')).toMatch(/lab lab_backend\/backend .* 200 .*"GET \/api\/users HTTP\/1\.1"/);
    lab.stop();
    expect(await lab.exit).toBe(0);
    expect(processExists(-pid)).toBe(false);
  });

  it('a gateway that is not installed: exit 3 with how to install it, and nothing started', async () => {
    const io = captureIo({ cwd: scratch, env: { CADDY_BIN: join(scratch, 'no-caddy') } });
    expect(await main(['lab', '--gateway', 'caddy'], io)).toBe(3);
    expect(io.err.join('')).toMatch(/Caddy is not installed \(CADDY_BIN=.*no-caddy is not an executable\)[\s\S]*hint: install it \(apt-get install -y caddy\), set CADDY_BIN, or use --gateway builtin/);
    expect(io.out.join('')).not.toContain('gateway_url');
  });

  it('auto without nginx says plainly that the built-in gateway runs', async () => {
    const lab = await startLabCommand(['--fault', '503'], { NGINX_BIN: join(scratch, 'no-nginx') });
    expect(lab.field('gateway')).toMatch(/^builtin \(debug502's built-in Node gateway: nginx is not installed\), upstream 127\.0\.0\.1:\d+ \(the lab backend\), proxy_read_timeout 5000 ms, no max_conns$/);
    expect((await hit(lab.field('gateway_url')!, '/health')).status).toBe(503);
    lab.stop();
    expect(await lab.exit).toBe(0);
  });

  it('bad options exit 2 naming each problem, and start nothing', async () => {
    const io = captureIo({ cwd: scratch });
    expect(await main(['lab', '--fault', 'explode', '--capacity', '0', '--latency', '-5'], io)).toBe(2);
    const err = io.err.join('');
    expect(err).toContain('--fault: "explode" is not one of');
    expect(err).toContain('--capacity: must be a whole number ≥ 1');
    expect(err).toContain('--latency: -5 is out of range');
    expect(io.out.join('')).not.toContain('gateway_url');
  });

  it('--upstream: the gateway forwards to a dead port while the lab backend answers', async () => {
    const dead = await reserveDeadPort();
    const lab = await startLabCommand(['--gateway', 'builtin', '--upstream', `127.0.0.1:${dead}`]);
    expect(lab.field('gateway')).toContain(`, upstream 127.0.0.1:${dead} (--upstream, not the lab backend), proxy_read_timeout`);
    expect((await hit(lab.field('gateway_url')!)).status).toBe(502);
    expect((await hit(lab.field('backend_url')!)).status).toBe(200);
    expect(readFileSync(lab.field('error_log')!, 'utf8')).toContain(`upstream: "http://127.0.0.1:${dead}/api/users"`);
    lab.stop();
    expect(await lab.exit).toBe(0);
  });

  it.skipIf(!findNginx())('--upstream NAME.invalid with nginx: 502, "could not be resolved", and the banner says max_conns is off', async () => {
    const lab = await startLabCommand(['--gateway', 'nginx', '--upstream', 'backend.invalid:8080', '--max-conns', '2']);
    expect(lab.field('gateway')).toMatch(
      /, upstream backend\.invalid:8080 \(--upstream, not the lab backend\), proxy_read_timeout 5000 ms, max_conns 2 \(not applied: nginx resolves the name per request\)$/,
    );
    expect((await hit(lab.field('gateway_url')!)).status).toBe(502);
    expect((await hit(lab.field('backend_url')!)).status).toBe(200);
    expect(readFileSync(lab.field('error_log')!, 'utf8')).toContain('backend.invalid could not be resolved (3: Host not found)');
    lab.stop();
    expect(await lab.exit).toBe(0);
  });

  it('a bad --upstream exits 2 with the loopback hint', async () => {
    const io = captureIo({ cwd: scratch });
    expect(await main(['lab', '--upstream', '10.1.2.3:80', '--gateway', 'builtin'], io)).toBe(2);
    expect(io.err.join('')).toMatch(/--upstream: "10\.1\.2\.3" is neither loopback[\s\S]*hint: give host:port on loopback: 127\.0\.0\.1:PORT .* NAME\.invalid:PORT/);
    const noPort = captureIo({ cwd: scratch });
    expect(await main(['lab', '--upstream', 'backend.invalid'], noPort)).toBe(2);
    expect(noPort.err.join('')).toContain('--upstream: "backend.invalid" is not host:port');
  });

  it('--gateway nginx without nginx exits 3 with a hint', async () => {
    const io = captureIo({ cwd: scratch, env: { NGINX_BIN: join(scratch, 'no-nginx') } });
    expect(await main(['lab', '--gateway', 'nginx'], io)).toBe(3);
    expect(io.err.join('')).toMatch(/nginx is not installed[\s\S]*hint: .*--gateway builtin/);
  });
});
