/**
 * Item 1 of issue 14 for diagnose and lab: the first SIGINT cuts the probe in flight (exit 130
 * with what finished), and the lab stops within a few seconds with a request held open.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { BIN, REPO, spawnBin, waitFor } from './processes.js';
import { startHostileServer, type HostileServer } from './servers.js';

let trickle: HostileServer;
let dir: string;

beforeAll(async () => {
  if (!existsSync(BIN)) expect(spawnSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: REPO, encoding: 'utf8' }).status).toBe(0);
  trickle = await startHostileServer('trickle', { trickleMs: 300 });
  dir = await mkdtemp(join(tmpdir(), 'debug502-stop-'));
  await writeFile(join(dir, 'env.json'), JSON.stringify({ values: [{ key: 'gateway_url', value: trickle.url }, { key: 'backend_url', value: trickle.url }] }));
});
afterAll(async () => {
  await trickle?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});


test('diagnose: the first SIGINT cuts the probe in flight, exit 130 within a few seconds', async () => {
  const received = trickle.received();
  const run = spawnBin(['diagnose', '--environment', 'env.json', '--gateway-timeout', '25s'], dir);
  await waitFor(() => trickle.received() > received);
  const signalledAt = performance.now();
  run.child.kill('SIGINT');
  const { code, atMs } = await run.exit;
  expect(code).toBe(130);
  expect(atMs - signalledAt).toBeLessThan(5000);
}, 45_000);

test('lab: SIGINT with a request held open by a slow backend stops it within a few seconds', async () => {
  const run = spawnBin(['lab', '--gateway', 'builtin', '--latency', '60s'], dir);
  await waitFor(() => run.output().includes('Press Ctrl-C'));
  const gatewayUrl = /gateway_url: (\S+)/.exec(run.output())![1];
  const held = request(`${gatewayUrl}/api/users`);
  held.on('error', () => undefined);
  held.end();
  await new Promise((resolve) => setTimeout(resolve, 500));
  const signalledAt = performance.now();
  run.child.kill('SIGINT');
  const { code, atMs } = await run.exit;
  held.destroy();
  expect(code).toBe(0);
  expect(atMs - signalledAt).toBeLessThan(5000);
  expect(run.output()).toContain('lab stopped');
}, 45_000);
