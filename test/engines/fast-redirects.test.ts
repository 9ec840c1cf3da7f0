/**
 * The fast engine follows redirects itself, by newman's rules (src/engines/fast-redirects.ts): at
 * real loopback sockets, each hop is compared with what newman sends for the same collection —
 * method, body and Content-Type after 301/302/303/307/308, Authorization after a port change — and
 * the hop limit with its error is compared at the server.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { EngineInput, RunEngine } from '../../src/engines/engine.js';
import { runFast } from '../../src/engines/fast.js';
import { MAX_REDIRECTS, nextHop, redirectLocation } from '../../src/engines/fast-redirects.js';
import { runNewman } from '../../src/engines/newman.js';
import type { RequestOutcome } from '../../src/model.js';

const SCHEMA = 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json';

interface Hit {
  server: 'a' | 'b';
  method: string;
  path: string;
  authorization?: string;
  contentType?: string;
  body: string;
}

/**
 * Two origins. /to/<status>/<where> answers <status> with Location <where> (a path, or `b:` + a path
 * on the other origin); /loc/<encoded> answers 302 with that Location as it is; /chain/<n> redirects to /chain/<n-1> until 0, then 200; anything else 200.
 */
let hits: Hit[] = [];
const servers: Record<'a' | 'b', { server: Server; url: string }> = {} as never;
function handler(name: 'a' | 'b') {
  return (req: IncomingMessage, res: import('node:http').ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const path = req.url ?? '/';
      hits.push({ server: name, method: req.method ?? '', path, authorization: req.headers.authorization, contentType: req.headers['content-type'], body: Buffer.concat(chunks).toString() });
      const to = /^\/to\/(\d{3})\/(.*)$/.exec(path);
      if (to) {
        const where = to[2].startsWith('b:') ? `${servers.b.url}/${to[2].slice(2)}` : `/${to[2]}`;
        return res.writeHead(Number(to[1]), { location: where }).end('moved');
      }
      if (path.startsWith('/loc/')) return res.writeHead(302, { location: decodeURIComponent(path.slice(5)) }).end();
      const chain = /^\/chain\/(\d+)$/.exec(path);
      if (chain && Number(chain[1]) > 0) return res.writeHead(302, { location: `/chain/${Number(chain[1]) - 1}` }).end();
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
  };
}

beforeAll(async () => {
  for (const name of ['a', 'b'] as const) {
    const server = createServer(handler(name));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    servers[name] = { server, url: `http://127.0.0.1:${(server.address() as { port: number }).port}` };
  }
});
afterAll(async () => {
  await Promise.all(Object.values(servers).map(({ server }) => new Promise<void>((resolve) => server.close(() => resolve()))));
});

function send(path: string, headers: { key: string; value: string }[] = [], method = 'POST') {
  const request = { method, url: `{{a}}${path}`, header: [{ key: 'Content-Type', value: 'text/plain' }, ...headers], body: { mode: 'raw', raw: 'hello' } };
  return { info: { name: 'redirects', schema: SCHEMA }, item: [{ name: 'r', request }] };
}

/** The hops one engine sends for `collection`, and its one outcome. */
async function hopsOf(run: RunEngine, collection: object, input: Partial<EngineInput> = {}): Promise<{ hits: Hit[]; outcome: RequestOutcome }> {
  hits = [];
  const outcomes: RequestOutcome[] = [];
  await run({ collection, envVars: { a: servers.a.url }, timeoutRequestMs: 5000, ...input }, { onOutcome: (o) => outcomes.push(o) });
  expect(outcomes).toHaveLength(1);
  return { hits, outcome: outcomes[0] };
}

describe('each hop, the fast engine vs newman', () => {
  test.each([
    ['POST', '301', 'GET'],
    ['PUT', '301', 'GET'],
    ['POST', '302', 'GET'],
    ['POST', '303', 'GET'],
    ['POST', '307', 'POST'],
    ['PUT', '308', 'PUT'],
  ])('%s answered %s: the next hop is a %s, as newman sends it', async (method, status, expected) => {
    const collection = send(`/to/${status}/done`, [], method);
    const fast = await hopsOf(runFast, collection);
    const newman = await hopsOf(runNewman, collection);
    const shape = (h: Hit) => [h.server, h.method, h.path, h.contentType, h.body];
    expect(fast.hits.map(shape)).toEqual(newman.hits.map(shape));
    expect(fast.hits).toHaveLength(2);
    expect(fast.outcome.status).toBe(200);
    const followed = fast.hits[1];
    const keeps = expected !== 'GET';
    expect([followed.method, followed.body, followed.contentType]).toEqual([expected, keeps ? 'hello' : '', keeps ? 'text/plain' : undefined]);
  });

  test('Authorization is kept when only the port changes, as newman keeps it', async () => {
    const auth = [{ key: 'Authorization', value: 'Bearer secret' }];
    const fast = await hopsOf(runFast, send('/to/307/b:done', auth));
    const newman = await hopsOf(runNewman, send('/to/307/b:done', auth));
    expect(fast.hits.map((h) => [h.server, h.authorization])).toEqual([['a', 'Bearer secret'], ['b', 'Bearer secret']]);
    expect(newman.hits.map((h) => [h.server, h.authorization])).toEqual(fast.hits.map((h) => [h.server, h.authorization]));
  });

  test(`at most ${MAX_REDIRECTS} redirects are followed; one more is newman's "Exceeded maxRedirects" error`, async () => {
    const get = (n: number) => ({ info: { name: 'chain', schema: SCHEMA }, item: [{ name: 'c', request: { method: 'GET', url: `{{a}}/chain/${n}` } }] });
    const within = await hopsOf(runFast, get(MAX_REDIRECTS));
    expect([within.hits.length, within.outcome.status]).toEqual([MAX_REDIRECTS + 1, 200]);
    const beyond = await hopsOf(runFast, get(MAX_REDIRECTS + 3));
    const beyondNewman = await hopsOf(runNewman, get(MAX_REDIRECTS + 3));
    expect(beyond.hits.length).toBe(MAX_REDIRECTS + 1);
    expect(beyondNewman.hits.length).toBe(MAX_REDIRECTS + 1);
    expect(beyond.outcome.status).toBeUndefined();
    expect(beyond.outcome.errorMessage).toMatch(/^Exceeded maxRedirects\. Probably stuck in a redirect loop http:\/\/127\.0\.0\.1:\d+\/chain\/3$/);
    expect([beyond.outcome.error, beyond.outcome.errorMessage]).toEqual([beyondNewman.outcome.error, beyondNewman.outcome.errorMessage]);
  });

  test('--ignore-redirects: the 3xx is the answer, nothing more is sent', async () => {
    const { hits: sent, outcome } = await hopsOf(runFast, send('/to/302/done'), { followRedirects: false });
    expect([sent.length, outcome.status]).toEqual([1, 302]);
  });

  test('a Location that is not http(s) is a transport failure of that request, nothing sent to it', async () => {
    const collection = { info: { name: 'ftp', schema: SCHEMA }, item: [{ name: 'f', request: { method: 'GET', url: `{{a}}/loc/${encodeURIComponent('ftp://127.0.0.1/file')}` } }] };
    const { hits: sent, outcome } = await hopsOf(runFast, collection);
    expect(sent).toHaveLength(1);
    expect(outcome.status).toBeUndefined();
    expect(outcome.errorMessage).toMatch(/not http\(s\)/);
  });
});

describe('the rules (postman-request\'s)', () => {
  const hop = { target: { origin: 'http://127.0.0.1:1', path: '/a?x=1' }, method: 'POST', headers: ['Host', 'h', 'Content-Type', 'text/plain', 'Authorization', 'a', 'X-Keep', 'k'], body: 'b' };
  test('a 303 (like 301/302) makes a GET without body or Content-Type; the rest is kept on the same host', () => {
    expect(nextHop(hop, 303, '/b')).toEqual({ target: { origin: 'http://127.0.0.1:1', path: '/b' }, method: 'GET', headers: ['Host', 'h', 'Authorization', 'a', 'X-Keep', 'k'], body: undefined });
    expect(nextHop({ ...hop, method: 'HEAD' }, 302, '/b').method).toBe('HEAD');
  });
  test('a relative Location resolves against the hop\'s URL; another host name drops Host and Authorization', () => {
    expect(nextHop(hop, 307, 'c?y=2')).toMatchObject({ target: { origin: 'http://127.0.0.1:1', path: '/c?y=2' }, method: 'POST', body: 'b' });
    expect(nextHop(hop, 307, 'http://localhost:2/d').headers).toEqual(['Content-Type', 'text/plain', 'X-Keep', 'k']);
  });
  test('which answers are redirects to follow', () => {
    expect(redirectLocation(302, '/x')).toBe('/x');
    expect(redirectLocation(304, '/x')).toBe('/x');
    expect(redirectLocation(302, ['/x', '/y'])).toBe('/x');
    expect(redirectLocation(200, '/x')).toBeUndefined();
    expect(redirectLocation(302, undefined)).toBeUndefined();
  });
});
