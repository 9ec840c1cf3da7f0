/**
 * keepOnlyFolders (src/postman/items.ts): the copy of a collection that the Newman engine hands
 * newman for a run of one folder. It must hold what newman would select and what those requests
 * inherit — checked by running both with real newman against a loopback server — and stay the
 * whole collection whenever a name is ambiguous.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import newman from 'newman';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keepOnlyFolders } from '../../src/postman/items.js';

const get = (name: string, path: string) => ({ name, request: { method: 'GET', url: `{{base}}${path}` } });
const test = (script: string) => [{ listen: 'test', script: { exec: [script] } }];
const collection = {
  info: { name: 'tree', schema: 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json' },
  variable: [{ key: 'who', value: 'collection' }],
  auth: { type: 'bearer', bearer: [{ key: 'token', value: 'T', type: 'string' }] },
  event: test('pm.test("collection script sees " + pm.variables.get("who"), function () {});'),
  item: [
    { name: 'Through gateway', event: test('pm.test("gateway folder script", function () {});'), item: [
      { name: 'Orders', item: [get('List orders', '/orders'), get('Get order', '/orders/1')] },
      get('Health', '/health'),
    ] },
    { name: 'Direct to backend', item: [{ name: 'Orders', item: [get('List orders', '/b/orders')] }, get('Ping', '/ping')] },
  ],
};
const names = (items: unknown): unknown => (items as { name: string; item?: unknown }[]).map((i) => (i.item ? { [i.name]: names(i.item) } : i.name));

describe('keepOnlyFolders', () => {
  it('a unique folder: it alone, under its folders, collection-level auth, variables and scripts kept', () => {
    const kept = keepOnlyFolders(collection, 'Through gateway');
    expect(names(kept.item)).toEqual([{ 'Through gateway': [{ Orders: ['List orders', 'Get order'] }, 'Health'] }]);
    expect([kept.auth, kept.variable, kept.event, kept.info]).toEqual([collection.auth, collection.variable, collection.event, collection.info]);
    expect(names(keepOnlyFolders(collection, ['Ping', 'Health']).item)).toEqual([{ 'Through gateway': ['Health'] }, { 'Direct to backend': ['Ping'] }]);
  });

  it('a name that matches twice, or nothing: the collection as it is, for newman to judge', () => {
    expect(keepOnlyFolders(collection, 'Orders')).toBe(collection);
    expect(keepOnlyFolders(collection, ['Health', 'Nowhere'])).toBe(collection);
    expect(keepOnlyFolders(collection, undefined)).toBe(collection);
  });
});

describe('newman runs the copy as it runs the whole collection', () => {
  let server: http.Server;
  let base: string;
  const seen: string[] = [];
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      seen.push(`${req.url} ${req.headers.authorization}`);
      res.end('{}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('the same requests, headers and tests, folder by folder (plain newman.run on each)', async () => {
    const run = (input: object, folder: string) => new Promise<{ sent: string[]; tests: string[][] }>((resolve, reject) => {
      seen.length = 0;
      newman.run({ collection: input as never, folder, envVar: [{ key: 'base', value: base }], reporters: [] }, (error, summary) => {
        if (error) return reject(error);
        const tests = summary.run.executions.map((e) => [e.item.name, ...(e.assertions ?? []).map((a) => `${a.assertion}:${!a.error}`)]);
        resolve({ sent: [...seen], tests });
      });
    });
    for (const folder of ['Through gateway', 'Direct to backend']) {
      const whole = await run(collection, folder);
      expect(await run(keepOnlyFolders(collection, folder), folder)).toEqual(whole);
      expect(whole.sent.length).toBeGreaterThan(0);
    }
    const gateway = await run(collection, 'Through gateway');
    expect(gateway.tests[0]).toEqual(['List orders', 'collection script sees collection:true', 'gateway folder script:true']);
    expect(gateway.sent[0]).toMatch(/^\/orders Bearer T$/);
  });
});
