/**
 * The generated locustfile, run by real Python and real Locust: user text stays data, secrets stay
 * out of the file and come from the OS environment, the requests are the fast engine's bytes, and
 * the shape's search is debug502's own (chooseNextStep) step for step.
 */
import { spawnSync } from 'node:child_process';
import { createServer, type IncomingMessage } from 'node:http';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { captureIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { runFast } from '../../src/engines/fast.js';
import type { StepResult } from '../../src/model.js';
import { chooseNextStep } from '../../src/ramp/detect.js';
import { fakeStep } from '../ramp/helpers.js';
import { exportCollection, HOSTILE_NAME, LITERAL_CREDENTIAL, SECRET_VALUE, writeExportFiles } from './fixtures.js';
import { findLocust, runBounded } from './locust.js';

const locust = findLocust();
if ('missing' in locust) console.log(`Locust tests skipped: ${locust.missing}`);
const HAS_PYTHON = spawnSync('python3', ['--version']).status === 0;

let dir: string;
let files: { collection: string; environment: string };
const received: { method: string; url: string; headers: Record<string, string>; body: string; from: 'locust' | 'fast' }[] = [];
let sender: 'locust' | 'fast' = 'fast';
const server = createServer((req: IncomingMessage, res) => {
  let body = '';
  req.on('data', (c) => (body += c));
  req.on('end', () => {
    if (received.filter((r) => r.from === sender).length < 50) {
      received.push({ method: req.method!, url: req.url!, headers: req.headers as Record<string, string>, body, from: sender });
    }
    res.writeHead(req.method === 'POST' ? 201 : 200, { 'content-type': 'application/json' }).end('{}');
  });
});

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'debug502-locust-'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  files = await writeExportFiles(dir, { gateway: url, backend: url });
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await rm(dir, { recursive: true, force: true });
});

async function exportLocust(out: string, extra: string[] = []) {
  const io = captureIo({ cwd: dir });
  const code = await main(['export', '--to', 'locust', '--collection', files.collection, '--environment', files.environment, '--out', out, ...extra], io);
  return { code, out: io.out.join(''), err: io.err.join(''), file: join(dir, out, 'locustfile.py') };
}

describe('debug502 export --to locust', () => {
  test('writes a locustfile with no secret in it, naming the variables to set', async () => {
    const run = await exportLocust('lt', ['--target', 'both', '--start', '1', '--max', '8']);
    expect(run.err).toBe('');
    expect(run.code).toBe(0);
    expect(run.out).toContain('secrets are read at run time from: DEBUG502_VAR_api_token, DEBUG502_VAR_authorization');
    const text = await readFile(run.file, 'utf8');
    expect(text).not.toContain(SECRET_VALUE);
    expect(text).not.toContain(LITERAL_CREDENTIAL.split(' ')[1]);
    expect(text).toMatch(/^#\s+DEBUG502_VAR_api_token\s/m);
    expect(text).toContain('LEVELS = [1, 2, 4, 8]');
    expect(text).toContain('class Debug502Search(LoadTestShape)');
    for (const heading of ['# One machine', '# Master and workers', '# Kubernetes:']) expect(text).toContain(heading);
  });

  test.skipIf(!HAS_PYTHON)('a hostile endpoint name stays a string: the file compiles and calls no os.system', async () => {
    const { file } = await exportLocust('lt-name');
    const check = spawnSync('python3', ['-c', [
      'import ast, sys',
      'tree = ast.parse(open(sys.argv[1]).read())',
      'calls = [n.func.attr for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute)]',
      'strings = [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)]',
      'print("system" in calls, sys.argv[2] in strings)',
    ].join('\n'), file, `[gateway] ${HOSTILE_NAME}`], { encoding: 'utf8' });
    expect(check.stderr).toBe('');
    expect(check.stdout.trim()).toBe('False True');
  });

  test('bad options: exit 2, every problem named, nothing written', async () => {
    const run = await exportLocust('lt-bad', ['--step-duration', '1s', '--factor', '1', '--max', '0']);
    expect(run.code).toBe(2);
    expect(run.err).toContain('--step-duration');
    expect(run.err).toContain('--factor');
    expect(run.err).toContain('--max');
    expect(spawnSync('test', ['-e', join(dir, 'lt-bad')]).status).toBe(1);
  });
});

describe.skipIf('missing' in locust)('the locustfile on real Locust', () => {
  const found = locust as { bin: string; python: string };

  test('the shape searches as debug502 does: chooseNextStep, step for step', async () => {
    const { file } = await exportLocust('lt-search');
    // Sequences of judged steps: the Python search and the TypeScript one must pick the same next step.
    const cases: [number[], [number, 'pass' | 'fail' | 'open'][], boolean][] = [
      [[1, 2, 4, 8], [], true],
      [[1, 2, 4, 8], [[1, 'pass'], [2, 'pass']], true],
      [[1, 2, 4, 8], [[1, 'pass'], [2, 'pass'], [4, 'pass'], [8, 'fail']], true],
      [[1, 2, 4, 8], [[1, 'pass'], [2, 'pass'], [4, 'pass'], [8, 'fail'], [6, 'pass']], true],
      [[1, 2, 4, 8], [[1, 'pass'], [2, 'pass'], [4, 'pass'], [8, 'fail'], [6, 'pass'], [7, 'fail']], true],
      [[1, 2, 4, 8], [[1, 'pass'], [2, 'fail']], false],
      [[2, 4, 8], [[2, 'fail']], true],
      [[2, 4, 8], [[2, 'pass'], [4, 'open']], true],
      [[2, 4, 8], [[2, 'pass'], [4, 'open'], [4, 'open'], [4, 'open']], true],
      [[1, 2, 4, 8], [[1, 'pass'], [2, 'pass'], [4, 'pass'], [8, 'pass']], true],
    ];
    const python = spawnSync(found.python, ['-c', [
      'import importlib.util, json, sys',
      'spec = importlib.util.spec_from_file_location("lf", sys.argv[1]); m = importlib.util.module_from_spec(spec); spec.loader.exec_module(m)',
      'out = []',
      'for levels, steps, bisect in json.loads(sys.argv[2]):',
      '    nxt = m.choose_next_step(levels, [(c, d, "ramp") for c, d in steps], bisect)',
      '    out.append(None if nxt is None else list(nxt))',
      'print(json.dumps(out))',
    ].join('\n'), file, JSON.stringify(cases)], { encoding: 'utf8', timeout: 60_000 });
    expect(python.stderr).not.toMatch(/Traceback/);
    const expected = cases.map(([levels, steps, bisect]) => {
      const results: StepResult[] = steps.map(([c, d]) => fakeStep(c, { failures: d === 'fail' ? 5 : 0, peak: d === 'open' ? c - 1 : c }));
      const next = chooseNextStep(levels, results, bisect);
      return next === null ? null : [next.level, next.phase];
    });
    expect(JSON.parse(python.stdout)).toEqual(expected);
  });

  test('an unset secret stops the run at once, naming the variable', async () => {
    const { file } = await exportLocust('lt-secret');
    const env: NodeJS.ProcessEnv = { ...process.env, DEBUG502_VAR_authorization: 'x' };
    delete env.DEBUG502_VAR_api_token;
    const run = await runBounded(found.bin, ['-f', file, '--headless', '--only-summary'], { cwd: dir, env, timeoutMs: 60_000 });
    expect(run.code).toBe(2);
    expect(run.out).toContain('set DEBUG502_VAR_api_token before starting');
  });

  test('sends the bytes the fast engine sends (secrets from the OS environment, $guid drawn per request)', async () => {
    const { file } = await exportLocust('lt-bytes', ['--start', '1', '--max', '1', '--step-duration', '3s']);
    sender = 'locust';
    const run = await runBounded(found.bin, ['-f', file, '--headless', '--only-summary'], {
      cwd: dir,
      env: { ...process.env, DEBUG502_VAR_api_token: SECRET_VALUE, DEBUG502_VAR_authorization: LITERAL_CREDENTIAL },
      timeoutMs: 60_000,
    });
    expect(run.out).toContain('debug502: gateway at 1 users');
    expect(run.code).toBe(0);
    sender = 'fast';
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    await runFast({ collection: exportCollection(), envVars: { gateway_url: url, backend_url: url, api_token: SECRET_VALUE }, folder: 'Through gateway' });
    const byLocust = received.filter((r) => r.from === 'locust');
    const byFast = received.filter((r) => r.from === 'fast');
    const first = (list: typeof received, method: string, url: string) => list.find((r) => r.method === method && r.url === url)!;
    for (const [method, path] of [['POST', '/api/users?q=a%20b'], ['GET', '/api/users'], ['GET', '/api/users/2']]) {
      const a = first(byLocust, method, path);
      const b = first(byFast, method, path);
      expect(a, `${method} ${path} by locust`).toBeDefined();
      const comparable = (r: typeof a) => {
        const { connection: _c, 'x-request-id': _id, host: _h, ...rest } = r.headers;
        return { ...rest, body: r.body };
      };
      expect(comparable(a)).toEqual(comparable(b));
      if (method === 'POST') {
        expect(a.headers.authorization).toBe(`Bearer ${SECRET_VALUE}`);
        expect(a.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
        expect(new Set(byLocust.filter((r) => r.method === 'POST').map((r) => r.headers['x-request-id'])).size).toBeGreaterThan(1);
      }
    }
    expect(first(byLocust, 'GET', '/api/users').headers.authorization).toBe(LITERAL_CREDENTIAL);
  });
});
