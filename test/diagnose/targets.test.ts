import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadCollectionRequests, loadEnvironmentTargets } from '../../src/diagnose/targets.js';
import { InputError } from '../../src/errors.js';
import { tempDir, writeCollection, writeEnvironment } from './helpers/files.js';

const dir = tempDir();
const NO_ENV = { values: [] };
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('loadEnvironmentTargets', () => {
  it('reads both URLs and every variable', async () => {
    const t = await loadEnvironmentTargets(writeEnvironment(dir, 'http://127.0.0.1:8080', 'https://api.internal:3443/v1'));
    expect(t.gatewayUrl.href).toBe('http://127.0.0.1:8080/');
    expect(t.backendUrl.port).toBe('3443');
    expect(t.environment.values.find((v) => v.key === 'backend_url')?.value).toBe('https://api.internal:3443/v1');
  });

  it('names the file and each bad field', async () => {
    const file = join(dir, 'bad.postman_environment.json');
    writeFileSync(file, JSON.stringify({ values: [{ key: 'gateway_url', value: 'ftp://x' }] }));
    const error = await loadEnvironmentTargets(file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).message).toContain(file);
    expect((error as InputError).problems).toEqual(['values.gateway_url: must be an http(s) URL, got "ftp://x"', 'values.backend_url: missing or empty']);
  });

  it('a missing file is an InputError', async () => {
    await expect(loadEnvironmentTargets(join(dir, 'nope.json'))).rejects.toBeInstanceOf(InputError);
  });
});

describe('loadCollectionRequests', () => {
  it('dedupes each endpoint across both folders and finds the health path', async () => {
    const file = writeCollection(dir, ['/api/users', '/api/orders?page=1'], '/health');
    const c = await loadCollectionRequests(file, NO_ENV);
    expect(c.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /api/users', 'GET /api/orders?page=1']);
    expect(c.requests[0].headers).toEqual({ Accept: 'application/json' });
    expect(c.healthPath).toBe('/health');
  });

  it('fills other {{variables}} and ignores URLs that use neither base URL', async () => {
    const file = join(dir, 'vars.postman_collection.json');
    writeFileSync(file, JSON.stringify({
      info: { name: 'x' },
      variable: [{ key: 'version', value: 'v1' }],
      item: [
        { name: 'a', request: { method: 'post', url: '{{gateway_url}}/{{version}}/users/{{id}}', body: { mode: 'raw', raw: '{"id":"{{id}}"}' } } },
        { name: 'b', request: { method: 'GET', url: 'https://elsewhere.example/x' } },
      ],
    }));
    const c = await loadCollectionRequests(file, { values: [{ key: 'id', value: '7' }] }, { unsafeMethods: true });
    expect(c.requests).toEqual([{ name: 'a', method: 'POST', path: '/v1/users/7', headers: { 'Content-Type': 'text/plain' }, body: '{"id":"7"}' }]);
    const safe = await loadCollectionRequests(file, { values: [{ key: 'id', value: '7' }] });
    expect(safe.requests).toEqual([]);
    expect(safe.skipped).toEqual([{ name: 'a', request: 'POST /{{version}}/users/{{id}}', reason: 'POST may change data on the server (pass --unsafe-methods to send it)' }]);
  });

  it('sends auth, path variables and the values of the collection, safe methods only', async () => {
    const file = join(dir, 'auth.postman_collection.json');
    writeFileSync(file, JSON.stringify({
      info: { name: 'x' },
      auth: { type: 'apikey', apikey: [{ key: 'key', value: 'X-API-Key' }, { key: 'value', value: '{{key}}' }, { key: 'in', value: 'header' }] },
      item: ['gateway_url', 'backend_url'].map((base) => ({ name: base, item: [
        { name: 'get', request: { method: 'GET', url: { raw: `{{${base}}}/pets/:petId`, host: [`{{${base}}}`], path: ['pets', ':petId'], variable: [{ key: 'petId', value: '42' }] } } },
        { name: 'del', request: { method: 'DELETE', url: `{{${base}}}/pets/1` } },
      ] })),
    }));
    const c = await loadCollectionRequests(file, { values: [{ key: 'key', value: 's3cret' }, { key: 'gateway_url', value: 'http://127.0.0.1:1/gw' }] });
    expect(c.requests).toEqual([{ name: 'get', method: 'GET', path: '/pets/42', headers: { 'X-API-Key': 's3cret' } }]);
    expect(c.skipped.map((s) => `${s.name}: ${s.request}`)).toEqual(['gateway_url / del: DELETE /pets/1']);
  });

  it('an environment passed as the collection is an InputError', async () => {
    const env = writeEnvironment(dir, 'http://127.0.0.1:1', 'http://127.0.0.1:2', 'swapped');
    await expect(loadCollectionRequests(env, NO_ENV)).rejects.toThrow(/environment, not a collection/);
  });
});
