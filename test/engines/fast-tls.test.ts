/**
 * The fast engine over TLS, against a real loopback HTTPS server with a self-signed certificate
 * (test/fixtures/tls): refused with newman's code unless `insecure` (-k), then sent over one kept
 * connection — the engine's own client does the TLS (src/engines/fast-http1.ts).
 */
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:https';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { EngineInput } from '../../src/engines/engine.js';
import { runFast } from '../../src/engines/fast.js';
import { runNewman } from '../../src/engines/newman.js';
import type { RequestOutcome } from '../../src/model.js';

const fixture = (name: string) => readFile(new URL(`../fixtures/tls/${name}`, import.meta.url));
let server: Server;
let url: string;
let connections = 0;

beforeAll(async () => {
  server = createServer({ cert: await fixture('localhost-self-signed.crt'), key: await fixture('localhost-self-signed.key') }, (req, res) => {
    res.writeHead(req.url === '/bad' ? 502 : 200, { 'content-type': 'application/json' }).end('{"ok":true}');
  });
  server.on('secureConnection', () => (connections += 1));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `https://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

const collection = () => ({
  info: { name: 'tls', schema: 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json' },
  item: [{ name: 'ok', request: { method: 'GET', url: `${url}/ok` } }, { name: 'bad', request: { method: 'GET', url: `${url}/bad` } }],
});

async function outcomesOf(run: typeof runFast, input: Partial<EngineInput>): Promise<RequestOutcome[]> {
  const outcomes: RequestOutcome[] = [];
  await run({ collection: collection(), timeoutRequestMs: 5000, ...input }, { onOutcome: (o) => outcomes.push(o) });
  return outcomes;
}

test('a self-signed certificate without -k: the code newman gives, no answer', async () => {
  const [fast, newman] = [await outcomesOf(runFast, {}), await outcomesOf(runNewman, {})];
  expect(fast.map((o) => o.error)).toEqual(['DEPTH_ZERO_SELF_SIGNED_CERT', 'DEPTH_ZERO_SELF_SIGNED_CERT']);
  expect(fast.map((o) => [o.error, o.errorMessage])).toEqual(newman.map((o) => [o.error, o.errorMessage]));
});

test('with -k: the answers, both requests over one TLS connection', async () => {
  const before = connections;
  const outcomes = await outcomesOf(runFast, { insecure: true, iterationCount: 2 });
  expect(outcomes.map((o) => o.status)).toEqual([200, 502, 200, 502]);
  expect(outcomes.map((o) => o.tests[0].passed)).toEqual([true, false, true, false]);
  expect(connections - before).toBe(1);
});
