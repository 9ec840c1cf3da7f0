/**
 * The fast engine sends the bytes newman sends (#27 item 7): for every method a collection may
 * hold, the request a raw loopback server receives from newman and from the fast engine is the
 * same — request line, headers (as a set; User-Agent and Postman-Token are each client's own,
 * form-data boundaries are random in newman) and body — with postman-runtime's body pruning (no
 * body, nor its Content-Type, on GET, HEAD, COPY, PURGE, UNLOCK) and its
 * `protocolProfileBehavior.disableBodyPruning`, set on the request, a folder or the collection,
 * the nearest winning.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { runFast } from '../../src/engines/fast.js';
import { runNewman } from '../../src/engines/newman.js';
import type { RunEngine } from '../../src/engines/engine.js';
import { startRecordingServer, type RecordingServer } from './wire-servers.js';

const SCHEMA = 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json';
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'COPY', 'LINK', 'UNLINK', 'PURGE', 'LOCK', 'UNLOCK', 'PROPFIND', 'VIEW'];
const PRUNED = new Set(['GET', 'HEAD', 'COPY', 'PURGE', 'UNLOCK']);
const RAW = { mode: 'raw', raw: '{"a":1}', options: { raw: { language: 'json' } } };

let server: RecordingServer;
beforeAll(async () => {
  server = await startRecordingServer();
});
afterAll(() => server.close());
beforeEach(() => server.reset());

/** What the server received for one run, comparable across clients: per request, its line, its headers sorted, its body. */
async function receivedFrom(run: RunEngine, collection: object): Promise<string[]> {
  server.reset();
  await run({ collection });
  const text = server.received().join('');
  return text.split(/(?=^[A-Z]+ \/\S* HTTP\/1\.1\r\n)/m).filter((r) => r !== '').map((request) => {
    const end = request.indexOf('\r\n\r\n');
    const [line, ...headers] = request.slice(0, end).split('\r\n');
    const kept = headers.map((h) => h.replace(/^[^:]+/, (name) => name.toLowerCase())).filter((h) => !/^(user-agent|postman-token):/.test(h));
    return [line, ...kept.sort(), '', request.slice(end + 4)].join('\n').replace(/-{26}[0-9a-f]{24}/g, 'BOUNDARY');
  });
}

/** One request of `method` with `body`, its item, folder and collection given `behavior`s (protocolProfileBehavior). */
function collectionOf(method: string, body: object, behavior: { item?: object; folder?: object; collection?: object } = {}) {
  const item = { name: method, request: { method, url: `${server.url}/x`, body }, ...(behavior.item ? { protocolProfileBehavior: behavior.item } : {}) };
  const folder = { name: 'F', item: [item], ...(behavior.folder ? { protocolProfileBehavior: behavior.folder } : {}) };
  return { info: { name: 'pruning', schema: SCHEMA }, item: [folder], ...(behavior.collection ? { protocolProfileBehavior: behavior.collection } : {}) };
}

describe('every method: the same bytes from newman and from the fast engine', () => {
  test.each(METHODS)('%s, with a JSON body, without and with disableBodyPruning', async (method) => {
    const pruned = await receivedFrom(runNewman, collectionOf(method, RAW));
    expect(await receivedFrom(runFast, collectionOf(method, RAW))).toEqual(pruned);
    expect(pruned).toHaveLength(1);
    expect(pruned[0].endsWith('\n\n{"a":1}')).toBe(!PRUNED.has(method));
    if (PRUNED.has(method)) expect(pruned[0]).not.toMatch(/content-type/);

    const kept = await receivedFrom(runNewman, collectionOf(method, RAW, { item: { disableBodyPruning: true } }));
    expect(await receivedFrom(runFast, collectionOf(method, RAW, { item: { disableBodyPruning: true } }))).toEqual(kept);
    expect(kept[0]).toMatch(/\ncontent-length: 7\n[\s\S]*\n\n\{"a":1\}$/);
  });

  test.each(METHODS)('%s without a body (Content-Length: 0 where Node sends it)', async (method) => {
    const collection = { info: { name: 'empty', schema: SCHEMA }, item: [{ name: method, request: { method, url: `${server.url}/x` } }] };
    const byNewman = await receivedFrom(runNewman, collection);
    expect(await receivedFrom(runFast, collection)).toEqual(byNewman);
  });
});

describe('disableBodyPruning is read where postman-runtime reads it', () => {
  const cases: { name: string; behavior: { item?: object; folder?: object; collection?: object }; sent: boolean }[] = [
    { name: 'on the collection', behavior: { collection: { disableBodyPruning: true } }, sent: true },
    { name: 'on the folder', behavior: { folder: { disableBodyPruning: true } }, sent: true },
    { name: 'on the folder, the request saying false', behavior: { folder: { disableBodyPruning: true }, item: { disableBodyPruning: false } }, sent: false },
    { name: 'on the collection, the folder saying false', behavior: { collection: { disableBodyPruning: true }, folder: { disableBodyPruning: false } }, sent: false },
    { name: 'another behaviour on the request, pruning off on the collection', behavior: { collection: { disableBodyPruning: true }, item: { followRedirects: true } }, sent: true },
  ];
  test.each(cases)('$name', async ({ behavior, sent }) => {
    for (const [method, body] of [['GET', RAW], ['COPY', { mode: 'urlencoded', urlencoded: [{ key: 'q', value: 'a b' }] }], ['PURGE', { mode: 'formdata', formdata: [{ key: 'q', value: 'v' }] }]] as const) {
      const byNewman = await receivedFrom(runNewman, collectionOf(method, body, behavior));
      expect(await receivedFrom(runFast, collectionOf(method, body, behavior))).toEqual(byNewman);
      expect([method, /\ncontent-type: /.test(byNewman[0])]).toEqual([method, sent]);
    }
  });
});
