/**
 * The minor items of issue 29 for watch, against a loopback server that counts what it receives:
 * `--max-requests` caps the requests that leave the machine, across targets (as the ramp's does),
 * and a watch that sent nothing does not pass its gate.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { captureIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { startTinyServer, type TinyServer } from '../generate/helpers.js';

let server: TinyServer;
let dir: string;
beforeAll(async () => {
  server = await startTinyServer(200);
  dir = await mkdtemp(join(tmpdir(), 'debug502-watch-bounds-'));
  await writeFile(join(dir, 'env.json'), JSON.stringify({ values: [{ key: 'gateway_url', value: server.url }, { key: 'backend_url', value: server.url }] }));
});
afterAll(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

async function watch(args: string[]) {
  server.requests.length = 0;
  const io = captureIo({ cwd: dir });
  const code = await main(['watch', '--environment', 'env.json', '--report-dir', 'out', ...args], io);
  return { code, text: io.text() };
}

test('--target both --max-requests 5: 4 requests reach the server (2 arrivals × 2 targets), the report says why it stopped', async () => {
  const { code } = await watch(['--target', 'both', '--rate', '50/s', '--duration', '2s', '--arrivals', 'uniform', '--max-requests', '5', '-r', 'json']);
  expect(code).toBe(0);
  expect(server.requests).toHaveLength(4);
  const report = JSON.parse(await readFile(join(dir, 'out', 'watch.json'), 'utf8'));
  expect(report.meta.aborted).toEqual({ reason: 'max-requests', message: 'stopped at --max-requests 5: 4 requests sent (2 arrivals × 2 targets)' });
  expect(report.targets.gateway.requests + report.targets.backend.requests).toBe(4);
});

test('--target gateway --max-requests 3: 3 requests', async () => {
  const { code } = await watch(['--target', 'gateway', '--rate', '50/s', '--duration', '2s', '--max-requests', '3', '-r', 'cli']);
  expect(code).toBe(0);
  expect(server.requests).toHaveLength(3);
});

test('--max-requests 1 with --target both is refused before any request (exit 2)', async () => {
  const { code, text } = await watch(['--target', 'both', '--max-requests', '1', '--duration', '1s', '-r', 'cli']);
  expect(code).toBe(2);
  expect(text).toContain('--max-requests: 1 is below the 2 requests each arrival sends with --target both');
  expect(server.requests).toHaveLength(0);
});

test('a rate that yields no arrival (--rate 1/h --duration 1s): "no-requests", not a pass (exit 1), the JUnit cases fail', async () => {
  const { code, text } = await watch(['--rate', '1/h', '--duration', '1s', '-r', 'cli,json,junit']);
  expect(code).toBe(1);
  expect(server.requests).toHaveLength(0);
  expect(text).toContain('no request sent — verdict: no-requests\nNo request was sent');
  const report = JSON.parse(await readFile(join(dir, 'out', 'watch.json'), 'utf8'));
  expect(report.verdict.code).toBe('no-requests');
  const junit = await readFile(join(dir, 'out', 'watch.junit.xml'), 'utf8');
  expect(junit).toContain('failures="2"');
  expect(junit).toContain('message="no request was sent"');
});
