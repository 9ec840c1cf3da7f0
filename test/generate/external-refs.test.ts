/**
 * Issue 29 (minor): `$ref`s to other documents — a URL, or a file beside the spec — became request
 * bodies saying "reference … not found" without a word. generate now warns, naming each one and
 * where it is used; none is ever fetched (a loopback server stands where the URL points).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { captureIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { findExternalRefs } from '../../src/generate/read-openapi.js';
import { startTinyServer, type TinyServer } from './helpers.js';

let dir: string;
let server: TinyServer;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'debug502-refs-'));
  server = await startTinyServer();
});
afterAll(async () => {
  await server?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

it('generate --from-openapi names every remote and file $ref, once, and fetches none', async () => {
  const remote = `${server.url}/schemas/order.json`;
  await writeFile(join(dir, 'openapi.yaml'), [
    'openapi: 3.0.3',
    'info: {title: Orders, version: "1"}',
    'servers: [{url: "http://api.example.test"}]',
    'paths:',
    '  /orders:',
    '    post:',
    '      requestBody:',
    '        content:',
    `          application/json: {schema: {$ref: "${remote}"}}`,
    '      responses: {"201": {description: created}}',
    '    put:',
    '      requestBody:',
    '        content:',
    `          application/json: {schema: {$ref: "${remote}"}}`,
    '      responses: {"200": {description: ok}}',
    '  /items:',
    '    get:',
    '      parameters: [{$ref: "./parameters.yaml#/limit"}]',
    '      responses: {"200": {description: ok, content: {application/json: {schema: {$ref: "#/components/schemas/Item"}}}}}',
    'components:',
    '  schemas:',
    '    Item: {type: object, properties: {id: {type: integer}}}',
  ].join('\n') + '\n');
  const io = captureIo({ cwd: dir });
  const code = await main(['generate', '--from-openapi', 'openapi.yaml', '--gateway-url', 'http://127.0.0.1:8080', '--backend-url', 'http://127.0.0.1:3000', '--out', 'gen'], io);
  const stderr = io.err.join('');
  expect(code, stderr).toBe(0);
  expect(stderr).toContain('warning: 2 $refs to other documents, never fetched (debug502 reads the one document)');
  expect(stderr).toContain(`${remote} (at /paths/~1orders/post/requestBody/content/application~1json/schema/$ref)`);
  expect(stderr).toContain('./parameters.yaml#/limit (at /paths/~1items/get/parameters/0/$ref)');
  expect(stderr).not.toContain('#/components/schemas/Item');
  expect(server.requests).toHaveLength(0);
}, 30_000);

it('findExternalRefs: local pointers are not external; shared objects are walked once', () => {
  const shared = { $ref: 'https://schemas.example.test/a.json' };
  expect(findExternalRefs({ a: shared, b: shared, c: { $ref: '#/x' }, d: [{ $ref: 'b.yaml' }] })).toEqual([
    { ref: 'https://schemas.example.test/a.json', at: '/a/$ref' },
    { ref: 'b.yaml', at: '/d/0/$ref' },
  ]);
});
