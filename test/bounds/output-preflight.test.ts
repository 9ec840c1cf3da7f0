/**
 * Item 3 and 4 of issue 14: every output location is checked before the first request (exit 2,
 * nothing sent, nothing written), and a command's files are written all or none.
 */
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { captureIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { writeFilesAtomic } from '../../src/fs/atomic-write.js';
import { writeRampReport } from '../../src/report/ramp/index.js';
import { gatewayLimitedReport } from '../report/fixtures.js';
import { writeWorkspace, type Workspace } from '../run/helpers.js';
import { startHostileServer, type HostileServer } from './servers.js';

let server: HostileServer;
let ws: Workspace;
beforeAll(async () => {
  server = await startHostileServer('ok');
  ws = await writeWorkspace({ gatewayUrl: server.url, backendUrl: server.url });
});
afterAll(async () => {
  await server.close();
  await ws.remove();
});

async function cli(argv: string[], env: Record<string, string> = {}, cwd = ws.dir) {
  const io = captureIo({ cwd, env });
  const code = await main(argv, io);
  return { code, text: io.text() };
}

const NO_STACK = /\n\s+at .*:\d+:\d+\)?$/m;
const rampArgs = () => ['ramp', '--collection', ws.collection, '--environment', ws.environment, '--max', '2', '--requests-per-step', '3'];
const runArgs = () => ['run', '--collection', ws.collection, '--environment', ws.environment];

describe('output paths are checked before the first request', () => {
  test.each([
    ['ramp --report-dir <a file>', () => [...rampArgs(), '--report-dir', 'a-file'], {}, /--report-dir: .*a-file is a file, not a directory/],
    ['ramp --report-dir <a file>/sub', () => [...rampArgs(), '--report-dir', 'a-file/sub'], {}, /--report-dir: cannot create .*a-file is a file/],
    ['ramp with ramp.html a directory', () => [...rampArgs(), '--report-dir', 'html-dir'], {}, /--report-dir: .*ramp.html is a directory, not a file/],
    ['ramp GITHUB_STEP_SUMMARY=<a directory>', () => [...rampArgs(), '--report-dir', 'out-summary'], { GITHUB_STEP_SUMMARY: 'DIR' }, /GITHUB_STEP_SUMMARY: .* is a directory, not a file/],
    ['run --report-dir <a file>', () => [...runArgs(), '--report-dir', 'a-file'], {}, /--report-dir: .*a-file is a file, not a directory/],
    ['run GITHUB_STEP_SUMMARY=<a directory>', () => [...runArgs(), '--report-dir', 'out-summary'], { GITHUB_STEP_SUMMARY: 'DIR' }, /GITHUB_STEP_SUMMARY: .* is a directory/],
  ])('%s → exit 2, nothing sent, nothing written', async (_name, argv, env, message) => {
    await writeFile(join(ws.dir, 'a-file'), 'keep me');
    await mkdir(join(ws.dir, 'html-dir', 'ramp.html'), { recursive: true });
    const envWithDir = Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v === 'DIR' ? ws.dir : v]));
    const before = server.received();
    const { code, text } = await cli(argv(), envWithDir);
    expect(text).toMatch(message);
    expect(code).toBe(2);
    expect(text).not.toMatch(NO_STACK);
    expect(server.received() - before).toBe(0);
    expect(await readFile(join(ws.dir, 'a-file'), 'utf8')).toBe('keep me');
    expect(await readdir(join(ws.dir, 'html-dir'))).toEqual(['ramp.html']);
    expect((await readdir(ws.dir)).filter((name) => name.startsWith('out-'))).toEqual([]);
  });
});

describe('all files of a command or none, and no stack for a user\'s mistake', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'debug502-atomic-'));
    await writeFile(join(dir, 'debug502.config.yaml'), 'environments:\n  local:\n    gateway_url: http://127.0.0.1:8080\n    backend_url: http://127.0.0.1:3000\nendpoints:\n  - name: List users\n    path: /api/users\n');
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test('generate when the environment file is a directory: exit 2, no collection, no temp file', async () => {
    const out = join(dir, 'gen-a');
    await mkdir(join(out, 'environments', 'local.postman_environment.json'), { recursive: true });
    const { code, text } = await cli(['generate', '--out', out], {}, dir);
    expect(code).toBe(2);
    expect(text).toMatch(/--out: .*local.postman_environment.json is a directory, not a file/);
    expect(await readdir(out)).toEqual(['environments']);
    expect(await readdir(join(out, 'environments'))).toEqual(['local.postman_environment.json']);
  });

  test('generate --out <a file>: exit 2, no stack', async () => {
    await writeFile(join(dir, 'plain-file'), 'x');
    const { code, text } = await cli(['generate', '--out', 'plain-file'], {}, dir);
    expect(code).toBe(2);
    expect(text).toMatch(/--out: .*plain-file is a file, not a directory/);
    expect(text).not.toMatch(NO_STACK);
  });

  test('report --from when ramp.html is a directory: exit 2, ramp.md and ramp.junit.xml not written', async () => {
    const reports = join(dir, 'reports');
    await writeRampReport(gatewayLimitedReport(), reports, ['json']);
    await mkdir(join(reports, 'ramp.html'));
    const { code, text } = await cli(['report', '--from', 'reports/ramp.json'], {}, dir);
    expect(code).toBe(2);
    expect(text).toMatch(/ramp.html is a directory/);
    expect((await readdir(reports)).sort()).toEqual(['ramp.html', 'ramp.json']);
  });

  test('report --report-dir <a file>/sub: exit 2, no stack', async () => {
    await writeRampReport(gatewayLimitedReport(), join(dir, 'r2'), ['json']);
    await writeFile(join(dir, 'plain-file'), 'x');
    const { code, text } = await cli(['report', '--from', 'r2/ramp.json', '--report-dir', 'plain-file/sub'], {}, dir);
    expect(code).toBe(2);
    expect(text).toMatch(/--report-dir: cannot create .*plain-file is a file/);
    expect(text).not.toMatch(NO_STACK);
  });

  test('writeFilesAtomic: a failing file leaves every target as it was, and no staging or new directory behind', async () => {
    const root = join(dir, 'tx');
    await mkdir(root);
    await writeFile(join(root, 'a.txt'), 'old a');
    await mkdir(join(root, 'b.txt'));
    await expect(
      writeFilesAtomic([
        { path: join(root, 'a.txt'), data: 'new a' },
        { path: join(root, 'new-dir', 'c.txt'), data: 'new c' },
        { path: join(root, 'b.txt'), data: 'new b' },
      ]),
    ).rejects.toThrow(/b.txt is a directory/);
    expect(await readFile(join(root, 'a.txt'), 'utf8')).toBe('old a');
    expect((await readdir(root)).sort()).toEqual(['a.txt', 'b.txt']);
    await writeFilesAtomic([
      { path: join(root, 'a.txt'), data: 'new a' },
      { path: join(root, 'new-dir', 'c.txt'), data: 'new c' },
    ]);
    expect(await readFile(join(root, 'a.txt'), 'utf8')).toBe('new a');
    expect(await readFile(join(root, 'new-dir', 'c.txt'), 'utf8')).toBe('new c');
    expect((await readdir(root)).sort()).toEqual(['a.txt', 'b.txt', 'new-dir']);
  });

  test('writeFilesAtomic rolls back the renames already done when a later one fails', async () => {
    const root = join(dir, 'tx2');
    await mkdir(join(root, 'sub'), { recursive: true });
    await writeFile(join(root, 'a.txt'), 'old a');
    // A parent that is a file makes the mkdir of the second target fail after staging.
    await writeFile(join(root, 'blocker'), 'x');
    await expect(
      writeFilesAtomic([
        { path: join(root, 'a.txt'), data: 'new a' },
        { path: join(root, 'blocker', 'b.txt'), data: 'new b' },
      ]),
    ).rejects.toThrow();
    expect(await readFile(join(root, 'a.txt'), 'utf8')).toBe('old a');
    expect((await readdir(root)).sort()).toEqual(['a.txt', 'blocker', 'sub']);
  });
});
