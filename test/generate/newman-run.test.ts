import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCollection, buildEnvironment } from '../../src/generate/index.js';
import { HEALTH_REQUEST_NAME, NO_502_TEST, type EndpointConfig } from '../../src/model.js';
import { deadPort, startRawServer, type RawServer } from '../run/helpers.js';
import { makeConfig, runWithNewman, startTinyServer, type TinyServer } from './helpers.js';

/** The attack: if this text ever lands in the script as code, it sets a global. */
const EVIL = "x'); pm.globals.set('pwned','1'); ('";
const EVIL_DQ = 'y"); pm.globals.set("pwned2","1"); ("';

let server: TinyServer;
beforeAll(async () => {
  server = await startTinyServer(200);
});
afterAll(async () => {
  await server.close();
});

const environmentFor = (url: string) => buildEnvironment('test', { gateway_url: url, backend_url: url, secrets: [] });

describe('generated scripts under newman', () => {
  it('the harness sees a global a script really sets (positive control)', async () => {
    const collection = {
      info: { name: 'control', schema: 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json' },
      item: [{ name: 'c', request: { method: 'GET', url: `${server.url}/control` }, event: [{ listen: 'test', script: { exec: ["pm.globals.set('pwned','1');"] } }] }],
    };
    const result = await runWithNewman(collection, environmentFor(server.url));
    expect(result.globals).toEqual({ pwned: '1' });
  });

  it('keeps user text as data: an injected name is shown verbatim and never runs', async () => {
    const endpoints: EndpointConfig[] = [
      { name: EVIL, method: 'POST', path: "/api/x'y", query: { [EVIL]: EVIL }, headers: { 'X-Evil': EVIL }, body: { text: EVIL }, expectStatus: 200 },
      { name: EVIL_DQ, method: 'PUT', path: '/api/raw', query: {}, headers: {}, body: EVIL_DQ },
    ];
    const collection = buildCollection(makeConfig({ name: EVIL, endpoints }));
    server.requests.length = 0;
    const result = await runWithNewman(collection, environmentFor(server.url));

    expect(result.scriptErrors).toEqual([]);
    expect(result.globals).toEqual({});
    expect(result.requests).toBe(1 + 2 * 2);
    // Every test title is one of ours, and every item name is exactly the endpoint's name.
    const titles = new Set(result.assertions.map((a) => a.name));
    expect([...titles].sort()).toEqual([NO_502_TEST, 'Response under 5 seconds', 'Status is 200'].sort());
    expect([...new Set(result.assertions.map((a) => a.item))].sort()).toEqual([HEALTH_REQUEST_NAME, EVIL, EVIL_DQ].sort());
    expect(result.assertions.every((a) => a.passed)).toBe(true);
    expect(result.assertions).toHaveLength(3 * 2 + 2 * 2 + 1 * 2);

    // The text also reached the server unchanged: as header, query and body.
    const posts = server.requests.filter((r) => r.method === 'POST');
    expect(posts).toHaveLength(2);
    for (const request of posts) {
      expect(request.headers['x-evil']).toBe(EVIL);
      const url = new URL(request.url, server.url);
      expect(url.pathname).toBe("/api/x'y");
      expect(url.searchParams.get(EVIL)).toBe(EVIL);
      expect(JSON.parse(request.body)).toEqual({ text: EVIL });
      expect(request.headers['content-type']).toBe('application/json');
    }
    expect(server.requests.filter((r) => r.method === 'PUT').map((r) => r.body)).toEqual([EVIL_DQ, EVIL_DQ]);
  });

  it('carries method, query and headers to the server', async () => {
    const endpoints: EndpointConfig[] = [
      { name: 'Search', method: 'GET', path: '/api/search', query: { q: 'a b&c=d', page: '2' }, headers: { Accept: 'text/plain', 'X-Trace': 't-1' } },
      { name: 'Remove', method: 'DELETE', path: '/api/users/7', query: {}, headers: {} },
    ];
    server.requests.length = 0;
    await runWithNewman(buildCollection(makeConfig({ health: undefined, endpoints })), environmentFor(server.url));
    const search = server.requests.filter((r) => r.url.startsWith('/api/search'));
    expect(search).toHaveLength(2);
    for (const request of search) {
      const url = new URL(request.url, server.url);
      expect([...url.searchParams]).toEqual([['q', 'a b&c=d'], ['page', '2']]);
      expect(request.headers.accept).toBe('text/plain');
      expect(request.headers['x-trace']).toBe('t-1');
    }
    expect(server.requests.filter((r) => r.method === 'DELETE').map((r) => r.url)).toEqual(['/api/users/7', '/api/users/7']);
  });
});

describe('the latency limit lives in max_response_time_ms', () => {
  let slow: TinyServer;
  beforeAll(async () => {
    slow = await startTinyServer(200, 60);
  });
  afterAll(async () => {
    await slow.close();
  });
  const config = makeConfig({ health: undefined, endpoints: [{ name: 'Slow', method: 'GET', path: '/slow', query: {}, headers: {} }] });
  const latency = (result: Awaited<ReturnType<typeof runWithNewman>>) => result.assertions.filter((a) => a.name.startsWith('Response under'));

  it('passes under the generated limit, and its title follows the collection variable when retuned', async () => {
    const passing = latency(await runWithNewman(buildCollection(config), environmentFor(slow.url)));
    expect(passing.map((a) => [a.name, a.passed])).toEqual([['Response under 5 seconds', true], ['Response under 5 seconds', true]]);
    // What a user does in Postman: edit the collection variable.
    const retuned = buildCollection(config);
    retuned.variable = [{ key: 'max_response_time_ms', value: '20', type: 'string' }];
    const failing = latency(await runWithNewman(retuned, environmentFor(slow.url)));
    expect(failing.map((a) => [a.name, a.passed])).toEqual([['Response under 0.02 seconds', false], ['Response under 0.02 seconds', false]]);
  });

  it('can be overridden for one run with --env-var', async () => {
    const result = await runWithNewman(buildCollection(config), environmentFor(slow.url), [{ key: 'max_response_time_ms', value: '1000' }]);
    expect(latency(result).map((a) => [a.name, a.passed])).toEqual([['Response under 1 second', true], ['Response under 1 second', true]]);
  });
});

describe('a request that gets no response at all', () => {
  let closedPort: number;
  let malformed: RawServer;
  beforeAll(async () => {
    closedPort = await deadPort();
    malformed = await startRawServer((socket) => socket.end('HTTP/1.1 200 OK\r\nBad Header Line\r\nContent-Length: 2\r\n\r\nok'));
  });
  afterAll(() => malformed.close());
  const config = makeConfig({ health: undefined, endpoints: [{ name: 'Users', method: 'GET', path: '/api/users', query: {}, headers: {}, expectStatus: 200 }] });
  const NO_RESPONSE = /^(Through gateway|Direct to backend) \/ Users: no response: the request failed before any answer \(connection refused, DNS, reset, timeout\)$/;

  it.each([
    ['refused', () => `http://127.0.0.1:${closedPort}`],
    ['unresolvable', () => 'http://backend.invalid:9'],
    ['malformed', () => `http://127.0.0.1:${malformed.port}`],
  ])('%s: latency and status tests fail saying "no response", "No 502 errors" passes', async (_name, url) => {
    const result = await runWithNewman(buildCollection(config), environmentFor(url()));
    expect(result.scriptErrors).toEqual([]);
    expect(result.requests).toBe(2);
    const byName = (name: string) => result.assertions.filter((a) => a.name === name);
    expect(byName(NO_502_TEST).map((a) => a.passed)).toEqual([true, true]);
    for (const name of ['Response under 5 seconds', 'Status is 200']) {
      const tests = byName(name);
      expect(tests.map((a) => a.passed)).toEqual([false, false]);
      for (const t of tests) expect(t.message).toMatch(NO_RESPONSE);
    }
    expect(result.assertions.map((a) => a.message ?? '').join('\n')).not.toMatch(/undefined/);
  });
});
