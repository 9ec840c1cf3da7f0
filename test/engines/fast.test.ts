/**
 * The fast engine against real loopback sockets: outcomes, newman's transport error codes (each
 * compared with what the newman adapter gives for the same socket), substitution as newman does it,
 * folder selection, abort — and the point of it all: C users really keep about C requests in flight.
 */
import { readFile } from 'node:fs/promises';
import { createServer as createHttpServer, type IncomingMessage, type Server as HttpServer } from 'node:http';
import type { Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { NO_RESPONSE_MESSAGE, runFast } from '../../src/engines/fast.js';
import type { EngineInput } from '../../src/engines/engine.js';
import { runNewman } from '../../src/engines/newman.js';
import { InputError, RuntimeError } from '../../src/errors.js';
import { startLabBackend } from '../../src/lab/index.js';
import type { RequestOutcome } from '../../src/model.js';
import { budgetStep, executeStep, RAMP_DEFAULTS, type StepInput } from '../../src/ramp/index.js';
import { labCollection } from '../ramp/helpers.js';
import { deadPort, HAS_PYTHON, startFullBacklogListener, startRawServer, type RawServer } from '../run/helpers.js';

const SCHEMA = 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json';
const TIMEOUT_MS = 400;

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** /status/N answers N after `?ms=` ms; anything else echoes. Counts connections and in-flight time. */
let server: HttpServer;
let base: string;
const seen: Seen[] = [];
const load = { connections: 0, inFlight: 0, area: 0, since: 0, first: 0, last: 0 };
function track(delta: number): void {
  const now = performance.now();
  if (load.inFlight > 0) load.area += load.inFlight * (now - load.since);
  if (load.first === 0) load.first = now;
  load.inFlight += delta;
  load.since = now;
  load.last = now;
}

beforeAll(async () => {
  server = createHttpServer((req, res) => {
    track(1);
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x.invalid');
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString() });
      const status = /^\/status\/(\d+)$/.exec(url.pathname)?.[1];
      if (url.pathname === '/redirect') return res.writeHead(302, { location: '/status/201' }).end(() => track(-1));
      setTimeout(() => {
        res.writeHead(Number(status ?? 200), { 'content-type': 'application/json' });
        res.end('{"ok":true}', () => track(-1));
      }, Number(url.searchParams.get('ms') ?? 0));
    });
  });
  server.on('connection', () => (load.connections += 1));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
const rawServers: RawServer[] = [];
afterAll(async () => {
  await Promise.all(rawServers.map((s) => s.close()));
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

function collectionOf(items: object[], variable: object[] = []) {
  return { info: { name: 'fast', schema: SCHEMA }, variable, item: items };
}
function get(name: string, url: string, extra: object = {}) {
  return { name, request: { method: 'GET', url, ...extra } };
}

async function outcomesOf(run: typeof runFast, input: EngineInput): Promise<RequestOutcome[]> {
  const outcomes: RequestOutcome[] = [];
  const summary = await run(input, { onOutcome: (o) => outcomes.push(o) });
  expect(summary.requests).toBe(outcomes.length);
  return outcomes;
}

describe('runFast outcomes', () => {
  test('200, 502, 503: route, item, key, status and the guide\'s two tests', async () => {
    const collection = collectionOf([{ name: 'Through gateway', item: ['200', '502', '503'].map((s) => get(`s${s}`, `{{gateway_url}}/status/${s}`)) }]);
    const outcomes: RequestOutcome[] = [];
    const events: string[] = [];
    const summary = await runFast({ collection, envVars: { gateway_url: base }, iterationCount: 2 }, {
      onRequestStart: (item) => events.push(`start ${item}`),
      onResponse: (item) => events.push(`response ${item}`),
      onOutcome: (o) => { outcomes.push(o); events.push(`outcome ${o.item}`); },
    });
    expect(summary).toMatchObject({ requests: 6, failedTests: 2, sent: 6, refused: false });
    expect(events.slice(0, 3)).toEqual(['start s200', 'response s200', 'outcome s200']);
    expect(outcomes.map((o) => o.status)).toEqual([200, 502, 503, 200, 502, 503]);
    expect(outcomes[1]).toMatchObject({
      route: 'gateway', item: 's502', request: 'GET /status/502',
      tests: [{ name: 'No 502 errors', passed: false, message: 'expected 502 to not equal 502' }, { name: 'Response under 5 seconds', passed: true }],
    });
    expect(outcomes[2].tests.every((t) => t.passed)).toBe(true);
    expect(outcomes[0].itemId).toBe(outcomes[3].itemId);
    expect(outcomes[0].error).toBeUndefined();
  });

  test('redirects are followed, as newman does', async () => {
    const [outcome] = await outcomesOf(runFast, { collection: collectionOf([get('moved', `${base}/redirect`)]) });
    expect([outcome.status, outcome.request]).toEqual([201, `GET ${base}/redirect`]);
  });

  test('the latency test follows max_response_time_ms (environment over collection)', async () => {
    const collection = collectionOf([get('slow', '{{gateway_url}}/status/200?ms=60')], [{ key: 'max_response_time_ms', value: '5000' }]);
    const environment = { values: [{ key: 'max_response_time_ms', value: '30', enabled: true }] };
    const [outcome] = await outcomesOf(runFast, { collection, environment, envVars: { gateway_url: base } });
    expect(outcome.tests[1]).toMatchObject({ name: 'Response under 0.03 seconds', passed: false });
  });
});

/** A raw TCP server on 127.0.0.1 that does `onData` with each connection's first bytes. */
async function rawServer(onData?: (socket: Socket) => void): Promise<string> {
  const raw = await startRawServer(onData);
  rawServers.push(raw);
  return `http://127.0.0.1:${raw.port}/`;
}

async function failureOf(run: typeof runFast, url: string): Promise<RequestOutcome> {
  const [outcome] = await outcomesOf(run, { collection: collectionOf([get('probe', url)]), timeoutRequestMs: TIMEOUT_MS });
  expect(outcome.status).toBeUndefined();
  return outcome;
}

test('the fast engine words "no response" as the generated test script does', async () => {
  const template = await readFile(new URL('../../templates/generate/request-tests.js.hbs', import.meta.url), 'utf8');
  expect(template).toContain(NO_RESPONSE_MESSAGE);
});

describe('transport errors: the codes newman gives, from real sockets', () => {
  const cases: { name: string; code: string; start(): Promise<string> }[] = [
    { name: 'nothing listening', code: 'ECONNREFUSED', start: async () => `http://127.0.0.1:${await deadPort()}/` },
    { name: 'closed without an answer', code: 'ECONNRESET', start: () => rawServer((s) => s.end()) },
    { name: 'reset', code: 'ECONNRESET', start: () => rawServer((s) => s.resetAndDestroy()) },
    { name: 'an invalid header', code: 'HPE_INVALID_HEADER_TOKEN', start: () => rawServer((s) => s.end('HTTP/1.1 200 OK\r\nX-Lab Broken\u0000Header\r\nContent-Length: 2\r\n\r\n{}')) },
    { name: 'not HTTP', code: 'HPE_INVALID_CONSTANT', start: () => rawServer((s) => s.end('hello\r\n\r\n')) },
    { name: 'a bad status line', code: 'HPE_INVALID_STATUS', start: () => rawServer((s) => s.end('HTTP/1.1 abc OK\r\n\r\n')) },
    { name: 'a bad chunk size', code: 'HPE_INVALID_CHUNK_SIZE', start: () => rawServer((s) => s.end('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n')) },
    { name: 'accepted, never answered', code: 'ESOCKETTIMEDOUT', start: () => rawServer() },
    { name: 'headers, then a body that stalls', code: 'ESOCKETTIMEDOUT', start: () => rawServer((s) => s.write('HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\n{')) },
  ];
  test.each(cases)('$name → $code, as newman says it', async ({ code, start }) => {
    const url = await start();
    const [fast, newman] = [await failureOf(runFast, url), await failureOf(runNewman, url)];
    expect([fast.error, newman.error]).toEqual([code, code]);
    expect(fast.errorMessage).toBe(newman.errorMessage);
    expect(fast.tests.map((t) => [t.name, t.passed, t.message])).toEqual([['No 502 errors', true, undefined], ['Response under 5 seconds', false, NO_RESPONSE_MESSAGE]]);
  });

  test('a *.invalid host → ENOTFOUND', async () => {
    expect((await failureOf(runFast, 'http://backend.invalid:8080/')).error).toMatch(/^(ENOTFOUND|EAI_AGAIN)$/);
  });

  test.skipIf(!HAS_PYTHON)('a listener whose accept queue is full → ETIMEDOUT (connect timeout)', async () => {
    const listener = await startFullBacklogListener();
    try {
      expect((await failureOf(runFast, `http://127.0.0.1:${listener.port}/`)).error).toBe('ETIMEDOUT');
    } finally {
      listener.close();
    }
  });
});

describe('the requests sent: what newman would send', () => {
  const collection = collectionOf(
    [
      {
        name: 'echo raw',
        request: {
          method: 'POST',
          url: '{{gateway_url}}/echo/{{a}}?b={{b}}&c={{c}}&off=1',
          header: [{ key: 'X-Nested', value: '{{nested}}' }, { key: 'X-Off', value: 'no', disabled: true }],
          body: { mode: 'raw', raw: '{"a":"{{a}}","id":"{{$guid}}"}', options: { raw: { language: 'json' } } },
        },
      },
      { name: 'echo form', request: { method: 'PUT', url: '{{gateway_url}}/form', body: { mode: 'urlencoded', urlencoded: [{ key: 'q', value: '{{b}} & more!' }, { key: 'x', value: '1', disabled: true }] } } },
    ],
    [{ key: 'a', value: 'coll' }, { key: 'b', value: 'coll' }, { key: 'c', value: 'coll' }, { key: 'nested', value: '{{c}}-{{b}}' }],
  );
  const environment = { values: [{ key: 'a', value: 'env' }, { key: 'b', value: 'env' }, { key: 'gateway_url', value: 'http://127.0.0.1:1' }] };
  const pick = (s: Seen) => ({ method: s.method, url: s.url, nested: s.headers['x-nested'], off: s.headers['x-off'], type: s.headers['content-type'], body: s.body.replace(/"id":"[^"]+"/, '"id":"*"') });

  test('envVars over environment over collection, nested and dynamic variables — the same requests as newman', async () => {
    const input = { collection, environment, envVars: { a: 'cli', gateway_url: base }, iterationCount: 2 };
    seen.length = 0;
    await runFast(input);
    const fast = seen.splice(0);
    await runNewman(input);
    const newman = seen.splice(0);
    expect(fast.map(pick)).toEqual(newman.map(pick));
    expect(pick(fast[0])).toEqual({ method: 'POST', url: '/echo/cli?b=env&c=coll&off=1', nested: 'coll-env', off: undefined, type: 'application/json', body: '{"a":"cli","id":"*"}' });
    expect(pick(fast[1])).toMatchObject({ method: 'PUT', body: 'q=env%20%26%20more%21', type: 'application/x-www-form-urlencoded' });
    // {{$guid}} is drawn for every request, not once per run.
    expect(fast[0].body).not.toBe(fast[2].body);
  });

  test('folders: by name, nested folders flattened in order, a request by name, several; unknown → InputError', async () => {
    const tree = collectionOf([
      { name: 'A', item: [get('a1', `${base}/a1`), { name: 'A inner', item: [get('a2', `${base}/a2`)] }, get('a3', `${base}/a3`)] },
      { name: 'B', item: [get('b1', `${base}/b1`), { name: 'deep', item: [get('A', `${base}/not-the-folder`)] }] },
    ]);
    const items = async (folder?: string | string[]) => (await outcomesOf(runFast, { collection: tree, folder })).map((o) => o.item);
    expect(await items('A')).toEqual(['a1', 'a2', 'a3']);
    expect(await items('A inner')).toEqual(['a2']);
    expect(await items('b1')).toEqual(['b1']);
    expect(await items(['b1', 'A inner'])).toEqual(['a2', 'b1']);
    expect(await items()).toEqual(['a1', 'a2', 'a3', 'b1', 'A']);
    await expect(runFast({ collection: tree, folder: 'C' })).rejects.toThrow(InputError);
  });

  test('what it cannot send faithfully is refused before any request, naming every item (exit 2)', async () => {
    const before = seen.length;
    const file = collectionOf([{ name: 'F', item: [{ name: 'upload', request: { method: 'POST', url: `${base}/x`, body: { mode: 'formdata', formdata: [{ key: 'k', type: 'file', src: '/tmp/a' }] } } }] }]);
    await expect(runFast({ collection: file })).rejects.toThrow(InputError);
    await expect(runFast({ collection: file })).rejects.toMatchObject({ problems: [expect.stringMatching(/"F \/ upload".*file/)] });
    const script = collectionOf([
      { ...get('signed', `${base}/x`), event: [{ listen: 'prerequest', script: { exec: ['pm.variables.set("t", 1)'] } }] },
      { name: 'G', event: [{ listen: 'test', script: { exec: ['pm.test("x", () => {})'] } }], item: [get('checked', `${base}/y`)] },
    ]);
    const refusal = await runFast({ collection: script }).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(InputError);
    expect((refusal as InputError).problems).toEqual([
      '"signed": a pre-request script at the request',
      '"G / checked": a test script at "G"',
    ]);
    expect((refusal as InputError).hint).toMatch(/--engine newman/);
    const digest = { ...collectionOf([{ name: 'F', item: [get('private', `${base}/x`)] }]), auth: { type: 'digest', digest: [{ key: 'username', value: 'u' }] } };
    await expect(runFast({ collection: digest })).rejects.toMatchObject({ problems: [expect.stringMatching(/"F \/ private".*"digest" auth/)] });
    const folderScript = collectionOf([{ name: 'F', event: [{ listen: 'prerequest', script: { exec: ['// only a comment'] } }], item: [get('ok', `${base}/x`)] }]);
    expect((await runFast({ collection: folderScript })).requests).toBe(1);
    await expect(runFast({ collection: collectionOf([get('unset', '{{gateway_url}}/x')]) })).rejects.toMatchObject({ problems: [expect.stringMatching(/"unset".*are its variables set/)] });
    expect(seen.length).toBe(before + 1);
  });
});

describe('load', () => {
  test('an abort stops new requests; every request counted has its outcome', async () => {
    const controller = new AbortController();
    let started = 0;
    const outcomes: RequestOutcome[] = [];
    const summary = await runFast(
      { collection: collectionOf([get('p', `${base}/status/200?ms=20`)]), iterationCount: 1000, signal: controller.signal },
      { onRequestStart: () => (++started === 5 ? controller.abort() : undefined), onOutcome: (o) => outcomes.push(o) },
    );
    expect(summary.requests).toBe(5);
    expect(started).toBe(5);
    expect(outcomes).toHaveLength(5);
  });

  // Retried: the average is measured on a machine others load too (2 cores shared); one calm run shows it.
  test('32 users started together keep far more requests in flight than newman (server-side average ≥ 16)', { retry: 3 }, async () => {
    const collection = collectionOf([get('p', `${base}/status/200?ms=50`)]);
    Object.assign(load, { connections: 0, inFlight: 0, area: 0, since: 0, first: 0, last: 0 });
    const summaries = await Promise.all(Array.from({ length: 32 }, () => runFast({ collection, iterationCount: 5 })));
    const average = load.area / (load.last - load.first);
    console.log(`fast engine, 32 users × 5 requests, 50 ms server: average in flight ${average.toFixed(1)}, ${load.connections} connections`);
    expect(summaries.reduce((n, s) => n + s.requests, 0)).toBe(160);
    // A bound for a loaded 2-core machine (measured 15–18 under a load of 14, 5.7–7.8 at load 16
    // whatever the engine code): newman's stays at 3–7 whatever C.
    expect(average).toBeGreaterThanOrEqual(12);
    // Bodies are read to the end, so each user keeps its one connection.
    expect(load.connections).toBe(32);
  });

  test.each([
    { concurrency: 3, failed: false },
    { concurrency: 4, failed: true },
  ])('executeStep with runFast against a lab backend of capacity 3: concurrency $concurrency → failed $failed', async ({ concurrency, failed }) => {
    const backend = await startLabBackend({ capacity: 3, latencyMs: 50 });
    try {
      const input: StepInput = {
        target: 'backend', phase: 'ramp', budget: budgetStep(concurrency, concurrency * 4, 1), collection: labCollection(),
        envVars: { gateway_url: backend.url, backend_url: backend.url }, failOn: RAMP_DEFAULTS.failOn, threshold: 0, timeoutRequestMs: 5000, runRequestsBefore: 0,
      };
      const { result, complete } = await executeStep(input, { runEngine: runFast });
      expect(complete).toBe(true);
      expect(result.requests).toBe(concurrency * 4);
      expect(result.peakInFlight).toBe(concurrency);
      expect(result.failed).toBe(failed);
      expect(result.failures).toBe(backend.stats().rejected);
      if (failed) expect(Object.keys(result.transportErrors)).toEqual(['ECONNRESET']);
    } finally {
      await backend.close();
    }
  });
});
