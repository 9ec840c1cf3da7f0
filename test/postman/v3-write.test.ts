/** v3 out: `generate --collection-format v3` and writeV3Collection, without the Postman CLI (see postman-cli.test.ts). */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { captureIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { buildCollection, generate } from '../../src/generate/index.js';
import { uniqueFileNames, writeV3Collection } from '../../src/postman/v3/index.js';
import { makeConfig } from '../generate/helpers.js';

let root: string;
let counter = 0;
beforeAll(async () => void (root = await mkdtemp(join(tmpdir(), 'debug502-v3-write-'))));
afterAll(() => rm(root, { recursive: true, force: true }));
const workDir = async () => {
  const dir = join(root, `case-${++counter}`);
  await mkdir(dir);
  return dir;
};

/** Every file under `dir`, "/"-separated and sorted. */
async function listTree(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name).slice(dir.length + 1)).sort();
}

describe('writeV3Collection', () => {
  const files = writeV3Collection(buildCollection(makeConfig()));
  const byPath = Object.fromEntries(files.map((f) => [f.path, parse(f.text)]));

  it('writes the folder tree: a definition per folder, a request file per request, in order', () => {
    expect(files.map((f) => f.path)).toEqual([
      '.resources/definition.yaml',
      'Backend health/.resources/definition.yaml',
      'Backend health/Check backend server health.request.yaml',
      'Through gateway/.resources/definition.yaml',
      'Through gateway/List users.request.yaml',
      'Through gateway/Create user.request.yaml',
      'Direct to backend/.resources/definition.yaml',
      'Direct to backend/List users.request.yaml',
      'Direct to backend/Create user.request.yaml',
    ]);
    expect(byPath['Through gateway/.resources/definition.yaml']).toMatchObject({ $kind: 'collection', order: 2000 });
    expect(byPath['Direct to backend/.resources/definition.yaml'].order).toBe(3000);
  });

  it('keeps the collection variable, the requests and the guide\'s test scripts as afterResponse', () => {
    expect(byPath['.resources/definition.yaml']).toMatchObject({ $kind: 'collection', name: '502 Debugging', variables: { max_response_time_ms: '5000' } });
    const create = byPath['Through gateway/Create user.request.yaml'];
    expect(create).toMatchObject({
      $kind: 'http-request', url: '{{gateway_url}}/api/users', method: 'POST',
      headers: { 'Content-Type': 'application/json' }, body: { type: 'json', content: '{\n  "name": "Ada"\n}' }, order: 2000,
    });
    expect(create.scripts).toHaveLength(1);
    expect(create.scripts[0].type).toBe('afterResponse');
    expect(create.scripts[0].code).toContain('pm.test("No 502 errors"');
    expect(create.scripts[0].code).toContain('pm.test("Status is 201"');
    expect(byPath['Direct to backend/List users.request.yaml']).toMatchObject({ url: '{{backend_url}}/api/users?page=1', queryParams: { page: '1' } });
  });

  it('writes scripts as block literals, never folded, so a line reads as it runs', () => {
    const text = files.find((f) => f.path === 'Through gateway/Create user.request.yaml')!.text;
    expect(text).toMatch(/code: \|-?\n/);
    expect(text).toContain('\n      pm.test("No 502 errors", function () {\n');
  });

  it('is deterministic: the same collection gives the same bytes', () => {
    expect(writeV3Collection(buildCollection(makeConfig()))).toEqual(files);
  });

  it('carries auth at every level (collection and folder: a list with a stable id; request: one entry)', () => {
    const collection = {
      info: { _postman_id: 'c-1', name: 'Auth' },
      auth: { type: 'bearer', bearer: [{ key: 'token', value: '{{token}}', type: 'string' }] },
      item: [{
        name: 'Folder', auth: { type: 'basic', basic: [{ key: 'username', value: 'u' }, { key: 'password', value: 'p' }] },
        event: [{ listen: 'prerequest', script: { exec: ['pm.request.headers.add({ key: "X-F", value: "1" });'] } }],
        item: [{ name: 'Open', request: { method: 'GET', url: '{{base}}/open', auth: { type: 'noauth' } } }],
      }],
    };
    const out = Object.fromEntries(writeV3Collection(collection).map((f) => [f.path, parse(f.text)]));
    const rootAuth = out['.resources/definition.yaml'].auth;
    expect(rootAuth).toEqual([{ id: expect.stringMatching(/^[0-9a-f-]{36}$/), type: 'bearer', name: 'bearer auth', credentials: { token: '{{token}}' } }]);
    expect(out['Folder/.resources/definition.yaml']).toMatchObject({
      auth: [{ type: 'basic', credentials: { username: 'u', password: 'p' } }],
      scripts: [{ type: 'http:beforeRequest', code: 'pm.request.headers.add({ key: "X-F", value: "1" });' }],
    });
    expect(out['Folder/Open.request.yaml'].auth).toEqual({ type: 'noauth' });
    expect(writeV3Collection(collection)[0].text).toBe(writeV3Collection(collection)[0].text);
  });

  it('writes bodies in the shapes lint accepts: urlencoded and formdata lists, a file as { src }', () => {
    const out = writeV3Collection({ info: { name: 'B' }, item: [
      { name: 'form', request: { method: 'POST', url: 'http://x/f', body: { mode: 'urlencoded', urlencoded: [{ key: 'a', value: '1' }, { key: 'b', value: '2', disabled: true }] } } },
      { name: 'upload', request: { method: 'POST', url: 'http://x/u', body: { mode: 'file', file: { src: './data.bin' } } } },
    ] }).map((f) => parse(f.text));
    expect(out[1].body).toEqual({ type: 'urlencoded', content: [{ key: 'a', value: '1' }, { key: 'b', value: '2', disabled: true }] });
    expect(out[2].body).toEqual({ type: 'file', content: { src: './data.bin' } });
  });

  it('makes names file-safe and unique regardless of case, keeping the real name in the file', () => {
    expect(uniqueFileNames(['A/B: c?', 'dup', 'dup', 'DUP', '..', ''])).toEqual(['A-B- c-', 'dup', 'dup 1', 'DUP 2', 'untitled', 'untitled 1']);
    const out = writeV3Collection({ info: { name: 'N' }, item: [{ name: 'GET /users/:id', request: { method: 'GET', url: 'http://x/users/:id' } }] });
    expect(out[1].path).toBe('GET -users--id.request.yaml');
    expect(parse(out[1].text).name).toBe('GET /users/:id');
  });
});

describe('generate --collection-format v3', () => {
  async function run(cwd: string, ...argv: string[]) {
    const io = captureIo({ cwd });
    const code = await main(['generate', ...argv], io);
    return { code, stdout: io.out.join(''), stderr: io.err.join('') };
  }

  it('writes postman/collections/<name>/, the JSON environments as today and YAML ones for Postman', async () => {
    const cwd = await workDir();
    await writeFile(join(cwd, 'debug502.config.yaml'), 'environments:\n  lab:\n    gateway_url: http://127.0.0.1:8080\n    backend_url: http://127.0.0.1:3000\nendpoints:\n  - name: List users\n    path: /api/users\n');
    const { code, stdout, stderr } = await run(cwd, '--collection-format', 'v3');
    expect(code).toBe(0);
    expect(stdout).toBe('postman/collections/502 Debugging\nenvironments/lab.postman_environment.json\npostman/environments/lab.environment.yaml\n');
    expect(stderr).toContain("postman collection run 'postman/collections/502 Debugging' -e postman/environments/lab.environment.yaml");
    expect(await listTree(join(cwd, 'postman'))).toEqual([
      'collections/502 Debugging/.resources/definition.yaml',
      'collections/502 Debugging/Direct to backend/.resources/definition.yaml',
      'collections/502 Debugging/Direct to backend/List users.request.yaml',
      'collections/502 Debugging/Through gateway/.resources/definition.yaml',
      'collections/502 Debugging/Through gateway/List users.request.yaml',
      'environments/lab.environment.yaml',
    ]);
    expect(parse(await readFile(join(cwd, 'postman/environments/lab.environment.yaml'), 'utf8'))).toMatchObject({
      name: 'lab', values: [{ key: 'gateway_url', value: 'http://127.0.0.1:8080' }, { key: 'backend_url', value: 'http://127.0.0.1:3000' }],
    });
    expect(existsSync(join(cwd, 'collections'))).toBe(false);
  });

  it('replaces the directory as a whole: a request renamed in the config leaves no stale file', async () => {
    const out = await workDir();
    await generate(makeConfig(), out, { collectionFormat: 'v3' });
    const renamed = makeConfig({ endpoints: [{ name: 'All users', method: 'GET', path: '/api/users', query: {}, headers: {} }] });
    await generate(renamed, out, { collectionFormat: 'v3' });
    const tree = await listTree(join(out, 'postman/collections/502 Debugging'));
    expect(tree.filter((f) => f.endsWith('.request.yaml'))).toEqual([
      'Backend health/Check backend server health.request.yaml',
      'Direct to backend/All users.request.yaml',
      'Through gateway/All users.request.yaml',
    ]);
    expect((await readdir(join(out, 'postman/collections'))).sort()).toEqual(['502 Debugging']); // no temp dirs left
  });

  it('will not replace a directory that is not a v3 collection (exit 2, nothing written)', async () => {
    const cwd = await workDir();
    await writeFile(join(cwd, 'debug502.config.yaml'), 'environments:\n  lab:\n    gateway_url: http://127.0.0.1:8080\n    backend_url: http://127.0.0.1:3000\nendpoints:\n  - name: A\n    path: /a\n');
    await mkdir(join(cwd, 'postman/collections/502 Debugging'), { recursive: true });
    await writeFile(join(cwd, 'postman/collections/502 Debugging/notes.txt'), 'mine');
    const { code, stderr } = await run(cwd, '--collection-format', 'v3');
    expect(code).toBe(2);
    expect(stderr).toContain('exists and is not a v3 collection');
    expect(await listTree(join(cwd, 'postman'))).toEqual(['collections/502 Debugging/notes.txt']);
    expect(existsSync(join(cwd, 'environments'))).toBe(false);
  });

  it('rejects an unknown format with exit 2', async () => {
    const { code, stderr } = await run(await workDir(), '--collection-format', 'v4');
    expect(code).toBe(2);
    expect(stderr).toMatch(/collection-format/);
  });
});
