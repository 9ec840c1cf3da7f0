/**
 * Item 6 of issue 14: what the fast engine cannot send as newman would (a user's script, a file
 * body) is bad input — exit 2 before any request, every item named, no report written — through
 * the CLI, counted at the server.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { captureIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { startHostileServer, type HostileServer } from './servers.js';

let dir: string;
let server: HostileServer;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'debug502-fast-refusal-'));
  server = await startHostileServer('ok');
});
afterAll(async () => {
  await server?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

test('ramp --engine fast on a collection with a script and a file body: exit 2, both named, nothing sent, nothing written', async () => {
  const folder = (name: string, route: string) => ({
    name,
    item: [
      { name: 'Signed', request: { method: 'GET', url: `{{${route}}}/a` }, event: [{ listen: 'prerequest', script: { exec: ['pm.request.headers.add({ key: "X-Sig", value: "1" });'] } }] },
      { name: 'Upload', request: { method: 'POST', url: `{{${route}}}/b`, body: { mode: 'file', file: { src: '/tmp/upload.bin' } } } },
    ],
  });
  const collection = { info: { name: 'c', schema: 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json' }, item: [folder('Through gateway', 'gateway_url'), folder('Direct to backend', 'backend_url')] };
  await writeFile(join(dir, 'c.json'), JSON.stringify(collection));
  await writeFile(join(dir, 'e.json'), JSON.stringify({ name: 'e', values: [{ key: 'gateway_url', value: server.url }, { key: 'backend_url', value: server.url }] }));
  const io = captureIo({ cwd: dir });
  const code = await main(['ramp', '--collection', 'c.json', '--environment', 'e.json', '--engine', 'fast', '--target', 'both', '--report-dir', 'out'], io);
  expect(code).toBe(2);
  const err = io.err.join('');
  expect(err).toMatch(/Through gateway \/ Signed".*pre-request script/);
  expect(err).toMatch(/Through gateway \/ Upload".*file/);
  expect(err).toContain('--engine newman');
  expect(server.received()).toBe(0);
  expect(existsSync(join(dir, 'out'))).toBe(false);
});
