/**
 * Malformed answers read the same by both engines: a raw loopback server answers each shape, and
 * what newman (postman-request on Node's http, llhttp) makes of it — a status, or an error code and
 * message — is what the fast engine makes of it, whole, and arriving a byte at a time. And a status
 * outside 100–599 (000, 999) or a 101 nobody asked for is never an answer: every sender reports it
 * as HPE_INVALID_STATUS, so the verdicts read it as a malformed response, never "ok".
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { captureIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { runFast } from '../../src/engines/fast.js';
import { runNewman } from '../../src/engines/newman.js';
import type { RunEngine } from '../../src/engines/engine.js';
import { sendRequest } from '../../src/diagnose/probes/send-request.js';
import { tallyOutcome } from '../../src/ramp/step-recorder.js';
import { classifyObservation } from '../../src/run/classify.js';
import type { RequestOutcome, RunReport } from '../../src/model.js';
import { startAnsweringServer, type AnsweringServer } from './wire-servers.js';

const SCHEMA = 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json';
let server: AnsweringServer;
beforeAll(async () => {
  server = await startAnsweringServer();
});
afterAll(() => server.close());

/** What an engine made of one GET: `status 200`, or `CODE message`. */
async function readingOf(run: RunEngine): Promise<string> {
  const collection = { info: { name: 'malformed', schema: SCHEMA }, item: [{ name: 'm', request: { method: 'GET', url: `${server.url}/x` } }] };
  const outcomes: RequestOutcome[] = [];
  await run({ collection, timeoutRequestMs: 3000 }, { onOutcome: (outcome) => outcomes.push(outcome) });
  expect(outcomes).toHaveLength(1);
  const [outcome] = outcomes;
  return outcome.status !== undefined ? `status ${outcome.status}` : `${outcome.error} ${outcome.errorMessage}`;
}

const H = 'HTTP/1.1 200 OK\r\n';
/** The shapes of #29 (Transfer-Encoding with Content-Length, bytes after the body, a 16-digit chunk size, status 000) and their neighbours. */
const SHAPES: { name: string; answer: string; newman: string | RegExp }[] = [
  { name: 'Transfer-Encoding, then Content-Length', answer: `${H}Transfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n2\r\n{}\r\n0\r\n\r\n`, newman: /^HPE_INVALID_CONTENT_LENGTH / },
  { name: 'Content-Length, then Transfer-Encoding', answer: `${H}Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n`, newman: /^HPE_INVALID_TRANSFER_ENCODING / },
  { name: 'Transfer-Encoding gzip with Content-Length', answer: `${H}Transfer-Encoding: gzip\r\nContent-Length: 2\r\n\r\n{}`, newman: /^HPE_INVALID_CONTENT_LENGTH / },
  { name: 'bytes after the body', answer: `${H}Content-Length: 2\r\n\r\n{}EXTRA BYTES`, newman: /^HPE_INVALID_CONSTANT / },
  { name: 'bytes after a Connection: close answer', answer: `${H}Content-Length: 2\r\nConnection: close\r\n\r\n{}EXTRA`, newman: /^HPE_CLOSED_CONNECTION / },
  { name: 'bytes after a chunked body', answer: `${H}Transfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\nEXTRA`, newman: /^HPE_INVALID_CONSTANT / },
  { name: 'a body after a 204', answer: 'HTTP/1.1 204 No Content\r\nContent-Length: 2\r\n\r\n{}', newman: /^HPE_INVALID_CONSTANT / },
  { name: 'a line end after the body', answer: `${H}Content-Length: 2\r\n\r\n{}\r\n`, newman: 'status 200' },
  { name: 'a 16-digit chunk size (the close cuts it short)', answer: `${H}Transfer-Encoding: chunked\r\n\r\n1000000000000000\r\n{}\r\n0\r\n\r\n`, newman: 'ECONNRESET aborted' },
  { name: 'a 17-digit chunk size', answer: `${H}Transfer-Encoding: chunked\r\n\r\n10000000000000000\r\n{}\r\n`, newman: /^HPE_INVALID_CHUNK_SIZE / },
  { name: 'a chunk size with leading zeros', answer: `${H}Transfer-Encoding: chunked\r\n\r\n00000000000000002\r\n{}\r\n0\r\n\r\n`, newman: 'status 200' },
  { name: 'a space after the chunk size', answer: `${H}Transfer-Encoding: chunked\r\n\r\n2 \r\n{}\r\n0\r\n\r\n`, newman: /^HPE_INVALID_CHUNK_SIZE / },
  { name: 'a chunk extension with a control character', answer: `${H}Transfer-Encoding: chunked\r\n\r\n2;a=\u0001\r\n{}\r\n0\r\n\r\n`, newman: /^HPE_STRICT / },
  { name: 'a malformed trailer', answer: `${H}Transfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\nBad Trailer\r\n\r\n`, newman: /^HPE_INVALID_HEADER_TOKEN / },
  { name: 'a chunked body the close cuts short', answer: `${H}Transfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n`, newman: 'ECONNRESET aborted' },
  { name: 'two equal Content-Lengths', answer: `${H}Content-Length: 2\r\nContent-Length: 2\r\n\r\n{}`, newman: /^HPE_UNEXPECTED_CONTENT_LENGTH / },
  { name: 'an empty Content-Length', answer: `${H}Content-Length: \r\n\r\n{}`, newman: /^HPE_INVALID_CONTENT_LENGTH Parse Error: Empty/ },
  { name: 'a 20-digit Content-Length', answer: `${H}Content-Length: 99999999999999999999\r\n\r\n{}`, newman: /^HPE_INVALID_CONTENT_LENGTH Parse Error: Content-Length overflow/ },
  { name: 'a 16-digit Content-Length of leading zeros', answer: `${H}Content-Length: 0000000000000002\r\n\r\n{}`, newman: 'status 200' },
  { name: 'a space before the colon', answer: `${H}Content-Length : 2\r\n\r\n{}`, newman: /^HPE_INVALID_HEADER_TOKEN / },
  { name: 'a folded header line', answer: `${H}X-A: a\r\n  b\r\nContent-Length: 2\r\n\r\n{}`, newman: /^HPE_INVALID_HEADER_TOKEN / },
  { name: 'bare LF line ends', answer: 'HTTP/1.1 200 OK\nContent-Length: 2\n\n{}', newman: /^HPE_CR_EXPECTED / },
  { name: 'a bare CR in a header value', answer: `${H}X-A: a\rb\r\nContent-Length: 2\r\n\r\n{}`, newman: /^HPE_LF_EXPECTED / },
  { name: 'a byte above 0x7F in a header value', answer: `${H}X-A: caf\u00e9\r\nContent-Length: 2\r\n\r\n{}`, newman: 'status 200' },
  { name: 'HTTP/1.2', answer: 'HTTP/1.2 200 OK\r\nContent-Length: 2\r\n\r\n{}', newman: /^HPE_INVALID_VERSION / },
  { name: 'HTTP/1.0 with chunked framing', answer: 'HTTP/1.0 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n', newman: 'status 200' },
  { name: 'a 4-digit status', answer: 'HTTP/1.1 2000 OK\r\nContent-Length: 2\r\n\r\n{}', newman: /^HPE_INVALID_STATUS / },
  { name: 'a 199 (informational) with a body', answer: 'HTTP/1.1 199 X\r\nContent-Length: 2\r\n\r\n{}', newman: /^HPE_INVALID_CONSTANT / },
  { name: 'status 000', answer: 'HTTP/1.1 000 Zero\r\nContent-Length: 2\r\n\r\n{}', newman: 'HPE_INVALID_STATUS invalid status code 000: an HTTP status is 100–599' },
  { name: 'status 999', answer: 'HTTP/1.1 999 Nine\r\nContent-Length: 2\r\n\r\n{}', newman: 'HPE_INVALID_STATUS invalid status code 999: an HTTP status is 100–599' },
  { name: 'a 101 nobody asked for (newman waited for good before)', answer: 'HTTP/1.1 101 Switching Protocols\r\nUpgrade: x\r\nConnection: upgrade\r\n\r\n', newman: /^HPE_INVALID_STATUS invalid status code 101/ },
];

describe('each malformed shape: the fast engine reads what newman reads', () => {
  test.each(SHAPES)('$name', async ({ answer, newman }) => {
    server.answerWith(answer);
    const byNewman = await readingOf(runNewman);
    if (typeof newman === 'string') expect(byNewman).toBe(newman);
    else expect(byNewman).toMatch(newman);
    expect(await readingOf(runFast)).toBe(byNewman);
    // A byte a read: the engine's own reader hands the answer to Node's parser, and reads what
    // newman reads then (bytes after a whole answer, in a later read, are then no answer's).
    server.answerWith([...answer]);
    expect(await readingOf(runFast)).toBe(await readingOf(runNewman));
  });
});

describe('a status that is no HTTP status is never "ok"', () => {
  test('the verdicts and a ramp step read 000 and 999 as a malformed response and a failure', async () => {
    for (const status of ['000', '999']) {
      server.answerWith(`HTTP/1.1 ${status} X\r\nContent-Length: 2\r\n\r\n{}`);
      for (const run of [runNewman, runFast]) {
        const outcomes: RequestOutcome[] = [];
        await run({ collection: { info: { name: 's', schema: SCHEMA }, item: [{ name: 's', request: { method: 'GET', url: `${server.url}/x` } }] } }, { onOutcome: (o) => outcomes.push(o) });
        const [outcome] = outcomes;
        expect(outcome.status).toBeUndefined();
        expect(classifyObservation({ ...outcome, failedTests: [], requests: 1 }, 5000)).toBe('malformed');
        const tally = { status: {}, transportErrors: {}, slow: 0 };
        expect(tallyOutcome(outcome, new Set([502]), undefined, tally)).toBe(true);
        expect(tally.transportErrors).toEqual({ HPE_INVALID_STATUS: 1 });
      }
    }
  });

  test('debug502 run: an endpoint answered 999 both ways is a malformed response, not ok', async () => {
    server.answerWith('HTTP/1.1 999 Nine\r\nContent-Length: 2\r\n\r\n{}', 'keep');
    const dir = await mkdtemp(join(tmpdir(), 'debug502-status-'));
    try {
      const route = (name: string, base: string) => ({ name, item: [{ name: 'odd', request: { method: 'GET', url: `{{${base}}}/x` } }] });
      await writeFile(join(dir, 'c.json'), JSON.stringify({ info: { name: 's', schema: SCHEMA }, item: [route('Through gateway', 'gateway_url'), route('Direct to backend', 'backend_url')] }));
      const io = captureIo({ cwd: dir });
      await main(['run', 'c.json', '--env-var', `gateway_url=${server.url}`, '--env-var', `backend_url=${server.url}`, '-r', 'json', '--report-dir', dir], io);
      const report = JSON.parse(await readFile(join(dir, 'run.json'), 'utf8')) as RunReport;
      expect(report.endpoints.map((e) => [e.verdict.code, e.gateway?.error, e.backend?.error])).toEqual([['backend-invalid-response', 'HPE_INVALID_STATUS', 'HPE_INVALID_STATUS']]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('diagnose\'s and watch\'s sender reports them, and a 101, as HPE_INVALID_STATUS (the 101 without waiting for its timeout)', async () => {
    for (const answer of ['HTTP/1.1 999 X\r\nContent-Length: 0\r\n\r\n', 'HTTP/1.1 000 X\r\nContent-Length: 0\r\n\r\n', 'HTTP/1.1 101 Switching Protocols\r\nUpgrade: x\r\nConnection: upgrade\r\n\r\n']) {
      server.answerWith(answer, 'keep');
      // Waiting for the timeout would end as ESOCKETTIMEDOUT.
      const sent = await sendRequest(new URL(`${server.url}/x`), { timeoutMs: 5000 });
      expect(sent).toMatchObject({ error: 'HPE_INVALID_STATUS' });
      expect(sent.status).toBeUndefined();
    }
  });
});
