/**
 * Item 10 of issue 29: a v2.1 URL given as an object with only `raw` (or raw plus some parts, no
 * host) is sent where `raw` says — by diagnose, watch and run alike — against a loopback gateway
 * that answers 502 to everything and counts what it receives; and a diagnose that could probe no
 * HTTP request never says every probe passed.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { captureIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { readRawOnlyUrls } from '../../src/postman/raw-urls.js';
import { startTinyServer, type TinyServer } from '../generate/helpers.js';

const SCHEMA = 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json';
let gateway: TinyServer;
let dir: string;

/** Both route folders, each with the given request items (`{{base}}` stands for the route's URL variable). */
function collectionOf(items: (base: string) => object[]): object {
  return {
    info: { name: 'raw urls', schema: SCHEMA },
    item: [
      { name: 'Through gateway', item: items('{{gateway_url}}') },
      { name: 'Direct to backend', item: items('{{backend_url}}') },
    ],
  };
}

const RAW_ITEMS = (base: string) => [
  { name: 'List users', request: { method: 'GET', url: { raw: `${base}/api/users?page=1` } } },
  // raw plus parts, but no host: the parts alone would send "api/orders".
  { name: 'List orders', request: { method: 'GET', url: { raw: `${base}/api/orders?sort=new`, path: ['api', 'orders'], query: [{ key: 'sort', value: 'new' }] } } },
];

async function cli(argv: string[]) {
  const io = captureIo({ cwd: dir });
  const code = await main(argv, io);
  return { code, text: io.text() };
}

beforeAll(async () => {
  gateway = await startTinyServer(502);
  dir = await mkdtemp(join(tmpdir(), 'debug502-raw-urls-'));
  await writeFile(join(dir, 'env.json'), JSON.stringify({ values: [{ key: 'gateway_url', value: gateway.url }, { key: 'backend_url', value: gateway.url }] }));
  await writeFile(join(dir, 'raw.json'), JSON.stringify(collectionOf(RAW_ITEMS)));
  await writeFile(join(dir, 'posts.json'), JSON.stringify(collectionOf((base) => [{ name: 'Create', request: { method: 'POST', url: `${base}/api/users` } }])));
  await writeFile(join(dir, 'elsewhere.json'), JSON.stringify({ info: { name: 'x', schema: SCHEMA }, item: [{ name: 'token', request: { method: 'GET', url: { raw: 'http://127.0.0.1:9/token' } } }] }));
});
afterAll(async () => {
  await gateway.close();
  await rm(dir, { recursive: true, force: true });
});

describe('readRawOnlyUrls', () => {
  test('parses raw when there is no host, keeps the path-variable values, leaves a URL with a host alone', () => {
    const withHost = { raw: '{{gateway_url}}/ignored', host: ['{{gateway_url}}'], path: ['parts', 'win'] };
    const collection = { item: [
      { name: 'a', request: { url: { raw: '{{gateway_url}}/pets/:id?x=1', variable: [{ key: 'id', value: '7' }] } } },
      { name: 'b', request: { url: withHost } },
      { name: 'c', request: { url: '{{gateway_url}}/string' } },
    ] };
    expect(readRawOnlyUrls(collection)).toBe(1);
    expect(collection.item[0].request.url).toMatchObject({ host: ['{{gateway_url}}'], path: ['pets', ':id'], query: [{ key: 'x', value: '1' }], variable: [{ key: 'id', value: '7' }] });
    expect(collection.item[1].request.url).toBe(withHost);
    expect(collection.item[2].request.url).toBe('{{gateway_url}}/string');
  });
});

describe('diagnose', () => {
  test('raw-only and raw-plus-parts URLs are probed where raw says; the 502s are found (exit 1)', async () => {
    gateway.requests.length = 0;
    const { code, text } = await cli(['diagnose', '--environment', 'env.json', '--collection', 'raw.json', '--no-keepalive-probe', '-r', 'cli,json', '--report-dir', 'diag']);
    expect(code).toBe(1);
    expect(text).not.toContain('every probe that ran passed');
    // Each request once through the gateway and once direct.
    expect(gateway.requests.map((r) => r.url).sort()).toEqual(['/api/orders?sort=new', '/api/orders?sort=new', '/api/users?page=1', '/api/users?page=1']);
    const report = JSON.parse(await readFile(join(dir, 'diag', 'diagnose.json'), 'utf8'));
    expect(report.probes.filter((p: { kind: string; status?: number }) => p.kind === 'direct-vs-gateway' && p.status === 502)).toHaveLength(4);
    expect(report.findings.length).toBeGreaterThan(0);
    expect(report.inconclusive).toBeNull();
  });

  test('no HTTP request to probe (only POSTs, sent only with --unsafe-methods): inconclusive, exit 1, nothing sent', async () => {
    gateway.requests.length = 0;
    const { code, text } = await cli(['diagnose', '--environment', 'env.json', '--collection', 'posts.json', '--no-keepalive-probe', '-r', 'cli,json,junit', '--report-dir', 'diag-posts']);
    expect(code).toBe(1);
    expect(gateway.requests).toHaveLength(0);
    expect(text).toContain('Inconclusive: no HTTP request was probed');
    expect(text).not.toContain('No cause of 502 found');
    const report = JSON.parse(await readFile(join(dir, 'diag-posts', 'diagnose.json'), 'utf8'));
    expect(report.inconclusive).toMatch(/every request of the collection was skipped .*POST \/api\/users/);
    expect(await readFile(join(dir, 'diag-posts', 'diagnose.junit.xml'), 'utf8')).toContain('<failure type="inconclusive"');
  });

  test('a collection with no request at either route: inconclusive too', async () => {
    gateway.requests.length = 0;
    const { code, text } = await cli(['diagnose', '--environment', 'env.json', '--collection', 'elsewhere.json', '--no-keepalive-probe']);
    expect(code).toBe(1);
    expect(text).toContain('no request whose URL starts with {{gateway_url}} or {{backend_url}}');
    expect(gateway.requests).toHaveLength(0);
  });
});

describe('watch', () => {
  test('sends the collection\'s raw URLs, not GET /', async () => {
    gateway.requests.length = 0;
    const { code } = await cli(['watch', '--environment', 'env.json', '--collection', 'raw.json', '--rate', '20/s', '--duration', '1s', '--arrivals', 'uniform', '--max-requests', '8', '-r', 'cli', '--report-dir', 'w']);
    expect(code).toBe(1); // every request answered 502
    expect(gateway.requests.length).toBe(8);
    expect(new Set(gateway.requests.map((r) => r.url))).toEqual(new Set(['/api/users?page=1', '/api/orders?sort=new']));
  });

  test('a collection with no request at either route is refused before any request (exit 2), not watched as GET /', async () => {
    gateway.requests.length = 0;
    const { code, text } = await cli(['watch', '--environment', 'env.json', '--collection', 'elsewhere.json', '--rate', '20/s', '--duration', '1s', '-r', 'cli']);
    expect(code).toBe(2);
    expect(text).toContain('no request to watch');
    expect(gateway.requests).toHaveLength(0);
  });
});

test('run (newman) sends a raw-only URL too', async () => {
  gateway.requests.length = 0;
  const { code } = await cli(['run', 'raw.json', '--environment', 'env.json', '-r', 'json', '--report-dir', 'run']);
  expect(code).toBe(1);
  expect(gateway.requests.map((r) => r.url).sort()).toEqual(['/api/orders?sort=new', '/api/orders?sort=new', '/api/users?page=1', '/api/users?page=1']);
});
