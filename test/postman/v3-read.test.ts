/**
 * v3 in: readV3Collection (and loadCollection of a directory) on a hand-written v3 collection the
 * generator never wrote; `generate --from-collection DIR` pairs it, and real newman sends the pair
 * through real nginx and direct to recording backends; and every kind of bad v3 input, which must
 * exit 2 naming the file and the field.
 */
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { captureIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { InputError } from '../../src/errors.js';
import { findNginx, startNginx } from '../../src/lab/index.js';
import { loadCollection, loadEnvironment } from '../../src/postman/load.js';
import { readV3Collection } from '../../src/postman/v3/read-v3-collection.js';
import { writeV3Collection, writeV3Environment, type V2CollectionJson } from '../../src/postman/v3/index.js';
import { buildCollection, buildEnvironment } from '../../src/generate/index.js';
import { summarizeRequests } from './summarize-requests.js';
import { makeConfig, runWithNewman, startTinyServer, type RecordedRequest } from '../generate/helpers.js';

export const SHOP_FIXTURE = fileURLToPath(new URL('../fixtures/v3/Shop API/', import.meta.url));
const NGINX = findNginx();
if (!NGINX) console.warn('skipping the v3 fixture through nginx: nginx is not installed (apt-get install nginx-light)');

let root: string;
let counter = 0;
beforeAll(async () => void (root = await mkdtemp(join(tmpdir(), 'debug502-v3-read-'))));
afterAll(() => rm(root, { recursive: true, force: true }));
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of cleanups.splice(0).reverse()) await close();
});

type Item = { name: string; item?: Item[]; request?: Record<string, unknown>; event?: { listen: string; script: { exec: string[] } }[]; auth?: unknown };
const names = (items: Item[]): unknown[] => items.map((i) => (i.item ? { [i.name]: names(i.item) } : i.name));

describe('readV3Collection on a hand-written collection', () => {
  it('keeps the folder tree in order, names, auth at every level, scripts and variables', async () => {
    const collection = await readV3Collection(SHOP_FIXTURE, 'Shop API');
    expect(collection.info).toMatchObject({ name: 'Shop API', _postman_id: '5b1f0c2e-7d4a-4c33-9a51-2f8e6d0b9c10', schema: expect.stringContaining('v2.1.0') });
    expect(names(collection.item as Item[])).toEqual([
      'Health',
      { Catalog: ['List products', { Items: ['Get item'] }] },
      { Admin: ['Login', { Users: ['PUT /users/:id'] }] },
    ]);
    expect(collection.variable).toEqual([{ key: 'shop_token', value: 's3cr3t-token' }, { key: 'api_version', value: 'v2' }]);
    expect(collection.auth).toEqual({ type: 'bearer', bearer: [{ key: 'token', value: '{{shop_token}}', type: 'string' }] });
    expect(collection.event).toEqual([{ listen: 'test', script: { type: 'text/javascript', exec: expect.arrayContaining(['pm.test("Answered", function () {']) } }]);
    const admin = (collection.item as Item[])[2];
    expect(admin.auth).toEqual({ type: 'basic', basic: [{ key: 'username', value: 'admin', type: 'string' }, { key: 'password', value: 'hunter2', type: 'string' }] });
    expect(admin.event?.[0].listen).toBe('prerequest');
    const login = admin.item![0];
    expect(login.event?.map((e) => e.listen)).toEqual(['prerequest', 'test']);
    expect(login.request).toMatchObject({ method: 'POST', description: 'Signs in with a form post.', body: { mode: 'urlencoded', urlencoded: [
      { key: 'user', value: 'ada' }, { key: 'password', value: 'p@ss w0rd&more' }, { key: 'remember', value: 'yes', disabled: true },
    ] } });
    const getItem = (collection.item as Item[])[1].item![1].item![0];
    expect(getItem.request?.url).toMatchObject({ raw: '{{base_url}}/api/products/:productId/items/:itemId', variable: [{ key: 'productId', value: '42' }, { key: 'itemId', value: 'abc' }] });
    expect((collection.item as Item[])[0].request?.auth).toEqual({ type: 'noauth' });
  });

  it('gives every item a stable id: two reads are equal', async () => {
    expect(await readV3Collection(SHOP_FIXTURE)).toEqual(await readV3Collection(SHOP_FIXTURE));
  });

  it('loadCollection reads a directory as v3, naming it as given', async () => {
    const collection = await loadCollection('Shop API', join(SHOP_FIXTURE, '..'));
    expect(collection.info.name).toBe('Shop API');
  });
});

/** The recorded request for `path` (without query), exactly one. */
function recorded(requests: RecordedRequest[], method: string, path: string): RecordedRequest {
  const found = requests.filter((r) => r.method === method && r.url.split('?')[0] === path);
  expect(found, `${method} ${path}`).toHaveLength(1);
  return found[0];
}

describe.skipIf(!NGINX)('generate --from-collection DIR, then newman sends it through real nginx and direct, all of it intact', () => {
  it('every request both ways, with auth, path variables, query, urlencoded body and script headers; every test passes', async () => {
    // Two recording backends, so what came through the gateway and what came direct are told apart.
    const behindGateway = await startTinyServer(200);
    cleanups.push(() => behindGateway.close());
    const direct = await startTinyServer(200);
    cleanups.push(() => direct.close());
    const gateway = await startNginx({ upstream: `127.0.0.1:${behindGateway.port}` });
    cleanups.push(() => gateway.close());
    const out = join(root, `generated-${++counter}`);
    const io = captureIo({ cwd: root });
    const code = await main(['generate', '--from-collection', SHOP_FIXTURE, '--gateway-url', gateway.url, '--backend-url', direct.url, '--out', out], io);
    expect(code, io.err.join('')).toBe(0);
    const collection = JSON.parse(await readFile(join(out, 'collections', 'shop-api-502-debugging.postman_collection.json'), 'utf8'));
    const environment = JSON.parse(await readFile(join(out, 'environments', 'local.postman_environment.json'), 'utf8'));
    const result = await runWithNewman(collection, environment);
    expect(result.scriptErrors).toEqual([]);
    expect(result.requests).toBe(10);
    const bearer = 'Bearer s3cr3t-token';
    const basic = `Basic ${Buffer.from('admin:hunter2').toString('base64')}`;
    for (const requests of [behindGateway.requests, direct.requests]) {
      expect(requests).toHaveLength(5);
      expect(recorded(requests, 'GET', '/health').headers.authorization).toBeUndefined();
      const products = recorded(requests, 'GET', '/api/v2/products');
      expect(products.url).toBe('/api/v2/products?page=2');
      expect(products.headers).toMatchObject({ authorization: bearer, accept: 'application/json' });
      expect(products.headers['x-debug']).toBeUndefined();
      expect(recorded(requests, 'GET', '/api/products/42/items/abc').headers.authorization).toBe(bearer);

      const login = recorded(requests, 'POST', '/login');
      expect(login.headers).toMatchObject({ authorization: basic, 'x-request-id': 'req-5', 'x-admin-trace': 'admin-folder' });
      expect(login.headers['content-type']).toContain('application/x-www-form-urlencoded');
      expect(Object.fromEntries(new URLSearchParams(login.body))).toEqual({ user: 'ada', password: 'p@ss w0rd&more' });

      const update = recorded(requests, 'PUT', '/users/7');
      expect(update.headers).toMatchObject({ authorization: basic, 'x-admin-trace': 'admin-folder', 'content-type': 'application/json' });
      expect(JSON.parse(update.body)).toEqual({ name: 'Ada Lovelace' });
    }
    // Its own tests, twice (one per route), beside the guide's two on every request.
    const own = result.assertions.filter((a) => !/^(No 502 errors|Response under)/.test(a.name)).map((a) => `${a.item}: ${a.name}`).sort();
    expect(own).toEqual([
      'Get item: Answered', 'Get item: Answered', 'Get item: Item found', 'Get item: Item found', 'Health: Answered', 'Health: Answered',
      'List products: Answered', 'List products: Answered', 'Login: Answered', 'Login: Answered', 'Login: Logged in', 'Login: Logged in',
      'PUT /users/:id: Answered', 'PUT /users/:id: Answered',
    ]);
    expect(result.assertions.filter((a) => a.name === 'No 502 errors')).toHaveLength(10);
    expect(result.assertions.every((a) => a.passed)).toBe(true);
  }, 60_000);
});

describe('bad v3 input: exit 2, naming the file and the field', () => {
  /** A copy of the fixture with `edits` (path → content, or null to delete) in a fresh directory. */
  async function brokenCopy(edits: Record<string, string | null>): Promise<string> {
    const dir = join(root, `case-${++counter}`, 'Shop API');
    await cp(SHOP_FIXTURE, dir, { recursive: true });
    for (const [path, content] of Object.entries(edits)) {
      if (content === null) await rm(join(dir, path), { force: true });
      else {
        await mkdir(join(dir, path, '..'), { recursive: true });
        await writeFile(join(dir, path), content);
      }
    }
    return dir;
  }
  async function problemsOf(path: string): Promise<string> {
    const error = await readV3Collection(path, 'Shop API').then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    return [(error as InputError).message, ...(error as InputError).problems, (error as InputError).hint].join('\n');
  }

  it('broken YAML: the file, line and column', async () => {
    const text = await problemsOf(await brokenCopy({ 'Catalog/List products.request.yaml': '$kind: http-request\nurl: "{{base_url}}/x\nmethod: GET\n' }));
    expect(text).toMatch(/Shop API\/Catalog\/List products\.request\.yaml: not valid YAML at line \d+, column \d+/);
  });

  it('an unknown $kind, a missing url, a wrong body type, script type and auth type — all at once', async () => {
    const text = await problemsOf(await brokenCopy({
      'Health.request.yaml': '$kind: http-reqest\nurl: /x\n',
      'Catalog/List products.request.yaml': '$kind: http-request\nmethod: GET\nbody:\n  type: yaml\n  content: a\n',
      'Admin/Login.request.yaml': '$kind: http-request\nurl: /l\nscripts:\n  - type: afterResponce\n    code: x\nauth:\n  type: kerberos\n',
      'Catalog/.resources/definition.yaml': '$kind: folder\n',
    }));
    expect(text).toContain('(6 problems)');
    expect(text).toContain('Shop API/Health.request.yaml: $kind: must be "http-request" (or "graphql-request") in a request file (found "http-reqest")');
    expect(text).toContain('Shop API/Catalog/List products.request.yaml: url: missing');
    expect(text).toContain('Shop API/Catalog/List products.request.yaml: body.type: "yaml" is not a body type');
    expect(text).toContain('Shop API/Admin/Login.request.yaml: scripts[0].type: must be beforeRequest or afterResponse (found "afterResponce")');
    expect(text).toContain('Shop API/Admin/Login.request.yaml: auth.type: "kerberos" is not an auth type');
    expect(text).toContain('Shop API/Catalog/.resources/definition.yaml: $kind: must be "collection"');
  });

  it('a gRPC request: not HTTP, said so', async () => {
    const text = await problemsOf(await brokenCopy({ 'Health.request.yaml': '$kind: grpc-request\nurl: grpc://x\n' }));
    expect(text).toContain('$kind: "grpc-request" requests are not HTTP');
  });

  it('a request file inside .resources/, where Postman would not run it', async () => {
    const text = await problemsOf(await brokenCopy({ 'Catalog/.resources/Stray.request.yaml': '$kind: http-request\nurl: /s\n' }));
    expect(text).toContain('Shop API/Catalog/.resources/Stray.request.yaml: a request file inside .resources/');
  });

  it('a request file, a folder inside a collection, a directory of collections, an empty directory', async () => {
    const copy = await brokenCopy({});
    expect(await problemsOf(join(copy, 'Health.request.yaml'))).toMatch(/a v3 request file, not a collection directory[\s\S]*pass the collection it belongs to: .*Shop API/);
    expect(await problemsOf(join(copy, 'Catalog'))).toMatch(/a folder inside the v3 collection .*Shop API, not a collection's root/);
    const repo = join(root, `case-${++counter}`);
    await cp(SHOP_FIXTURE, join(repo, 'postman', 'collections', 'Shop API'), { recursive: true });
    expect(await problemsOf(repo)).toMatch(/holds 1 v3 collection, is not one[\s\S]*pass: .*postman\/collections\/Shop API/);
    const empty = join(root, `case-${++counter}`);
    await mkdir(empty);
    expect(await problemsOf(empty)).toContain('is a directory but not a v3 collection (no .resources/definition.yaml, no *.request.yaml)');
  });

  it('the CLI: debug502 run --collection DIR exits 2 with the problems, before sending anything', async () => {
    const dir = await brokenCopy({ 'Health.request.yaml': '$kind: http-request\nurl: [\n' });
    const io = captureIo({ cwd: join(dir, '..') });
    const code = await main(['run', '--collection', 'Shop API', '--env-var', 'base_url=http://127.0.0.1:9'], io);
    expect(code).toBe(2);
    expect(io.err.join('')).toMatch(/Shop API\/Health\.request\.yaml: not valid YAML at line 3, column 1: Flow sequence in block collection must be sufficiently indented and end with a \]\n/);
  });
});

describe('v3 written by debug502 reads back as the same requests', () => {
  const FIXTURES = fileURLToPath(new URL('../../../shared/fixtures/', import.meta.url));
  const sources: [string, () => Promise<object>][] = [
    ['the generated collection', async () => buildCollection(makeConfig())],
    ['conduit (nested folders, 30 test scripts)', async () => JSON.parse(await readFile(join(FIXTURES, 'real-world/collections/conduit.postman_collection.json'), 'utf8'))],
    ['adyen-capital (collection apikey auth, path variables)', async () => JSON.parse(await readFile(join(FIXTURES, 'real-world/collections/adyen-capital.postman_collection.json'), 'utf8'))],
  ];
  // conduit and adyen live in ../shared (CI has it); on a clone without it they skip and say so.
  const fixturesMissing = !existsSync(FIXTURES);
  if (fixturesMissing) console.warn(`skip: the real-world fixtures are not beside the repository (looked for ${FIXTURES}): the conduit and adyen read-backs skip`);
  for (const [what, load] of sources) {
    it.skipIf(fixturesMissing && what !== sources[0][0])(what, async () => {
      const original = await load();
      const dir = join(root, `case-${++counter}`, 'collection');
      for (const file of writeV3Collection(original as V2CollectionJson)) {
        await mkdir(join(dir, file.path, '..'), { recursive: true });
        await writeFile(join(dir, file.path), file.text);
      }
      const back = summarizeRequests(await readV3Collection(dir));
      expect(back).toEqual(summarizeRequests(original));
      expect(back.requests.length).toBeGreaterThan(4);
    });
  }
});

describe('YAML environments (postman/environments/*.environment.yaml)', () => {
  it('loadEnvironment reads what generate writes: the same values as the JSON file', async () => {
    const json = buildEnvironment('lab', { gateway_url: 'http://127.0.0.1:8080', backend_url: 'http://127.0.0.1:3000', secrets: ['token'] });
    const dir = join(root, `case-${++counter}`);
    await mkdir(dir);
    await writeFile(join(dir, 'lab.environment.yaml'), writeV3Environment(json as never));
    expect(await loadEnvironment('lab.environment.yaml', dir)).toEqual({ id: json.id, name: 'lab', values: json.values });
  });

  it('broken YAML: exit-2 error with the file, line and column', async () => {
    const dir = join(root, `case-${++counter}`);
    await mkdir(dir);
    await writeFile(join(dir, 'bad.environment.yaml'), 'name: bad\nvalues:\n  - key: a\n    value: [\n');
    const error = await loadEnvironment('bad.environment.yaml', dir).then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).message).toMatch(/^bad\.environment\.yaml: not valid YAML at line \d+, column \d+: /);
  });
});
