/**
 * The newman flags `run` now takes with newman's meaning (issue 27, item 6), against real newman and
 * loopback servers: --cookie-jar / --export-cookie-jar (a jar written by one run starts the next),
 * --export-collection (the collection that ran, as newman writes it), --timeout (the whole
 * run: exit 3), --timeout-script, --bail with newman's modifiers, and the output flags every
 * command takes: -x/--suppress-exit-code, --silent, --disable-unicode.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { startTinyServer, type TinyServer } from '../generate/helpers.js';
import { writeWorkspace, type Workspace } from './helpers.js';

/** Answers 200 and sets a session cookie; records each request's Cookie header. */
let cookieServer: Server;
let cookieUrl: string;
const cookies: (string | undefined)[] = [];
let ws: Workspace;
let bad: TinyServer;
let badWs: Workspace;

beforeAll(async () => {
  cookieServer = createServer((req, res) => {
    cookies.push((req.headers as IncomingHttpHeaders).cookie);
    req.resume();
    res.writeHead(200, { 'set-cookie': 'sid=abc123; Path=/', 'content-type': 'text/plain' }).end('ok');
  });
  await new Promise<void>((resolve) => cookieServer.listen(0, '127.0.0.1', resolve));
  cookieUrl = `http://127.0.0.1:${(cookieServer.address() as { port: number }).port}`;
  ws = await writeWorkspace({ gatewayUrl: cookieUrl, backendUrl: cookieUrl });
  bad = await startTinyServer(502);
  badWs = await writeWorkspace({ gatewayUrl: bad.url, backendUrl: bad.url });
});
afterAll(async () => {
  await new Promise((resolve) => cookieServer.close(resolve));
  await bad.close();
  await ws.remove();
  await badWs.remove();
});

async function cli(dir: string, ...argv: string[]) {
  const io = captureIo({ cwd: dir });
  const code = await main(argv, io);
  return { code, out: io.out.join(''), err: io.err.join('') };
}

/** The workspace's collection with this test script at collection level. */
async function withScript(name: string, exec: string[]): Promise<string> {
  const collection = JSON.parse(await readFile(ws.collection, 'utf8'));
  collection.event = [{ listen: 'test', script: { type: 'text/javascript', exec } }];
  const file = join(ws.dir, name);
  await writeFile(file, JSON.stringify(collection));
  return file;
}

describe('--cookie-jar and --export-cookie-jar', () => {
  it('a run exports the cookies it was given, and the next run starts with them', async () => {
    cookies.length = 0;
    const first = await cli(ws.dir, 'run', ws.collection, '-e', ws.environment, '-r', 'cli', '--export-cookie-jar', 'out/jar.json');
    expect(first.code, first.err).not.toBe(2);
    expect(first.out).toContain('exported: out/jar.json');
    expect(cookies[0]).toBeUndefined();
    const jar = JSON.parse(await readFile(join(ws.dir, 'out', 'jar.json'), 'utf8'));
    expect(jar.cookies).toEqual([expect.objectContaining({ key: 'sid', value: 'abc123', domain: '127.0.0.1' })]);

    cookies.length = 0;
    const second = await cli(ws.dir, 'run', ws.collection, '-e', ws.environment, '-r', 'cli', '--cookie-jar', 'out/jar.json');
    expect(second.code, second.err).not.toBe(2);
    expect(cookies[0]).toBe('sid=abc123');
  });

  it('ramp: every newman virtual user starts with the jar; the fast engine, which keeps none, refuses it', async () => {
    await writeFile(join(ws.dir, 'ramp-jar.json'), await readFile(join(ws.dir, 'out', 'jar.json'), 'utf8'));
    cookies.length = 0;
    const ramp = await cli(ws.dir, 'ramp', ws.collection, '-e', ws.environment, '--cookie-jar', 'ramp-jar.json', '--start', '2', '--max', '2', '--requests-per-step', '4',
      '--workers', '1', '--fail-on', '599', '--report-dir', 'ramp-jar', '-r', 'json');
    expect(ramp.code, ramp.out + ramp.err).toBe(0);
    expect(cookies.length).toBeGreaterThanOrEqual(4);
    expect(cookies.every((c) => c === 'sid=abc123')).toBe(true);
    const fast = await cli(ws.dir, 'ramp', ws.collection, '-e', ws.environment, '--cookie-jar', 'ramp-jar.json', '--engine', 'fast', '--dry-run');
    expect(fast.code).toBe(2);
    expect(fast.err).toContain('--cookie-jar needs --engine newman');
  });

  it('a jar that is not one: exit 2 before any request', async () => {
    await writeFile(join(ws.dir, 'not-a-jar.json'), '{"values": []}');
    cookies.length = 0;
    const { code, err } = await cli(ws.dir, 'run', ws.collection, '-e', ws.environment, '--cookie-jar', 'not-a-jar.json');
    expect(code).toBe(2);
    expect(err).toContain('--cookie-jar not-a-jar.json: not a cookie jar');
    expect(cookies).toEqual([]);
  });
});

describe('--export-collection', () => {
  it('writes the collection that ran, in newman\'s format — as newman, without what scripts set in pm.collectionVariables', async () => {
    // newman 6 exports summary.collection, whose variables postman-runtime copies at the start: plain newman writes "a" only too.
    const collection = await withScript('scripted.json', ['pm.collectionVariables.set("seen", "yes-" + pm.response.code);']);
    const { code, out } = await cli(ws.dir, 'run', collection, '-e', ws.environment, '-r', 'cli', '--export-collection', 'out/collection.json');
    expect(code).toBe(1); // "Create user" expects a 201; this server answers 200
    expect(out).toContain('exported: out/collection.json');
    const exported = JSON.parse(await readFile(join(ws.dir, 'out', 'collection.json'), 'utf8'));
    expect(exported._postman_variable_scope).toBe('collection');
    expect(exported.variable).toEqual([expect.objectContaining({ key: 'max_response_time_ms', value: '5000' })]);
    expect(exported.event[0].script.exec).toEqual(['pm.collectionVariables.set("seen", "yes-" + pm.response.code);']);
    expect(exported.item.map((f: { name: string }) => f.name)).toEqual(['Backend health', 'Through gateway', 'Direct to backend']);
  });
});

describe('--timeout and --timeout-script', () => {
  it('--timeout: a run that takes longer is stopped, exit 3 saying so', async () => {
    const slow = await startTinyServer(200, 400);
    const slowWs = await writeWorkspace({ gatewayUrl: slow.url, backendUrl: slow.url });
    try {
      const { code, err } = await cli(slowWs.dir, 'run', slowWs.collection, '-e', slowWs.environment, '-r', 'cli', '--timeout', '300');
      expect(code).toBe(3);
      expect(err).toMatch(/longer than --timeout 300 ms: newman stopped it after \d request/);
      expect(slow.requests.length).toBeLessThan(5);
    } finally {
      await slow.close();
      await slowWs.remove();
    }
  });

  it('--timeout-script: a script that outlasts it fails its test', async () => {
    // One request waits 8 s in its test script; the deadline (1.5 s) leaves the sandbox time to start on a busy machine.
    const collection = JSON.parse(await readFile(ws.collection, 'utf8'));
    const first = collection.item[0].item?.[0] ?? collection.item[0];
    first.event = [...(first.event ?? []), { listen: 'test', script: { type: 'text/javascript', exec: ['setTimeout(() => pm.test("waited", () => {}), 8000);'] } }];
    const file = join(ws.dir, 'waits.json');
    await writeFile(file, JSON.stringify(collection));
    const { code, out } = await cli(ws.dir, 'run', file, '-e', ws.environment, '-r', 'cli', '--timeout-script', '1500');
    expect(code).toBe(1);
    expect(out).toMatch(/Test script error/);
  });

  it('--timeout-script too short for newman\'s sandbox to start: exit 3 naming it, never a report that reads as a pass', async () => {
    const { code, err, out } = await cli(ws.dir, 'run', ws.collection, '-e', ws.environment, '-r', 'cli', '--timeout-script', '1');
    // 1 ms is too short for a sandbox to start (measured: newman ends the run after the first request, its tests not run).
    // Were a warm sandbox ever fast enough, its scripts time out instead: failed tests, exit 1 — never 0.
    expect([1, 3], err + out).toContain(code);
    if (code === 3) {
      expect(err).toMatch(/newman stopped the run after \d+ request\(s\): Script execution timed out after 1ms/);
      expect(out).toBe('');
    }
  });
});

describe('--bail with newman\'s modifiers', () => {
  it('--bail failure stops at the first failure, as --bail does; --bail folder alone does not stop', async () => {
    const failure = await cli(badWs.dir, 'run', badWs.collection, '-e', badWs.environment, '-r', 'json', '--report-dir', 'b1', '--bail', 'failure');
    const folder = await cli(badWs.dir, 'run', badWs.collection, '-e', badWs.environment, '-r', 'json', '--report-dir', 'b2', '--bail', 'folder');
    const requests = async (dir: string) => JSON.parse(await readFile(join(badWs.dir, dir, 'run.json'), 'utf8')).totals.requests;
    expect([failure.code, folder.code]).toEqual([1, 1]);
    expect(await requests('b1')).toBe(1);
    expect(await requests('b2')).toBe(5);
  });
});

describe("-r json is debug502's run.json; newman's own reporters are newman-json, newman-junit…", () => {
  it('-r json,newman-json: run.json as always, and newman\'s JSON run summary beside it, as newman run -r json writes it', async () => {
    const { code, out } = await cli(badWs.dir, 'run', badWs.collection, '-e', badWs.environment, '-r', 'cli,json,newman-json,newman-junit', '--report-dir', 'n1',
      '--reporter-newman-json-export', 'newman/summary.json');
    expect(code).toBe(1);
    const ours = JSON.parse(await readFile(join(badWs.dir, 'n1', 'run.json'), 'utf8'));
    expect(ours.schemaVersion).toBe(1);
    expect(ours.totals.requests).toBe(5);
    const newman = JSON.parse(await readFile(join(badWs.dir, 'newman', 'summary.json'), 'utf8'));
    expect(newman.run.stats.requests.total).toBe(5);
    expect(newman.run.executions).toHaveLength(5);
    expect(newman.run.failures.length).toBeGreaterThan(0);
    expect(newman.collection.info.name).toBeDefined();
    expect(await readFile(join(badWs.dir, 'n1', 'newman-run-report.xml'), 'utf8')).toMatch(/<testsuites/);
    expect(out).toMatch(/reports: .*n1\/run\.json.*newman\/summary\.json/);
  });

  it('-r newman-NAME that newman does not have: exit 2 before any request', async () => {
    const before = bad.requests.length;
    const { code, err } = await cli(badWs.dir, 'run', badWs.collection, '-e', badWs.environment, '-r', 'newman-nosuchreporter');
    expect(code).toBe(2);
    expect(err).toContain('newman has no "nosuchreporter" reporter here');
    expect(bad.requests.length).toBe(before);
  });
});

describe('-x, --silent, --disable-unicode (run, ramp, diagnose and watch)', () => {
  it('-x: failed checks exit 0; bad input stays 2', async () => {
    expect((await cli(badWs.dir, 'run', badWs.collection, '-e', badWs.environment, '-r', 'cli')).code).toBe(1);
    expect((await cli(badWs.dir, 'run', badWs.collection, '-e', badWs.environment, '-r', 'cli', '-x')).code).toBe(0);
    expect((await cli(badWs.dir, 'diagnose', '-e', badWs.environment, '--no-keepalive-probe', '--suppress-exit-code')).code).toBe(0);
    expect((await cli(badWs.dir, 'run', 'missing.json', '-x')).code).toBe(2);
  });

  it('--silent: nothing on stdout, the reports still written', async () => {
    const { code, out } = await cli(badWs.dir, 'run', badWs.collection, '-e', badWs.environment, '-r', 'cli,json', '--report-dir', 's1', '--silent');
    expect(code).toBe(1);
    expect(out).toBe('');
    expect(JSON.parse(await readFile(join(badWs.dir, 's1', 'run.json'), 'utf8')).totals.requests).toBe(5);
  });

  it('--disable-unicode: plain ASCII on stdout and stderr', async () => {
    const plain = /^[\x09\x0a\x0d\x20-\x7e]*$/;
    const before = await cli(badWs.dir, 'run', badWs.collection, '-e', badWs.environment, '-r', 'cli');
    expect(before.out).not.toMatch(plain);
    const run = await cli(badWs.dir, 'run', badWs.collection, '-e', badWs.environment, '-r', 'cli', '--disable-unicode');
    expect(run.out).toMatch(plain);
    const watch = await cli(badWs.dir, 'watch', '-e', badWs.environment, '--rate', '20/s', '--duration', '1s', '--window', '1s', '-r', 'cli', '--report-dir', 'w1', '--disable-unicode');
    expect(watch.out + watch.err).toMatch(plain);
    const ramp = await cli(badWs.dir, 'ramp', badWs.collection, '-e', badWs.environment, '--dry-run', '--disable-unicode');
    expect(ramp.out).toMatch(plain);
  });
});
