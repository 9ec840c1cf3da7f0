import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postmanCollection, { type CollectionDefinition } from 'postman-collection';
import { afterAll, describe, expect, it } from 'vitest';
import { buildCollection, buildEnvironment, generate, serializeCollection, slugify, stableUuid } from '../../src/generate/index.js';
import { HEALTH_FOLDER, HEALTH_REQUEST_NAME, ROUTE_FOLDER, type ResolvedConfig } from '../../src/model.js';
import { FIXTURE_DIR, REPO_ROOT, SCHEMA_SKIP_REASON, expectValidCollection, loadCollectionValidator, makeConfig } from './helpers.js';

type Json = Record<string, any>;
const folderNames = (c: Json) => c.item.map((f: Json) => f.name);
const folder = (c: Json, name: string) => c.item.find((f: Json) => f.name === name);
const testScript = (item: Json) => item.event.find((e: Json) => e.listen === 'test').script.exec.join('\n');

/** Everything the config can express at once. */
const maximal: ResolvedConfig = makeConfig({
  name: 'Café API — 502 checks',
  assertions: { maxResponseTimeMs: 1500 },
  environments: {
    local: { gateway_url: 'http://127.0.0.1:8080', backend_url: 'http://127.0.0.1:3000', secrets: ['api_token', 'client_secret'] },
    staging: { gateway_url: 'https://gw.staging.invalid/prefix', backend_url: 'http://10.0.0.5.invalid:3000', secrets: [] },
  },
  health: { path: '/status/health', method: 'HEAD' },
  endpoints: [
    { name: 'Search', method: 'GET', path: '/api/search', query: { q: 'a b&c=d#e', token: '{{api_token}}' }, headers: { Authorization: 'Bearer {{api_token}}' } },
    { name: 'Raw text', method: 'PUT', path: '/api/notes/7', query: {}, headers: { 'Content-Type': 'text/plain' }, body: 'hello "world"' },
    { name: 'JSON list', method: 'PATCH', path: '/api/batch', query: {}, headers: { 'content-type': 'application/merge-patch+json' }, body: [{ op: 'x' }] },
    { name: 'Delete', method: 'DELETE', path: '/api/users/9/', query: {}, headers: {}, expectStatus: 204 },
    { name: 'Options', method: 'OPTIONS', path: '/', query: {}, headers: {} },
  ],
});
const minimal: ResolvedConfig = makeConfig({ health: undefined, endpoints: [{ name: 'Root', method: 'GET', path: '/', query: {}, headers: {} }] });

// Without ../shared (a fresh clone) these skip; helpers.ts prints why.
describe.skipIf(SCHEMA_SKIP_REASON !== undefined)('the official v2.1.0 schema', () => {
  // Compiled when a test runs, not while collecting: collecting happens even when skipped.
  let compiled: ReturnType<typeof loadCollectionValidator> | undefined;
  const validate = (json: unknown) => (compiled ??= loadCollectionValidator())(json);
  it('accepts the example collections of the shared fixtures and rejects a broken one (the validator is real)', () => {
    const fixtures = readdirSync(FIXTURE_DIR).filter((f) => f.endsWith('.postman_collection.json'));
    expect(fixtures.length).toBeGreaterThanOrEqual(2);
    for (const file of fixtures) expect(validate(JSON.parse(readFileSync(join(FIXTURE_DIR, file), 'utf8'))).valid, file).toBe(true);
    const broken = buildCollection(minimal) as Json;
    delete broken.info.schema;
    broken.item[0].item[0].request = 42;
    expect(validate(broken).valid).toBe(false);
  });

  it.each([
    ['the example config', makeConfig()],
    ['a maximal config', maximal],
    ['a minimal config (no health)', minimal],
  ])('validates what buildCollection makes from %s', (_label, config) => {
    const result = validate(buildCollection(config));
    expect(result.errors).toEqual([]);
    expect(result.valid).toBe(true);
  });
});

describe('buildCollection', () => {
  it('has the v2.1.0 schema URL, the name, the retunable variable and a description', () => {
    const c = buildCollection(makeConfig()) as Json;
    expect(Object.keys(c)[0]).toBe('info');
    expect(c.info.schema).toBe('https://schema.getpostman.com/json/collection/v2.1.0/collection.json');
    expect(c.info.name).toBe('502 Debugging');
    expect(c.variable).toEqual([{ type: 'string', value: '5000', key: 'max_response_time_ms' }]);
    const description = c.info.description.content as string;
    expect(c.info.description.type).toBe('text/markdown');
    for (const text of ['Through gateway', 'Direct to backend', 'max_response_time_ms', 'newman run collections/502-debugging.postman_collection.json -e environments/local.postman_environment.json', '`local`']) {
      expect(description).toContain(text);
    }
  });

  it('puts the health request first, then every endpoint through the gateway and again direct, under the same names', () => {
    const c = buildCollection(makeConfig()) as Json;
    expect(folderNames(c)).toEqual([HEALTH_FOLDER, ROUTE_FOLDER.gateway, ROUTE_FOLDER.backend]);
    const health = folder(c, HEALTH_FOLDER).item;
    expect(health.map((i: Json) => i.name)).toEqual([HEALTH_REQUEST_NAME]);
    expect(health[0].request.url.raw).toBe('{{backend_url}}/health');
    for (const [route, variable] of [['gateway', '{{gateway_url}}'], ['backend', '{{backend_url}}']] as const) {
      const items = folder(c, ROUTE_FOLDER[route]).item;
      expect(items.map((i: Json) => i.name)).toEqual(['List users', 'Create user']);
      expect(items.map((i: Json) => i.request.url.raw)).toEqual([`${variable}/api/users?page=1`, `${variable}/api/users`]);
      expect(items.every((i: Json) => i.request.url.host[0] === variable)).toBe(true);
    }
    expect(folderNames(buildCollection(minimal))).toEqual([ROUTE_FOLDER.gateway, ROUTE_FOLDER.backend]);
  });

  it('carries method, query, headers and body over; JSON bodies get a Content-Type unless one is set', () => {
    const c = buildCollection(maximal) as Json;
    expect(folder(c, HEALTH_FOLDER).item[0].request.method).toBe('HEAD');
    const [search, raw, list, del, options] = folder(c, ROUTE_FOLDER.backend).item.map((i: Json) => i.request);
    expect(search.method).toBe('GET');
    // Special characters are encoded so the raw URL reads back as the same parameters; variables stay.
    expect(search.url.query).toEqual([{ key: 'q', value: 'a%20b%26c%3Dd%23e' }, { key: 'token', value: '{{api_token}}' }]);
    expect(search.url.raw).toBe('{{backend_url}}/api/search?q=a%20b%26c%3Dd%23e&token={{api_token}}');
    expect(search.header).toEqual([{ key: 'Authorization', value: 'Bearer {{api_token}}' }]);
    expect(search.body).toBeUndefined();
    expect(raw.method).toBe('PUT');
    expect(raw.body).toEqual({ mode: 'raw', raw: 'hello "world"' });
    expect(raw.header).toEqual([{ key: 'Content-Type', value: 'text/plain' }]);
    expect(list.body.options).toEqual({ raw: { language: 'json' } });
    expect(JSON.parse(list.body.raw)).toEqual([{ op: 'x' }]);
    expect(list.header).toEqual([{ key: 'content-type', value: 'application/merge-patch+json' }]);
    expect(del.url.raw).toBe('{{backend_url}}/api/users/9/');
    expect(options.url.raw).toBe('{{backend_url}}/');
    const create = folder(buildCollection(makeConfig()), ROUTE_FOLDER.gateway).item[1].request;
    expect(create.header).toEqual([{ key: 'Content-Type', value: 'application/json' }]);
    expect(JSON.parse(create.body.raw)).toEqual({ name: 'Ada' });
  });

  it('gives every request the guide\'s two tests, and a status test only where expectStatus is set', () => {
    const c = buildCollection(maximal) as Json;
    const items = folder(c, ROUTE_FOLDER.gateway).item as Json[];
    for (const item of items) {
      const script = testScript(item);
      expect(script).toContain('pm.test("No 502 errors"');
      expect(script).toContain("pm.variables.get('max_response_time_ms')");
      expect(script).toContain('"Response under 1.5 seconds"');
    }
    expect(testScript(items[3])).toContain('pm.test("Status is 204"');
    expect(items.filter((i) => testScript(i).includes('Status is'))).toHaveLength(1);
  });

  it('is deterministic: same input, same JSON; ids are unique and derived from names; no timestamps', () => {
    const a = JSON.stringify(buildCollection(maximal));
    expect(JSON.stringify(buildCollection(structuredClone(maximal)))).toBe(a);
    const ids = [...a.matchAll(/"(?:id|_postman_id)":"([^"]+)"/g)].map((m) => m[1]);
    expect(ids.length).toBe(1 + 3 + 2 * (1 + 5 + 5)); // collection, folders, (health + 2 × 5 endpoints) × (item + script)
    expect(new Set(ids).size).toBe(ids.length);
    expect(a).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/);
    expect((buildCollection(maximal) as Json).info._postman_id).toBe(stableUuid('debug502 collection Café API — 502 checks'));
    expect((buildCollection({ ...maximal, name: 'Other' }) as Json).info._postman_id).not.toBe((buildCollection(maximal) as Json).info._postman_id);
  });

  it('writes exactly what the postman-collection SDK writes for the same definition (the SDK as oracle)', () => {
    // buildCollection writes plain JSON (no SDK object tree: a 10,000-endpoint config cost ~500 MB that way);
    // its key order and url.raw must stay what Collection#toJSON() and Url#toString() give.
    const tricky = makeConfig({
      endpoints: [
        ...maximal.endpoints,
        { name: 'Odd query', method: 'GET', path: '/a/:id//b/', query: { 'a&b': 'x y', '': '', '{{v&w}}': '€😀', "it's": '%41+[]?' }, headers: { 'X-Empty': '' }, body: '' },
        { name: 'Nested JSON', method: 'POST', path: '/{{prefix}}/x', query: {}, headers: {}, body: { list: [1, null, { deep: true }], text: 'é' }, expectStatus: 202 },
      ],
    });
    for (const config of [maximal, minimal, tricky]) {
      expect(JSON.stringify(buildCollection(config), null, 2)).toBe(JSON.stringify(buildWithSdk(config), null, 2));
    }
  });

  it('serializes, chunk by chunk, the same text as JSON.stringify of buildCollection', () => {
    const many = makeConfig({ endpoints: Array.from({ length: 300 }, (_, i) => ({ name: `E${i}`, method: 'GET' as const, path: `/e/${i}`, query: { i: String(i) }, headers: {} })) });
    for (const config of [maximal, minimal, many]) {
      const chunks = [...serializeCollection(config)];
      expect(chunks.join('')).toBe(JSON.stringify(buildCollection(config), null, 2) + '\n');
      expect([...serializeCollection(config)].join(''), 'each pass builds it again').toBe(chunks.join(''));
    }
    expect([...serializeCollection(many)].length, 'a big collection comes in several chunks').toBeGreaterThan(1);
  });

  it('does not change the config it is given', () => {
    const config = makeConfig();
    const before = structuredClone(config);
    buildCollection(config);
    expect(config).toEqual(before);
  });
});

describe('buildEnvironment', () => {
  it('writes gateway_url, backend_url and empty secrets as a Postman environment', () => {
    const env = buildEnvironment('local', maximal.environments.local);
    expect(env).toEqual({
      id: stableUuid('debug502 environment local'),
      name: 'local',
      values: [
        { key: 'gateway_url', value: 'http://127.0.0.1:8080', type: 'default', enabled: true },
        { key: 'backend_url', value: 'http://127.0.0.1:3000', type: 'default', enabled: true },
        { key: 'api_token', value: '', type: 'secret', enabled: true },
        { key: 'client_secret', value: '', type: 'secret', enabled: true },
      ],
      _postman_variable_scope: 'environment',
    });
    expect(stableUuid('x')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});

describe('slugify', () => {
  it.each([
    ['502 Debugging', '502-debugging'],
    ['Café API — 502 checks', 'cafe-api-502-checks'],
    ['  ../etc/passwd  ', 'etc-passwd'],
    ['!!!', 'collection'],
  ])('%j → %j', (name, slug) => expect(slugify(name)).toBe(slug));
});

describe('generate', () => {
  const dirs: string[] = [];
  const tempDir = async () => {
    const dir = await mkdtemp(join(tmpdir(), 'debug502-generate-'));
    dirs.push(dir);
    return dir;
  };
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it('writes the collection and one environment per key, byte-identical on a second run, no temp files left', async () => {
    const [a, b] = [await tempDir(), await tempDir()];
    const written = await generate(maximal, a);
    expect(written).toEqual({
      collection: join(a, 'collections', 'cafe-api-502-checks.postman_collection.json'),
      environments: [join(a, 'environments', 'local.postman_environment.json'), join(a, 'environments', 'staging.postman_environment.json')],
    });
    await generate(maximal, b);
    for (const path of [written.collection, ...written.environments]) {
      const other = path.replace(a, b);
      expect(await readFile(path, 'utf8')).toBe(await readFile(other, 'utf8'));
    }
    expectValidCollection(JSON.parse(await readFile(written.collection, 'utf8')));
    expect((await readdir(join(a, 'collections'))).concat(await readdir(join(a, 'environments'))).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    // Generating again over existing files replaces them with the same bytes.
    const first = await readFile(written.collection, 'utf8');
    await generate(maximal, a);
    expect(await readFile(written.collection, 'utf8')).toBe(first);
  });

  it('writes nothing when building fails, and nothing when one file cannot be written', async () => {
    const dir = await tempDir();
    const broken = { ...makeConfig(), endpoints: undefined } as unknown as ResolvedConfig;
    await expect(generate(broken, dir)).rejects.toThrow();
    expect(await readdir(dir)).toEqual([]);
    // environments/ cannot be created (a file is in the way): the collection must not appear either.
    const { writeFile } = await import('node:fs/promises');
    await writeFile(join(dir, 'environments'), 'not a directory');
    await expect(generate(makeConfig(), dir)).rejects.toThrow(/--out: cannot create .*environments is a file/);
    expect(await readdir(dir)).toEqual(['environments']);
  });
});

describe('templates/generate', () => {
  it('lets values into JavaScript only as {{json …}} (plus block helpers)', () => {
    const dir = join(REPO_ROOT, 'templates', 'generate');
    const scripts = readdirSync(dir).filter((f) => f.endsWith('.js.hbs'));
    expect(scripts.length).toBeGreaterThan(0);
    for (const file of scripts) {
      const mustaches = [...readFileSync(join(dir, file), 'utf8').matchAll(/\{\{\{?([^}]*)\}?\}\}/g)].map((m) => m[1].trim());
      expect(mustaches.length).toBeGreaterThan(0);
      for (const m of mustaches) expect(m, `${file}: {{${m}}}`).toMatch(/^(json \w+|#if \w+|\/if|else)$/);
    }
  });
});

/**
 * The collection as debug502 built it with the SDK before it wrote plain JSON: the same definitions
 * through Collection#toJSON(), with url.raw (which toJSON leaves out) put back first from Url#toString().
 */
function buildWithSdk(config: ResolvedConfig): Json {
  const plain = buildCollection(config) as Json;
  const strip = (item: Json): Json => item.item
    ? { ...item, item: item.item.map(strip) }
    : { ...item, request: { ...item.request, url: { host: item.request.url.host, path: item.request.url.path, query: item.request.url.query } } };
  const definition = { info: { id: plain.info._postman_id, name: plain.info.name, description: plain.info.description }, variable: [{ key: 'max_response_time_ms', value: plain.variable[0].value, type: 'string' }], item: plain.item.map(strip) };
  const collection = new postmanCollection.Collection(definition as unknown as CollectionDefinition);
  const rawById = new Map<string, string>();
  collection.forEachItem((item) => void rawById.set(item.id, item.request.url.toString()));
  const json = collection.toJSON() as unknown as Json;
  const visit = (items: Json[] | undefined) => {
    for (const item of items ?? []) {
      if (item.request) item.request.url = { raw: rawById.get(item.id), ...item.request.url };
      visit(item.item);
    }
  };
  visit(json.item);
  const { info, ...rest } = json;
  return { info, ...rest };
}
