/**
 * Item 13 (second part) of issue 29: every place a command writes is checked before its first
 * request — `$GITHUB_OUTPUT` (a directory, read-only, a device that refuses writes), a step
 * summary on /dev/full, two reporters exported to one file, `export --out` at a file or a read-only
 * place — exit 2 naming it, 0 requests at a counting server, nothing written.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { captureIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { writeWorkspace, type Workspace } from '../run/helpers.js';
import { BIN, REPO } from './processes.js';
import { startHostileServer, type HostileServer } from './servers.js';

let server: HostileServer;
let ws: Workspace;
beforeAll(async () => {
  if (!existsSync(BIN)) expect(spawnSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: REPO, encoding: 'utf8' }).status).toBe(0);
  server = await startHostileServer('ok');
  ws = await writeWorkspace({ gatewayUrl: server.url, backendUrl: server.url });
  await mkdir(join(ws.dir, 'a-dir'));
  await writeFile(join(ws.dir, 'a-file'), 'keep me');
});
afterAll(async () => {
  await server.close();
  await ws.remove();
});

const NO_STACK = /\n\s+at .*:\d+:\d+\)?$/m;
const HAS_DEV_FULL = existsSync('/dev/full');

async function cli(argv: string[], env: Record<string, string> = {}) {
  const io = captureIo({ cwd: ws.dir, env });
  const code = await main(argv, io);
  return { code, text: io.text() };
}

const ramp = () => ['ramp', ws.collection, '--environment', ws.environment, '--max', '2', '--requests-per-step', '3', '--report-dir', 'out-ramp'];
const run = () => ['run', ws.collection, '--environment', ws.environment, '--report-dir', 'out-run'];
const diagnose = () => ['diagnose', '--environment', ws.environment, '--collection', ws.collection, '--no-keepalive-probe'];

describe('checked before the first request: exit 2, nothing sent', () => {
  const cases: [string, () => string[], Record<string, string>, RegExp, boolean?][] = [
    ['ramp, GITHUB_OUTPUT a directory', ramp, { GITHUB_ACTIONS: 'true', GITHUB_OUTPUT: 'a-dir' }, /GITHUB_OUTPUT: .*a-dir is a directory, not a file/],
    ['run, GITHUB_OUTPUT a directory', run, { GITHUB_ACTIONS: 'true', GITHUB_OUTPUT: 'a-dir' }, /GITHUB_OUTPUT: .*a-dir is a directory, not a file/],
    ['diagnose, GITHUB_OUTPUT a directory', diagnose, { GITHUB_ACTIONS: 'true', GITHUB_OUTPUT: 'a-dir' }, /GITHUB_OUTPUT: .*a-dir is a directory, not a file/],
    ['ramp, GITHUB_STEP_SUMMARY=/dev/full', ramp, { GITHUB_STEP_SUMMARY: '/dev/full' }, /GITHUB_STEP_SUMMARY: \/dev\/full refuses writes \(ENOSPC/, HAS_DEV_FULL],
    ['run, GITHUB_OUTPUT=/dev/full', run, { GITHUB_ACTIONS: 'true', GITHUB_OUTPUT: '/dev/full' }, /GITHUB_OUTPUT: \/dev\/full refuses writes \(ENOSPC/, HAS_DEV_FULL],
    ['ramp, json and junit exported to one file', () => [...ramp(), '--reporter-json-export', 'x.out', '--reporter-junit-export', 'x.out'], {}, /--reporter-json-export and --reporter-junit-export: both write .*x\.out/],
    ['run, an export onto a file of --report-dir', () => [...run(), '-r', 'json,junit', '--reporter-json-export', 'out-run/run.junit.xml'], {}, /--reporter-json-export and --report-dir \(run\.junit\.xml\): both write/],
  ];
  test.each(cases)('%s', async (_name, argv, rawEnv, message, available = true) => {
    if (!available) {
      console.log('skipped: this machine has no /dev/full');
      return;
    }
    const env = Object.fromEntries(Object.entries(rawEnv).map(([key, value]) => [key, key === 'GITHUB_ACTIONS' || value.startsWith('/') ? value : join(ws.dir, value)]));
    const before = server.received();
    const { code, text } = await cli(argv(), env);
    expect(text).toMatch(message);
    expect(code).toBe(2);
    expect(text).not.toMatch(NO_STACK);
    expect(server.received() - before).toBe(0);
    expect((await readdir(ws.dir)).filter((name) => name.startsWith('out-') || name === 'x.out')).toEqual([]);
  });

  test('a GITHUB_OUTPUT that is fine is appended to after the run, as before', async () => {
    const before = server.received();
    const { code } = await cli([...run().slice(0, -1), 'gh-run'], { GITHUB_ACTIONS: 'true', GITHUB_OUTPUT: join(ws.dir, 'gh-output.txt') });
    expect(code).not.toBe(2);
    expect(server.received() - before).toBeGreaterThan(0);
    expect(await readFile(join(ws.dir, 'gh-output.txt'), 'utf8')).toMatch(/^verdict=/m);
  });
});

describe('export --out', () => {
  test('at a file: exit 2 naming --out, no stack, the file untouched', async () => {
    const { code, text } = await cli(['export', '--to', 'k6', ws.collection, '--environment', ws.environment, '--out', 'a-file']);
    expect(code).toBe(2);
    expect(text).toMatch(/--out: .*a-file is a file, not a directory/);
    expect(text).not.toMatch(NO_STACK);
  });

  test('where k6-script.js is a directory: exit 2', async () => {
    await mkdir(join(ws.dir, 'lt-dir', 'k6-script.js'), { recursive: true });
    const { code, text } = await cli(['export', '--to', 'k6', ws.collection, '--environment', ws.environment, '--out', 'lt-dir']);
    expect(code).toBe(2);
    expect(text).toMatch(/--out: .*k6-script\.js is a directory, not a file/);
  });
});

describe('read-only places (a real process, run as an unprivileged user when the tests run as root)', () => {
  // root writes anywhere: the bin runs as nobody then, for whom the directory below is read-only.
  const asUser = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
  let readOnly: string;
  let writable: string;
  beforeAll(async () => {
    readOnly = join(ws.dir, 'read-only');
    writable = join(ws.dir, 'writable');
    await mkdir(readOnly);
    await mkdir(writable);
    await chmod(readOnly, 0o555);
    await chmod(writable, 0o777);
    await chmod(ws.dir, 0o755);
  });

  function bin(args: string[], env: Record<string, string> = {}) {
    const result = spawnSync(process.execPath, [BIN, ...args], {
      cwd: ws.dir, encoding: 'utf8', timeout: 40_000, ...asUser,
      env: { PATH: process.env.PATH ?? '', HOME: ws.dir, GITHUB_STEP_SUMMARY: '', GITHUB_ACTIONS: '', ...env },
    });
    return { code: result.status, text: result.stdout + result.stderr };
  }

  test('export --out inside it: exit 2 naming --out', () => {
    const { code, text } = bin(['export', '--to', 'k6', ws.collection, '--environment', ws.environment, '--out', 'read-only/lt']);
    expect(text).toMatch(/--out: cannot create .*read-only\/lt: .*read-only is not writable/);
    expect(code).toBe(2);
  });

  test('ramp, GITHUB_OUTPUT a new file inside it: exit 2, 0 requests', () => {
    const before = server.received();
    const { code, text } = bin([...ramp().slice(0, -1), join(writable, 'reports')], { GITHUB_ACTIONS: 'true', GITHUB_OUTPUT: join(readOnly, 'out.txt') });
    expect(text).toMatch(/GITHUB_OUTPUT: cannot create .*out\.txt: .*read-only is not writable/);
    expect(code).toBe(2);
    expect(server.received() - before).toBe(0);
  });
});
