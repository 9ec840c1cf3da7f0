/**
 * Nothing smuggled (#29 critical 1, major 13): a method, header name or header value that would
 * end a line or the head early is refused by every command before anything is sent — exit 2,
 * naming the item and the field — with either engine; the server, which records every byte it is
 * brought, sees no connection at all. A CRLF in a URL is percent-encoded by both engines alike
 * (one request arrives per request sent); a drawn `{{$dynamic}}` value with a line break fails
 * that one send, with newman's code, in both engines. The rules are Node's own.
 */
import common from 'node:_http_common';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { captureIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { runFast } from '../../src/engines/fast.js';
import { runNewman } from '../../src/engines/newman.js';
import { sendRequest } from '../../src/diagnose/probes/send-request.js';
import { InputError } from '../../src/errors.js';
import type { RequestOutcome } from '../../src/model.js';
import { hasInvalidHeaderChar, hasInvalidPathChar, isHttpToken } from '../../src/postman/http-syntax.js';
import { startRecordingServer, type RecordingServer } from './wire-servers.js';

const SCHEMA = 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json';
const node = common as unknown as { _checkIsHttpToken(text: string): boolean; _checkInvalidHeaderChar(text: string): boolean };

let server: RecordingServer;
let dir: string;
beforeAll(async () => {
  server = await startRecordingServer();
  dir = await mkdtemp(join(tmpdir(), 'debug502-wire-'));
});
afterAll(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});
beforeEach(() => server.reset());

test('the rules are Node\'s own: token and header-value checks agree with lib/_http_common.js on every code unit up to U+01FF', () => {
  for (let code = 0; code <= 0x1ff; code++) {
    const char = String.fromCharCode(code);
    expect([code, isHttpToken(char)]).toEqual([code, node._checkIsHttpToken(char)]);
    expect([code, hasInvalidHeaderChar(`a${char}b`)]).toEqual([code, node._checkInvalidHeaderChar(`a${char}b`)]);
    // lib/_http_client.js: INVALID_PATH_REGEX = /[^\u0021-\u00ff]/
    expect([code, hasInvalidPathChar(`/a${char}`)]).toEqual([code, code < 0x21 || code > 0xff]);
  }
  expect(isHttpToken('')).toBe(node._checkIsHttpToken(''));
});

/** A debug502 collection whose two requests carry `request`'s method and headers. */
function routeCollection(request: object) {
  const item = (route: string, base: string) => ({ name: route, item: [{ name: 'smuggle', request: { method: 'GET', ...request, url: `{{${base}}}/a` } }] });
  return { info: { name: 'wire', schema: SCHEMA }, item: [item('Through gateway', 'gateway_url'), item('Direct to backend', 'backend_url')] };
}

const SMUGGLING: { name: string; request: object; envVars?: string[]; field: RegExp }[] = [
  { name: 'a method holding CRLF and a second request', request: { method: 'GET / HTTP/1.1\r\nHost: x\r\n\r\nGET /second' }, field: /"Through gateway \/ smuggle": its method "GET \/ HTTP\/1\.1\\r\\nHOST: X/ },
  { name: 'a header value holding CRLF and another header', request: { header: [{ key: 'X-Trace', value: '1\r\nX-Injected: 1' }] }, field: /"Through gateway \/ smuggle": the value of its header "X-Trace" holds a line break \(CR\)/ },
  { name: 'a header value set to CRLF by --env-var', request: { header: [{ key: 'X-Trace', value: '{{trace}}' }] }, envVars: ['--env-var', 'trace=1\r\nX-Injected: 1'], field: /the value of its header "X-Trace" holds a line break/ },
  { name: 'a header name that is no token', request: { header: [{ key: 'X-A: 1\r\nX-B', value: 'v' }] }, field: /its header name "X-A: 1\\r\\nX-B" is not an HTTP token/ },
];

describe('every command refuses them before anything is sent: exit 2, the item and the field named, nothing at the server', () => {
  const commands: { name: string; argv(file: string): string[] }[] = [
    { name: 'run', argv: (file) => ['run', file, '-r', 'json', '--report-dir', join(dir, 'reports')] },
    { name: 'ramp, newman', argv: (file) => ['ramp', file, '--engine', 'newman', '--target', 'gateway', '--start', '1', '--max', '1', '--requests-per-step', '10', '--max-requests', '10', '-r', 'json', '--report-dir', join(dir, 'reports')] },
    { name: 'ramp, fast', argv: (file) => ['ramp', file, '--engine', 'fast', '--target', 'both', '--start', '1', '--max', '1', '--requests-per-step', '10', '--max-requests', '10', '-r', 'json', '--report-dir', join(dir, 'reports')] },
    { name: 'ramp, fast, --mode rate', argv: (file) => ['ramp', file, '--engine', 'fast', '--mode', 'rate', '--start-rate', '5', '--max-rate', '5', '--step-duration', '1s', '--max-requests', '10', '-r', 'json', '--report-dir', join(dir, 'reports')] },
    { name: 'watch', argv: (file) => ['watch', '--collection', file, '--rate', '5', '--duration', '1s', '--max-requests', '10', '--report-dir', join(dir, 'reports')] },
    { name: 'diagnose', argv: (file) => ['diagnose', '--collection', file, '--unsafe-methods', '--report-dir', join(dir, 'reports')] },
    { name: 'export k6', argv: (file) => ['export', file, '--to', 'k6', '--out', join(dir, 'k6')] },
  ];
  test.each(SMUGGLING)('$name', async ({ request, envVars = [], field }) => {
    const file = join(dir, 'collection.json');
    await writeFile(file, JSON.stringify(routeCollection(request)));
    for (const command of commands) {
      const io = captureIo({ cwd: dir });
      const argv = [...command.argv(file), '--env-var', `gateway_url=${server.url}`, '--env-var', `backend_url=${server.url}`, ...envVars];
      const code = await main(argv, io);
      const err = io.err.join('');
      expect([command.name, code]).toEqual([command.name, 2]);
      expect(err).toMatch(/cannot be sent as written — nothing was sent/);
      expect(err).toMatch(field);
      expect([command.name, server.received()]).toEqual([command.name, []]);
    }
  });
});

describe('the engines', () => {
  const collectionOf = (request: object) => ({ info: { name: 'wire', schema: SCHEMA }, item: [{ name: 'one', request: { method: 'GET', url: `${server.url}/a`, ...request } }] });
  const outcomesOf = async (run: typeof runFast, collection: object) => {
    const outcomes: RequestOutcome[] = [];
    await run({ collection, iterationCount: 3 }, { onOutcome: (outcome) => outcomes.push(outcome) });
    return outcomes;
  };

  test('the fast engine refuses what it would otherwise have written (a CRLF method sent two requests per one counted before)', async () => {
    for (const { request } of SMUGGLING.filter((s) => !s.envVars)) {
      const refusal = await runFast({ collection: collectionOf(request) }).catch((error: unknown) => error);
      expect(refusal).toBeInstanceOf(InputError);
      expect((refusal as InputError).problems).toEqual([expect.stringMatching(/^"one": (its method|its header name|the value of its header)/)]);
      expect((refusal as InputError).hint).not.toMatch(/--engine newman/);
    }
    expect(server.received()).toEqual([]);
  });

  test('a CRLF in the URL is percent-encoded, by both engines alike: one request arrives per request sent', async () => {
    const collection = collectionOf({ url: `${server.url}/a\r\nX-Injected: 1?q=b\tc` });
    const lines: string[][] = [];
    for (const run of [runNewman, runFast]) {
      server.reset();
      expect((await outcomesOf(run, collection)).map((o) => o.status)).toEqual([200, 200, 200]);
      expect(server.heads()).toHaveLength(3);
      lines.push(server.heads().map((head) => head.split('\r\n')[0]));
    }
    expect(lines[0]).toEqual(Array(3).fill('GET /a%0D%0AX-Injected:%201?q=b%09c HTTP/1.1'));
    expect(lines[1]).toEqual(lines[0]);
  });

  test('an empty or absent method is sent as GET by both engines, as postman-request sends it', async () => {
    for (const method of ['', null]) {
      for (const run of [runNewman, runFast]) {
        server.reset();
        expect((await outcomesOf(run, collectionOf({ method }))).map((o) => o.status)).toEqual([200, 200, 200]);
        expect(server.heads().map((head) => head.split('\r\n')[0])).toEqual(Array(3).fill('GET /a HTTP/1.1'));
      }
    }
  });

  test('a drawn {{$dynamic}} value with a line break fails that send in both engines, as newman\'s client refuses it; nothing arrives', async () => {
    // {{$randomLoremParagraphs}}: paragraphs joined by line breaks, every draw.
    const collection = collectionOf({ header: [{ key: 'X-Lorem', value: '{{$randomLoremParagraphs}}' }] });
    for (const run of [runNewman, runFast]) {
      const outcomes = await outcomesOf(run, collection);
      expect(outcomes.map((o) => [o.error, o.errorMessage])).toEqual(Array(3).fill(['ERR_INVALID_CHAR', 'Invalid character in header content ["X-Lorem"]']));
    }
    expect(server.received()).toEqual([]);
  });
});

test('diagnose\'s and watch\'s sender frames a body itself: an OPTIONS or GET body goes with its Content-Length, not as the start of another request', async () => {
  for (const method of ['OPTIONS', 'GET', 'DELETE']) {
    server.reset();
    const sent = await sendRequest(new URL(`${server.url}/a`), { method, headers: { 'Content-Type': 'application/json', 'Content-Length': '99' }, body: '{"a":1}', timeoutMs: 5000 });
    expect([method, sent.status]).toEqual([method, 200]);
    const [received] = server.received();
    expect(received.endsWith('\r\n\r\n{"a":1}')).toBe(true);
    expect(server.heads()).toEqual([expect.stringMatching(new RegExp(`^${method} /a HTTP/1.1\r\n[\\s\\S]*content-length: 7`, 'i'))]);
  }
});
