/**
 * Item 9 of issue 29: the commands that write and keep nothing partial (generate, export, init,
 * report) obey the first Ctrl-C / SIGTERM — exit 130, nothing written, no `.debug502-staging-*` —
 * and an exit in the middle of a write (a second Ctrl-C is process.exit(130)) leaves no staging
 * directory and puts back what it had replaced. Diagnose cut in its keep-alive probe reports what
 * finished, flagged interrupted, the cut probe not counted as passed.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { captureIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { STAGING_PREFIX } from '../../src/fs/atomic-write.js';
import { writeRampReport } from '../../src/report/ramp/index.js';
import { gatewayLimitedReport } from '../report/fixtures.js';
import { BIN, REPO, spawnBin, waitFor } from './processes.js';

let dir: string;
beforeAll(async () => {
  if (!existsSync(BIN)) expect(spawnSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: REPO, encoding: 'utf8' }).status).toBe(0);
  dir = await mkdtemp(join(tmpdir(), 'debug502-stop-writers-'));
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Every `.debug502-staging-*` (or replaceDirectory `.NAME.*.tmp`) directory under `root`, at any depth. */
async function findStaging(root: string): Promise<string[]> {
  const found: string[] = [];
  const walk = async (at: string) => {
    for (const entry of await readdir(at, { withFileTypes: true }).catch(() => [])) {
      if (!entry.isDirectory()) continue;
      if (entry.name.startsWith(STAGING_PREFIX) || /^\..+\.\d+\.\d+\.(tmp|old)$/.test(entry.name)) found.push(join(at, entry.name));
      else await walk(join(at, entry.name));
    }
  };
  await walk(root);
  return found;
}

/** The write has begun: `out` holds a staging directory. */
const isStaging = (out: string) => existsSync(out) && readdirSync(out).some((name) => name.startsWith(STAGING_PREFIX));

/** A config of `endpoints` endpoints: its collection takes long enough to write for a signal to land while it is staged. */
async function writeBigConfig(path: string, endpoints: number): Promise<void> {
  const lines = ['environments:', '  local:', '    gateway_url: http://127.0.0.1:9', '    backend_url: http://127.0.0.1:9', 'endpoints:'];
  for (let i = 0; i < endpoints; i++) lines.push(`  - name: "Endpoint ${i}"`, `    path: /api/e${i}`);
  await writeFile(path, lines.join('\n') + '\n');
}

describe('generate, real process', () => {
  test.each(['SIGINT', 'SIGTERM'] as const)('%s while the collection is staged: exit 130, nothing written, no staging directory', async (signal) => {
    const work = join(dir, `gen-${signal}`);
    await mkdir(work);
    await writeBigConfig(join(work, 'big.yaml'), 15_000);
    const out = join(work, 'out');
    const run = spawnBin(['generate', '--config', 'big.yaml', '--out', 'out'], work);
    // The known point: the write has begun (its staging directory exists), the collection is not in place.
    await waitFor(() => isStaging(out), 30_000);
    run.child.kill(signal);
    const { code } = await run.exit;
    expect(code).toBe(130);
    expect(run.output()).toMatch(/interrupted \(SIG(INT|TERM)\) while writing: nothing was written/);
    expect(await findStaging(work)).toEqual([]);
    // Nothing of the command is left: the directories it made for its files went too.
    expect(existsSync(join(out, 'collections'))).toBe(false);
    expect(existsSync(join(out, 'environments'))).toBe(false);
  }, 60_000);

  test('a second SIGINT right after the first: exit 130 at once, no staging directory', async () => {
    const work = join(dir, 'gen-twice');
    await mkdir(work);
    await writeBigConfig(join(work, 'big.yaml'), 15_000);
    const out = join(work, 'out');
    const run = spawnBin(['generate', '--config', 'big.yaml', '--out', 'out'], work);
    await waitFor(() => isStaging(out), 30_000);
    run.child.kill('SIGINT');
    run.child.kill('SIGINT');
    const { code } = await run.exit;
    expect(code).toBe(130);
    expect(await findStaging(work)).toEqual([]);
    expect(existsSync(join(out, 'collections', '502-debugging.postman_collection.json'))).toBe(false);
  }, 60_000);
});

describe('an exit in the middle of a write (what a second Ctrl-C does)', () => {
  test('process.exit while staging: the old file stays, no staging directory, no directory made', async () => {
    const root = join(dir, 'exit-staging');
    await mkdir(root);
    await writeFile(join(root, 'a.txt'), 'old a');
    // The second file is staged a chunk at a time; after 50 chunks the process exits, as processIo does on a second Ctrl-C.
    const script = `
      import { writeFilesAtomic } from ${JSON.stringify(join(REPO, 'dist', 'fs', 'atomic-write.js'))};
      const root = ${JSON.stringify(root)};
      const slow = { *[Symbol.iterator]() { for (let i = 0; i < 1000; i++) { if (i === 50) setImmediate(() => process.exit(130)); yield 'x'.repeat(1000); } } };
      await writeFilesAtomic([{ path: root + '/a.txt', data: 'new a' }, { path: root + '/new-dir/b.txt', data: slow }]);
      process.exit(0);
    `;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: 'ignore' });
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(130);
    expect((await readdir(root)).sort()).toEqual(['a.txt']);
    expect(await readFile(join(root, 'a.txt'), 'utf8')).toBe('old a');
  });
});

describe('report, export and init stop before writing (in-process, the signal already fired)', () => {
  const stopped = () => {
    const controller = new AbortController();
    controller.abort('SIGINT');
    return controller.signal;
  };

  test('report --from: exit 130, the reports next to ramp.json untouched', async () => {
    const reports = join(dir, 'report-stop');
    await writeRampReport(gatewayLimitedReport(), reports, ['json', 'markdown']);
    const before = await readFile(join(reports, 'ramp.md'), 'utf8');
    const io = captureIo({ cwd: dir, signal: stopped() });
    expect(await main(['report', '--from', 'report-stop/ramp.json'], io)).toBe(130);
    expect(io.text()).toMatch(/interrupted \(SIGINT\)/);
    expect((await readdir(reports)).sort()).toEqual(['ramp.json', 'ramp.md']);
    expect(await readFile(join(reports, 'ramp.md'), 'utf8')).toBe(before);
  });

  test('export: exit 130, no script, no directory', async () => {
    const work = join(dir, 'export-stop');
    await mkdir(work);
    const collection = { info: { name: 'x', schema: 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json' }, item: [{ name: 'Through gateway', item: [{ name: 'a', request: { method: 'GET', url: '{{gateway_url}}/a' } }] }] };
    await writeFile(join(work, 'c.json'), JSON.stringify(collection));
    await writeFile(join(work, 'e.json'), JSON.stringify({ values: [{ key: 'gateway_url', value: 'http://127.0.0.1:9' }] }));
    const io = captureIo({ cwd: work, signal: stopped() });
    expect(await main(['export', '--to', 'k6', 'c.json', '--environment', 'e.json', '--target', 'gateway', '--out', 'lt'], io)).toBe(130);
    expect(existsSync(join(work, 'lt'))).toBe(false);
  });

  test('init: exit 130, no config', async () => {
    const work = join(dir, 'init-stop');
    await mkdir(work);
    const io = captureIo({ cwd: work, signal: stopped() });
    expect(await main(['init'], io)).toBe(130);
    expect(await readdir(work)).toEqual([]);
  });
});

describe('diagnose cut in its keep-alive probe', () => {
  let server: Server;
  let url: string;
  let received = 0;
  const sockets = new Set<Socket>();
  beforeAll(async () => {
    // Answers every request 200 and keeps idle connections for a minute: the keep-alive probe waits its whole bound.
    server = createServer((req, res) => {
      received += 1;
      req.resume();
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('ok');
    });
    server.keepAliveTimeout = 60_000;
    server.on('connection', (socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  test('SIGINT while it waits: exit 130, diagnose.json flagged interrupted, the keep-alive probe not among the passed', async () => {
    const work = join(dir, 'diagnose-keepalive');
    await mkdir(work);
    await writeFile(join(work, 'env.json'), JSON.stringify({ values: [{ key: 'gateway_url', value: url }, { key: 'backend_url', value: url }] }));
    const run = spawnBin(['diagnose', '--environment', 'env.json', '--gateway-idle-timeout', '30s', '-r', 'cli,json,junit', '--report-dir', 'out'], work);
    // The keep-alive request, then GET / through the gateway and direct: after those, only the idle wait is left.
    await waitFor(() => received >= 3);
    // Time for the last answer to be read; the keep-alive wait lasts 31 s.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    run.child.kill('SIGINT');
    const { code } = await run.exit;
    expect(code).toBe(130);
    const report = JSON.parse(await readFile(join(work, 'out', 'diagnose.json'), 'utf8'));
    expect(report.interrupted?.unfinished.some((line: string) => line.startsWith('keepalive'))).toBe(true);
    expect(report.probes.filter((p: { kind: string }) => p.kind === 'keepalive')).toEqual([]);
    expect(report.probes.filter((p: { kind: string; ok: boolean }) => p.kind === 'direct-vs-gateway' && p.ok)).toHaveLength(2);
    expect(run.output()).not.toContain('No cause of 502 found: every probe that ran passed');
    expect(run.output()).toContain('Interrupted (Ctrl-C / SIGTERM)');
    const junit = await readFile(join(work, 'out', 'diagnose.junit.xml'), 'utf8');
    expect(junit).toContain('<failure type="interrupted"');
    expect(junit).not.toContain('no cause of 502 found');
  }, 60_000);
});
