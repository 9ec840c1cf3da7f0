/**
 * The postman room's request descriptions: auth at every level, every body mode, path, collection,
 * environment and global variables, dynamic ones — and, on a real socket, the very bytes newman
 * sends for the same collection (the fast engine sends descriptions, so the two must agree).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runFast } from '../../src/engines/fast.js';
import { runNewman } from '../../src/engines/newman.js';
import { InputError } from '../../src/errors.js';
import { describeRequests, drawRequest } from '../../src/postman/describe-request.js';
import { narrowToFolders } from '../../src/postman/items.js';
import { startTinyServer, type RecordedRequest, type TinyServer } from '../generate/helpers.js';

const SCHEMA = 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json';
const kv = (entries: Record<string, string>) => Object.entries(entries).map(([key, value]) => ({ key, value }));

/** Auth at collection (apikey header), folder (bearer) and request level (basic, noauth, oauth2, apikey query); bodies of every mode. */
function sampleCollection(base = '{{baseUrl}}') {
  return {
    info: { name: 'sample', schema: SCHEMA },
    auth: { type: 'apikey', apikey: kv({ key: 'X-API-Key', value: '{{apiKey}}', in: 'header' }) },
    variable: [{ key: 'apiKey', value: 'from-collection' }, { key: 'petId', value: '42' }, { key: 'max_response_time_ms', value: '5000' }],
    item: [
      {
        name: 'Pets',
        item: [
          { name: 'Get pet', request: { method: 'GET', url: { raw: `${base}/pets/:petId?expand=owner`, host: [base], path: ['pets', ':petId'], query: [{ key: 'expand', value: 'owner' }, { key: 'off', value: '1', disabled: true }], variable: [{ key: 'petId', value: '{{petId}}' }] } } },
          { name: 'Create pet', request: { method: 'POST', url: `${base}/pets`, header: [{ key: 'X-Trace', value: '{{$guid}}' }], body: { mode: 'raw', raw: '{"name":"{{petName}}"}', options: { raw: { language: 'json' } } } } },
          {
            name: 'Owners', auth: { type: 'bearer', bearer: kv({ token: '{{token}}' }) },
            item: [
              { name: 'List owners', request: { method: 'GET', url: `${base}/owners` } },
              { name: 'Login', request: { method: 'POST', url: `${base}/login`, auth: { type: 'basic', basic: kv({ username: 'ada', password: 'l0velace' }) }, body: { mode: 'urlencoded', urlencoded: [{ key: 'remember', value: 'yes & more!' }, { key: 'skip', value: 'x', disabled: true }] } } },
              { name: 'Public', request: { method: 'GET', url: `${base}/public`, auth: { type: 'noauth' } } },
              { name: 'Inherit', request: { method: 'GET', url: `${base}/inherit`, auth: { type: 'inherit' } } },
            ],
          },
        ],
      },
      {
        name: 'Other',
        item: [
          { name: 'OAuth', request: { method: 'PUT', url: `${base}/oauth`, auth: { type: 'oauth2', oauth2: kv({ accessToken: 'at-1', addTokenTo: 'header' }) }, body: { mode: 'formdata', formdata: [{ key: 'field', value: 'v1', type: 'text' }, { key: 'other', value: '{{petId}}', type: 'text' }] } } },
          { name: 'Query key', request: { method: 'POST', url: `${base}/graphql`, auth: { type: 'apikey', apikey: kv({ key: 'api_key', value: 'q k', in: 'query' }) }, body: { mode: 'graphql', graphql: { query: 'query { pet(id: $id) { name } }', variables: '{"id": "{{petId}}"}' } } } },
          { name: 'OAuth query', request: { method: 'GET', url: `${base}/oauth-q`, auth: { type: 'oauth2', oauth2: kv({ accessToken: 'at-2', addTokenTo: 'queryParams' }) } } },
        ],
      },
    ],
  };
}

const environment = { values: [{ key: 'token', value: 'env-token', enabled: true }, { key: 'apiKey', value: 'from-env', enabled: true }] };
const globals = { values: [{ key: 'petName', value: 'Rex' }, { key: 'token', value: 'global-token' }] };

describe('describeRequests', () => {
  const { requests } = describeRequests({ collection: sampleCollection('http://api.test'), environment, globals, envVars: { petId: '7' } });
  const byName = Object.fromEntries(requests.map((r) => [r.name, r]));
  const header = (name: string, key: string) => byName[name].headers.filter(([k]) => k.toLowerCase() === key.toLowerCase()).map(([, v]) => v);

  test('walks nested folders in order and names where each request sits', () => {
    expect(requests.map((r) => r.path)).toEqual([
      'Pets / Get pet', 'Pets / Create pet', 'Pets / Owners / List owners', 'Pets / Owners / Login', 'Pets / Owners / Public', 'Pets / Owners / Inherit',
      'Other / OAuth', 'Other / Query key', 'Other / OAuth query',
    ]);
    expect(byName['Get pet'].request).toBe('GET http://api.test/pets/:petId?expand=owner');
  });

  test('path variables, --env-var over environment over collection over globals, disabled query left out', () => {
    expect(byName['Get pet'].url).toBe('http://api.test/pets/7?expand=owner');
    expect(byName['Create pet'].body).toEqual({ mode: 'raw', contentType: 'application/json', text: '{"name":"Rex"}' });
    expect(header('Get pet', 'X-API-Key')).toEqual(['from-env']);
  });

  test('auth: collection apikey, folder bearer, request basic / noauth / oauth2; an explicit inherit sends none, as newman', () => {
    expect(byName['Get pet'].auth).toEqual({ type: 'apikey', in: 'header' });
    expect(header('List owners', 'Authorization')).toEqual(['Bearer env-token']);
    expect(header('List owners', 'X-API-Key')).toEqual([]);
    expect(header('Login', 'Authorization')).toEqual([`Basic ${Buffer.from('ada:l0velace').toString('base64')}`]);
    expect(byName.Public.auth).toBeUndefined();
    expect(byName.Public.headers).toEqual([]);
    expect(byName.Inherit.headers).toEqual([]);
    expect(header('OAuth', 'Authorization')).toEqual(['Bearer at-1']);
    expect(byName['Query key'].url).toBe('http://api.test/graphql?api_key=q%20k');
    expect(byName['OAuth query'].url).toBe('http://api.test/oauth-q?access_token=at-2');
  });

  test('bodies: urlencoded, form-data text fields, GraphQL', () => {
    expect(byName.Login.body).toMatchObject({ mode: 'urlencoded', text: 'remember=yes%20%26%20more%21' });
    expect(header('Login', 'Content-Type')).toEqual(['application/x-www-form-urlencoded']);
    const form = byName.OAuth.body!;
    expect(form.contentType).toMatch(/^multipart\/form-data; boundary=-+[0-9a-f]{24}$/);
    expect(form.text).toContain('Content-Disposition: form-data; name="other"\r\n\r\n7\r\n');
    expect(byName['Query key'].body).toEqual({ mode: 'graphql', contentType: 'application/json', text: '{"query":"query { pet(id: $id) { name } }","variables":{"id": "7"}}' });
  });

  test('dynamic variables stay templates, drawn afresh at each send', () => {
    const create = byName['Create pet'];
    expect(create.dynamic).toBe(true);
    expect(header('Create pet', 'X-Trace')).toEqual(['{{$guid}}']);
    const [a, b] = [drawRequest(create), drawRequest(create)].map((d) => d.headers.find(([k]) => k === 'X-Trace')![1]);
    expect(a).toMatch(/^[0-9a-f-]{36}$/);
    expect(a).not.toBe(b);
  });

  test('unset variables, unsupported auth, file bodies and user scripts are reported, not thrown', () => {
    const collection = {
      info: { name: 'x' },
      event: [{ listen: 'prerequest', script: { exec: ['pm.variables.set("a", 1)'] } }],
      item: [
        { name: 'digest', request: { url: '{{nowhere}}/x', auth: { type: 'digest', digest: kv({ username: 'u' }) } }, event: [{ listen: 'test', script: { exec: ['// debug502: the checks of the 502 Bad Gateway guide.', 'pm.test("x")'] } }] },
        { name: 'file', request: { method: 'POST', url: 'http://h/x', body: { mode: 'file', file: { src: '/etc/hosts' } } } },
      ],
    };
    const [digest, file] = describeRequests({ collection }).requests;
    expect(digest.unresolved).toEqual(['nowhere']);
    expect(digest.unsupported).toEqual(['its "digest" auth']);
    expect(digest.scripts).toEqual([{ listen: 'prerequest', where: '(collection)' }]);
    expect(file.unsupported[0]).toMatch(/its body is a file on disk/);
  });

  test('folder selection as newman: by name at any depth; unknown names are InputError', () => {
    const names = (folder: string | string[]) => describeRequests({ collection: sampleCollection(), folder }).requests.map((r) => r.name);
    expect(names('Owners')).toEqual(['List owners', 'Login', 'Public', 'Inherit']);
    expect(names(['OAuth', 'Owners'])).toEqual(['List owners', 'Login', 'Public', 'Inherit', 'OAuth']);
    expect(() => names('Nope')).toThrow(InputError);
  });
});

describe('narrowToFolders (--folder inside each route folder)', () => {
  const route = (name: string) => ({ name, auth: { type: 'noauth' }, item: [{ name: 'Orders', item: [{ name: 'Get order', request: { url: 'x' } }] }, { name: 'Users', item: [{ name: 'Me', request: { url: 'y' } }] }] });
  const collection = { info: { name: 'x' }, item: [{ name: 'Backend health', item: [{ name: 'h', request: { url: 'z' } }] }, route('Through gateway'), route('Direct to backend')] };

  test('keeps the match in each route folder, with the folders above it', () => {
    const narrowed = narrowToFolders(collection, ['Orders']);
    expect(JSON.stringify(narrowed.item.map((f: any) => [f.name, f.auth, f.item.map((g: any) => g.name)]))).toBe(
      JSON.stringify([['Through gateway', { type: 'noauth' }, ['Orders']], ['Direct to backend', { type: 'noauth' }, ['Orders']]]),
    );
    expect(collection.item[1].item).toHaveLength(2); // the input is not changed
  });

  test('a name missing from a route folder is an InputError naming it', () => {
    expect(() => narrowToFolders(collection, ['Orders', 'Billing'], 'c.json')).toThrow(InputError);
    try {
      narrowToFolders(collection, ['Billing'], 'c.json');
    } catch (error) {
      expect((error as InputError).problems).toEqual([
        '--folder "Billing": no folder or request of that name in "Through gateway"',
        '--folder "Billing": no folder or request of that name in "Direct to backend"',
      ]);
    }
  });
});

describe('on the wire: the fast engine sends what newman sends', () => {
  let server: TinyServer;
  beforeAll(async () => {
    server = await startTinyServer(200);
  });
  afterAll(async () => {
    await server.close();
  });

  /** What newman and the fast engine must agree on (system headers and the multipart boundary differ by design). */
  const pick = (r: RecordedRequest) => {
    const boundary = /boundary=(.+)$/.exec(String(r.headers['content-type'] ?? ''))?.[1];
    return {
      method: r.method,
      url: r.url,
      authorization: r.headers.authorization,
      apiKey: r.headers['x-api-key'],
      type: String(r.headers['content-type'] ?? '').replace(/boundary=.+$/, 'boundary=B'),
      body: boundary ? r.body.split(boundary).join('B') : r.body,
    };
  };

  test('every auth, body mode and variable scope', async () => {
    const input = { collection: sampleCollection(), environment, envVars: { baseUrl: server.url, petId: '7', petName: 'Rex' } };
    await runNewman(input);
    const newman = server.requests.splice(0);
    await runFast(input);
    const fast = server.requests.splice(0);
    expect(fast).toHaveLength(9);
    expect(fast.map(pick)).toEqual(newman.map(pick));
  });
});
