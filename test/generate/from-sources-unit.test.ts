/**
 * generate --from-collection / --from-openapi without sockets: the pairing (folder tree, base,
 * ids, tests, scripts kept), determinism, and bad input — exit 2 naming the file and the place,
 * nothing written.
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { pairCollection } from '../../src/generate/pair-collection.js';
import { describeRequests } from '../../src/postman/describe-request.js';
import { NO_502_TEST } from '../../src/model.js';

const FIXTURES = fileURLToPath(new URL('../../../shared/fixtures/', import.meta.url));
const HAS_FIXTURES = existsSync(join(FIXTURES, 'README.md'));
const withFixtures = HAS_FIXTURES ? describe : describe.skip;

let root: string;
let counter = 0;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'debug502-from-unit-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function generate(...argv: string[]) {
  const out = join(root, `out-${++counter}`);
  const io = captureIo({ cwd: root });
  const code = await main(['generate', ...argv, '--out', out], io);
  return { code, out, stdout: io.out.join(''), stderr: io.err.join(''), written: existsSync(out) ? await readdir(out, { recursive: true }) : [] };
}
const URLS = ['--gateway-url', 'http://127.0.0.1:8080', '--backend-url', 'http://127.0.0.1:3000'];

describe('pairCollection', () => {
  const source = {
    info: { name: 'Shop' },
    auth: { type: 'bearer', bearer: [{ key: 'token', value: '{{token}}' }] },
    variable: [{ key: 'baseUrl', value: 'https://shop.example/api' }],
    item: [
      { name: 'Orders', auth: { type: 'inherit' }, item: [
        { name: 'Get order', request: { method: 'GET', url: { raw: '{{baseUrl}}/orders/:id', host: ['{{baseUrl}}'], path: ['orders', ':id'], variable: [{ key: 'id', value: '' }] } },
          event: [{ listen: 'test', script: { exec: ['pm.test("own", function () {});'] } }, { listen: 'prerequest', script: { exec: ['pm.request.headers.add({ key: "X-Sig", value: "1" });'] } }] },
      ] },
      { name: 'Other host', request: { method: 'GET', url: 'https://elsewhere.example/x' } },
    ],
  };
  const paired = pairCollection(source, { source: 'shop.json', maxResponseTimeMs: 5000 });

  it('every request twice, folder tree kept inside each route, base replaced, others left out and named', () => {
    const json = paired.collection as any;
    expect(json.item.map((f: any) => f.name)).toEqual(['Through gateway', 'Direct to backend']);
    expect(json.item[0].item[0].name).toBe('Orders');
    expect(json.item[0].item[0].item[0].request.url.raw).toBe('{{gateway_url}}/orders/:id');
    expect(json.item[1].item[0].item[0].request.url.raw).toBe('{{backend_url}}/orders/:id');
    expect(json.item[0].item[0].auth).toBeUndefined(); // "inherit" dropped: it inherits, as in Postman
    expect(json.auth.type).toBe('bearer');
    expect(paired.leftOut).toEqual(['Other host: https://elsewhere.example/x']);
    expect(paired.filledPathVariables).toEqual(['id']);
    expect(json.variable.map((v: any) => v.key)).toEqual(['baseUrl', 'id', 'max_response_time_ms']);
  });

  it('the guide\'s tests come first in the test script, its own after; pre-request scripts kept; ids unique and stable', () => {
    const item = (paired.collection as any).item[0].item[0].item[0];
    const test = item.event.find((e: any) => e.listen === 'test').script.exec.join('\n');
    expect(test.indexOf(NO_502_TEST)).toBeLessThan(test.indexOf('pm.test("own"'));
    expect(item.event.find((e: any) => e.listen === 'prerequest').script.exec).toEqual(['pm.request.headers.add({ key: "X-Sig", value: "1" });']);
    const ids: string[] = [];
    JSON.stringify(paired.collection, (key, value) => {
      if (key === 'id' && typeof value === 'string') ids.push(value);
      return value;
    });
    expect(new Set(ids).size).toBe(ids.length);
    expect(JSON.stringify(pairCollection(source, { source: 'shop.json', maxResponseTimeMs: 5000 }).collection)).toBe(JSON.stringify(paired.collection));
  });

  it('the fast engine sees the user scripts as scripts, and the guide\'s alone as none', () => {
    const described = describeRequests({ collection: paired.collection, envVars: { gateway_url: 'http://g', backend_url: 'http://b' } }).requests;
    expect(described[0].scripts.map((s) => s.listen)).toEqual(['prerequest', 'test']);
    const plain = pairCollection({ info: { name: 'p' }, item: [{ name: 'a', request: { url: 'http://h/a' } }] }, { source: 'p', maxResponseTimeMs: 5000 });
    expect(describeRequests({ collection: plain.collection }).requests[0].scripts).toEqual([]);
  });

  it('--base-var picks another base; one not used is an InputError listing those that are', () => {
    expect(pairCollection(source, { source: 's', baseVar: 'https://elsewhere.example', maxResponseTimeMs: 5000 }).leftOut).toEqual(['Orders / Get order: {{baseUrl}}/orders/:id']);
    expect(() => pairCollection(source, { source: 's', baseVar: 'nope', maxResponseTimeMs: 5000 })).toThrow(/--base-var nope/);
  });
});

withFixtures('generate --from-* on the fixtures', () => {
  it('is deterministic: the same input gives the same bytes (OpenAPI included: faked values are seeded)', async () => {
    for (const [flag, file] of [['--from-collection', 'real-world/collections/adyen-capital.postman_collection.json'], ['--from-openapi', 'openapi/petstore-openapi-3.0.yaml']]) {
      const a = await generate(flag, join(FIXTURES, file), ...URLS);
      const b = await generate(flag, join(FIXTURES, file), ...URLS);
      expect(a.code, a.stderr).toBe(0);
      const read = (out: string) => a.written.filter((f) => String(f).endsWith('.json')).map((f) => readFileSync(join(out, String(f)), 'utf8'));
      expect(read(b.out)).toEqual(read(a.out));
    }
  });

  it('OpenAPI path parameters get values, never {id} or :id; secrets become secret environment variables', async () => {
    const { code, out, stderr } = await generate('--from-openapi', join(FIXTURES, 'real-world/openapi/realworld-openapi-3.1.yaml'), ...URLS, '--env-name', 'staging');
    expect(code, stderr).toBe(0);
    expect(stderr).toMatch(/\{\{baseUrl\}\} was https:\/\/api\.realworld\.show\/api: its path \/api/);
    const env = JSON.parse(readFileSync(join(out, 'environments', 'staging.postman_environment.json'), 'utf8'));
    expect(env.values).toContainEqual({ key: 'apiKey', value: '', type: 'secret', enabled: true });
    const collection = JSON.parse(readFileSync(join(out, 'collections', (await readdir(join(out, 'collections')))[0]), 'utf8'));
    for (const request of describeRequests({ collection, environment: env }).requests) {
      expect(request.url).not.toMatch(/\{[a-z]|\/:/i);
    }
  });
});

describe('generate --from-collection DIR: a Postman v12 (v3) collection directory', () => {
  const SHOP = fileURLToPath(new URL('../fixtures/v3/Shop API', import.meta.url));

  it('reads the YAML tree, keeps its folders under both routes, path values and its own tests', async () => {
    const result = await generate('--from-collection', SHOP, ...URLS);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr + result.stdout).toContain("a Postman collection v3 (Postman v12's YAML files)");
    const file = result.written.find((name) => String(name).endsWith('.postman_collection.json'));
    expect(file).toBeDefined();
    const json = JSON.parse(readFileSync(join(result.out, String(file)), 'utf8'));
    expect(json.item.map((f: any) => f.name)).toEqual(['Through gateway', 'Direct to backend']);
    const described = describeRequests({ collection: json, envVars: { gateway_url: 'http://127.0.0.1:8080', backend_url: 'http://127.0.0.1:3000' } }).requests;
    const item = described.find((d) => d.path === 'Through gateway / Catalog / Items / Get item');
    expect(item?.url).toBe('http://127.0.0.1:8080/api/products/42/items/abc');
    expect(described.find((d) => d.path === 'Direct to backend / Catalog / Items / Get item')?.url).toBe('http://127.0.0.1:3000/api/products/42/items/abc');
    const getItem = json.item[0].item.find((f: any) => f.name === 'Catalog').item.find((f: any) => f.name === 'Items').item[0];
    const tests = getItem.event.filter((e: any) => e.listen === 'test').flatMap((e: any) => e.script.exec).join('\n');
    expect(tests).toContain('Item found');
    expect(tests).toContain(NO_502_TEST);
  });

  it('a directory that is not a v3 collection is bad input, nothing written', async () => {
    const result = await generate('--from-collection', join(SHOP, 'Catalog'), ...URLS);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/Catalog/);
    expect(result.written).toEqual([]);
  });
});

describe('bad input: exit 2, the file and the place, nothing written', () => {
  const cases: [string, string, string, RegExp][] = [
    ['not JSON', 'bad.json', '{"info": {"name": "x"},\n  "item": [,]}', /bad\.json: not valid JSON at line 2, column 12/],
    ['not a collection', 'env.json', '{"values": [{"key": "a", "value": "1"}]}', /env\.json: this is a Postman environment, not a collection/],
    ['no item', 'half.json', '{"info": {"name": "x"}}', /\/item: missing/],
  ];
  it.each(cases)('--from-collection: %s', async (_label, name, text, message) => {
    await writeFile(join(root, name), text);
    const result = await generate('--from-collection', name, ...URLS);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.written).toEqual([]);
  });

  const specs: [string, string, string, RegExp][] = [
    ['YAML that does not parse', 'bad.yaml', 'openapi: 3.0.0\ninfo:\n  title: x\n paths: {}\n', /bad\.yaml: not valid YAML at line \d+/],
    ['no openapi field', 'plain.yaml', 'info:\n  title: x\npaths: {}\n', /\/openapi: missing/],
    ['a version not supported', 'v4.yaml', 'openapi: 4.0.0\ninfo: { title: x, version: "1" }\npaths: { /a: { get: { responses: { "200": { description: ok } } } } }\n', /OpenAPI 4\.0\.0 is not supported/],
    ['no paths', 'empty.yaml', 'openapi: 3.0.0\ninfo: { title: x, version: "1" }\npaths: {}\n', /\/paths: missing or empty/],
  ];
  it.each(specs)('--from-openapi: %s', async (_label, name, text, message) => {
    await writeFile(join(root, name), text);
    const result = await generate('--from-openapi', name, ...URLS);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.written).toEqual([]);
  });

  it('flags: both sources, no URLs, a URL that is not http(s)', async () => {
    await writeFile(join(root, 'c.json'), JSON.stringify({ info: { name: 'c' }, item: [{ name: 'a', request: { url: 'http://h/a' } }] }));
    expect((await generate('--from-collection', 'c.json', '--from-openapi', 'x.yaml', ...URLS)).code).toBe(2);
    const noUrls = await generate('--from-collection', 'c.json');
    expect(noUrls.code).toBe(2);
    expect(noUrls.stderr).toMatch(/--gateway-url/);
    const badUrl = await generate('--from-collection', 'c.json', '--gateway-url', 'ftp://x', '--backend-url', 'http://127.0.0.1:1');
    expect(badUrl.code).toBe(2);
    expect(badUrl.written).toEqual([]);
  });
});
