/**
 * `debug502 run` as a user calls it: every exit code, the reports it writes, and one spawned run of
 * the built bin. Real newman, real nginx, the lab backend.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { captureIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { startLab, type Lab } from '../../src/lab/index.js';
import { HAS_PYTHON, parseJunit, writeWorkspace, type Workspace } from './helpers.js';

let healthy: Lab;
let broken: Lab;
let okFiles: Workspace;
let downFiles: Workspace;

beforeAll(async () => {
  healthy = await startLab({ gateway: 'nginx' });
  broken = await startLab({ gateway: 'nginx', fault: { kind: 'down' } });
  okFiles = await writeWorkspace({ gatewayUrl: healthy.gateway.url, backendUrl: healthy.backend.url });
  downFiles = await writeWorkspace({ gatewayUrl: broken.gateway.url, backendUrl: broken.backend.url });
});
afterAll(async () => {
  await healthy?.close();
  await broken?.close();
  await okFiles?.remove();
  await downFiles?.remove();
});

async function run(args: string[], env: Record<string, string> = {}, signal?: AbortSignal, cwd?: string) {
  const io = captureIo({ env, ...(signal ? { signal } : {}), ...(cwd ? { cwd } : {}) });
  const code = await main(['run', ...args], io);
  return { code, out: io.out.join(''), err: io.err.join('') };
}

describe('exit 0: every test passed and every verdict is ok', () => {
  test('prints one row per endpoint, writes run.json, JUnit and Markdown, appends the step summary', async () => {
    const reportDir = join(okFiles.dir, 'reports-ok');
    const summary = join(okFiles.dir, 'step-summary.md');
    await writeFile(summary, 'earlier step\n');
    const { code, out, err } = await run(
      ['--collection', okFiles.collection, '--environment', okFiles.environment, '--report-dir', reportDir],
      { GITHUB_STEP_SUMMARY: summary },
    );
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(out).toMatch(/Endpoint\s+Gateway\s+Backend\s+Failed tests\s+Verdict/);
    expect(out).toMatch(/List users\s+200 · \d+ ms\s+200 · \d+ ms\s+—\s+ok/);
    expect(out).toMatch(/Check backend server health\s+—\s+200 · \d+ ms/);
    // The answer first, then what the run was.
    expect(out.split('\n').slice(0, 2).join('\n')).toMatch(/^3 endpoints: 3 ok — verdict: ok\n {2}gateway http:\/\/127\.0\.0\.1:\d+ · backend http:\/\/127\.0\.0\.1:\d+ · limit 5,000 ms · 5 requests · 12 tests · 1 iteration$/);

    const json = JSON.parse(await readFile(join(reportDir, 'run.json'), 'utf8'));
    expect(Object.keys(json)).toEqual(['schemaVersion', 'meta', 'endpoints', 'totals']);
    expect(json.schemaVersion).toBe(1);
    expect(json.endpoints.map((e: { name: string }) => e.name)).toEqual(['Check backend server health', 'List users', 'Create user']);
    expect(json.endpoints[2]).toMatchObject({
      name: 'Create user',
      gateway: { status: 201, failedTests: [] },
      backend: { status: 201, failedTests: [] },
      verdict: { code: 'ok', message: expect.any(String) },
    });
    expect(typeof json.endpoints[2].gateway.latencyMs).toBe('number');
    expect(json.totals).toEqual({ requests: 5, tests: 12, failedTests: 0, endpoints: 3, notOk: 0 });

    const markdown = await readFile(summary, 'utf8');
    expect(markdown.startsWith('earlier step\n## ✅ debug502 run: 3 endpoints: 3 ok — verdict: ok')).toBe(true);
    expect(markdown).toContain('| List users | 200 · ');
    expect(await readFile(join(reportDir, 'run.md'), 'utf8')).toContain('✅ `ok`');
  });

  test('report paths are printed relative to the working directory, absolute outside it', async () => {
    const inside = await run(['--collection', okFiles.collection, '--environment', okFiles.environment, '--report-dir', 'reports-rel'], {}, undefined, okFiles.dir);
    expect(inside.code).toBe(0);
    expect(inside.out).toContain('reports: reports-rel/run.json, reports-rel/run.junit.xml, reports-rel/run.md, reports-rel/run.html\n');
    expect(existsSync(join(okFiles.dir, 'reports-rel', 'run.json'))).toBe(true);
    const elsewhere = join(okFiles.dir, 'reports-abs');
    const outside = await run(['--collection', okFiles.collection, '--environment', okFiles.environment, '--report-dir', elsewhere], {}, undefined, join(okFiles.dir, 'reports-rel'));
    expect(outside.out).toContain(`reports: ${join(elsewhere, 'run.json')}, ${join(elsewhere, 'run.junit.xml')}, ${join(elsewhere, 'run.md')}, ${join(elsewhere, 'run.html')}\n`);
  });

  test('no environment file: the URLs from --env-var alone', async () => {
    const { code, out } = await run([
      '--collection', okFiles.collection, '--reporters', 'cli',
      '--env-var', `gateway_url=${healthy.gateway.url}`, '--env-var', `backend_url=${healthy.backend.url}`,
    ]);
    expect(code).toBe(0);
    expect(out).toContain(`gateway ${healthy.gateway.url} · backend ${healthy.backend.url}`);
  });

  test.skipIf(!HAS_PYTHON)('the JUnit file parses: one testsuite per route, one testcase per request test', async () => {
    const reportDir = join(okFiles.dir, 'reports-junit');
    expect((await run(['--collection', okFiles.collection, '--environment', okFiles.environment, '--report-dir', reportDir, '--reporters', 'junit'])).code).toBe(0);
    const tree = parseJunit(await readFile(join(reportDir, 'run.junit.xml'), 'utf8'));
    expect(tree.tag).toBe('testsuites');
    expect(tree.suites.map((s) => [s.name, s.attrs.tests, s.attrs.failures])).toEqual([['gateway', '5', '0'], ['backend', '7', '0']]);
    expect(tree.suites[0].cases.map((c) => `${c.classname} / ${c.name}`)).toEqual([
      'gateway.List users / No 502 errors',
      'gateway.List users / Response under 5 seconds',
      'gateway.Create user / No 502 errors',
      'gateway.Create user / Response under 5 seconds',
      'gateway.Create user / Status is 201',
    ]);
    expect(existsSync(join(reportDir, 'run.json'))).toBe(false); // only the reporters asked for
  });
});

describe('exit 1: a verdict is not ok or a test failed', () => {
  test('dead backend: backend-down with the next step; JUnit failures carry the verdict', async () => {
    const reportDir = join(downFiles.dir, 'reports');
    const { code, out } = await run(['--collection', downFiles.collection, '--environment', downFiles.environment, '--report-dir', reportDir]);
    expect(code).toBe(1);
    expect(out).toMatch(/List users\s+502 · \d+ ms\s+ECONNREFUSED · \d+ ms\s+No 502 errors, Response under 5 seconds\s+backend-down/);
    expect(out).toContain('next: Check backend server health');
    const json = JSON.parse(await readFile(join(reportDir, 'run.json'), 'utf8'));
    expect(json.endpoints.map((e: { verdict: { code: string } }) => e.verdict.code)).toEqual(['backend-down', 'backend-down', 'backend-down']);
    expect(json.endpoints[1].backend).toMatchObject({ error: 'ECONNREFUSED', failedTests: ['Response under 5 seconds'] });
    // No response is not a 502, and the latency test says why it failed instead of comparing undefined.
    const backendTests = json.endpoints[1].backend.tests as Array<{ name: string; passed: boolean; message?: string }>;
    expect(backendTests.map((t) => [t.name, t.passed])).toEqual([['No 502 errors', true], ['Response under 5 seconds', false]]);
    expect(backendTests[1].message).toBe('Direct to backend / List users: no response: the request failed before any answer (connection refused, DNS, reset, timeout)');
    expect(await readFile(join(reportDir, 'run.md'), 'utf8')).toContain('❌ `backend-down`');
    if (HAS_PYTHON) {
      const tree = parseJunit(await readFile(join(reportDir, 'run.junit.xml'), 'utf8'));
      const failure = tree.suites[0].cases.find((c) => c.name === 'No 502 errors' && c.failure !== undefined)!;
      expect(failure.text).toContain('verdict: backend-down');
      expect(tree.suites[1].cases.filter((c) => c.error === 'ECONNREFUSED')).toHaveLength(3);
    }
  });

  test('every verdict ok but a test fails → 1', async () => {
    const collection = JSON.parse(await readFile(okFiles.collection, 'utf8'));
    collection.item[1].item[0].event[0].script.exec.push('pm.test("Always fails", function () { pm.expect(1).to.equal(2); });');
    const file = join(okFiles.dir, 'failing-test.json');
    await writeFile(file, JSON.stringify(collection));
    const { code, out } = await run(['--collection', file, '--environment', okFiles.environment, '--reporters', 'cli']);
    expect(code).toBe(1);
    expect(out).toMatch(/List users\s+200 · \d+ ms\s+200 · \d+ ms\s+Always fails\s+ok/);
  });

  test('the collection as newman takes it, first after the command: the same run as with --collection', async () => {
    const { code, out, err } = await run([okFiles.collection, '--environment', okFiles.environment, '--reporters', 'cli']);
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(out).toContain('3 endpoints: 3 ok — verdict: ok\n');
  });

  test('--env-var overrides the environment: pointing the gateway at the dead lab turns ok into not ok', async () => {
    const { code, out } = await run([
      '--collection', okFiles.collection, '--environment', okFiles.environment, '--reporters', 'cli',
      '--env-var', `gateway_url=${broken.gateway.url}`, '--iterations', '2',
    ]);
    expect(code).toBe(1);
    expect(out).toMatch(/List users\s+502 · \d+ ms\s+200 · \d+ ms/);
    expect(out).toContain('gateway-misconfigured');
    expect(out).toContain('· 10 requests ·');
  });
});

describe('exit 2: bad input, with a message naming the file or option and a hint', () => {
  const cases: [string, () => string[], RegExp][] = [
    ['missing collection file', () => ['--collection', 'nope/missing.json', '--environment', okFiles.environment], /collection nope\/missing\.json: file not found[\s\S]*hint:/],
    ['unknown reporter', () => ['--collection', okFiles.collection, '--reporters', 'cli,pdf'], /--reporters: unknown reporter "pdf"[\s\S]*hint: valid reporters: cli, json, junit, markdown \(or md\), html/],
    ['bad --iteration-count', () => ['--collection', okFiles.collection, '-n', '0'], /--iteration-count: must be a whole number from 1 to 1000, not 0/],
    ['non-numeric --timeout-request', () => ['--collection', okFiles.collection, '--timeout-request', 'soon'], /--timeout-request: "soon" is not a duration/],
    ['--env-var without "="', () => ['--collection', okFiles.collection, '--env-var', 'gateway_url'], /--env-var "gateway_url": expected key=value/],
    ['no --collection', () => ['--environment', okFiles.environment], /Missing required argument: collection/],
    ['the collection given twice, differently', () => [okFiles.collection, '--collection', okFiles.environment], /collection given twice: ".*" and --collection ".*"[\s\S]*hint: give the collection once/],
    ['unknown option', () => ['--collection', okFiles.collection, '--colour'], /Unknown argument: colour/],
    ['route variables unset', () => ['--collection', okFiles.collection], /gateway_url: not set[\s\S]*backend_url: not set[\s\S]*hint: pass --environment/],
    ['environment passed as collection', () => ['--collection', okFiles.environment], /this is a Postman environment, not a collection/],
  ];
  test.each(cases)('%s', async (_title, args, message) => {
    const { code, err, out } = await run(args());
    expect(code).toBe(2);
    expect(err).toMatch(message);
    expect(out).not.toMatch(/Endpoint\s+Gateway/);
  });

  test('malformed collection JSON: file, line and column', async () => {
    const file = join(okFiles.dir, 'broken.json');
    await writeFile(file, '{\n  "info": { "name": "x" },\n  "item": [\n}\n');
    const { code, err } = await run(['--collection', file, '--environment', okFiles.environment]);
    expect(code).toBe(2);
    expect(err).toContain(`${file}: not valid JSON at line 4, column 1: unexpected "}"`);
  });

  test('environment without values', async () => {
    const file = join(okFiles.dir, 'env-broken.json');
    await writeFile(file, '{"name": "lab"}');
    const { code, err } = await run(['--collection', okFiles.collection, '--environment', file]);
    expect(code).toBe(2);
    expect(err).toMatch(/not a Postman environment\n {2}- values: missing/);
  });
});

describe('exit 3 and 130', () => {
  test('a report directory that cannot be created → 2 before any request, naming the path', async () => {
    const blocker = join(okFiles.dir, 'a-file');
    await writeFile(blocker, 'not a directory');
    const { code, err } = await run(['--collection', okFiles.collection, '--environment', okFiles.environment, '--report-dir', join(blocker, 'reports')]);
    expect(code).toBe(2);
    expect(err).toContain(`--report-dir: cannot create ${join(blocker, 'reports')}: ${blocker} is a file, not a directory`);
    expect(err).toContain('hint: choose another --report-dir');
  });

  test('interrupted before the first request → 130 and no verdicts', async () => {
    const { code, out } = await run(['--collection', okFiles.collection, '--environment', okFiles.environment, '--reporters', 'cli'], {}, AbortSignal.abort());
    expect(code).toBe(130);
    expect(out).toContain('interrupted');
  });
});

describe('the built bin', () => {
  const bin = join(process.cwd(), 'dist', 'cli', 'bin.js');
  // npm test builds first; rebuilding here would rewrite dist/ under the files that run beside this one.
  beforeAll(async () => {
    if (existsSync(bin)) return;
    const build = spawnSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { encoding: 'utf8' });
    if (build.status !== 0) throw new Error(`build failed: ${build.stdout}${build.stderr}`);
  }, 120_000);

  test('spawned: exit 1 for a dead backend, newman quiet; --verbose shows newman\'s own output', async () => {
    const args = [bin, 'run', '--collection', downFiles.collection, '--environment', downFiles.environment, '--reporters', 'cli'];
    const quiet = spawnSync('node', args, { encoding: 'utf8', timeout: 30_000 });
    expect(quiet.status).toBe(1);
    expect(quiet.stderr).toBe('');
    expect(quiet.stdout).toMatch(/List users\s+502 · \d+ ms\s+ECONNREFUSED/);
    expect(quiet.stdout).not.toContain('↳ List users'); // newman's cli reporter line
    const verbose = spawnSync('node', [...args, '--verbose'], { encoding: 'utf8', timeout: 30_000 });
    expect(verbose.status).toBe(1);
    expect(verbose.stdout).toContain('↳ List users');
  });
});
