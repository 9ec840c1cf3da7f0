/**
 * Item 14 of issue 14: secrets — values of secret-typed variables, auth helper fields and
 * Authorization headers — never reach a report, a progress line or an error message.
 */
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { captureIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { findSecretValues } from '../../src/postman/secret-values.js';
import { createMask, maskDeep, MASK } from '../../src/text/mask-secrets.js';
import { startHostileServer, type HostileServer } from './servers.js';

const TOKEN = 's3cr3t-bearer-token';
const API_KEY = 'k3y-value-123456';
const PASSWORD = 'hunter2-password';

describe('findSecretValues', () => {
  test('secret variables, auth helpers (both forms), Authorization headers and what they refer to', () => {
    const collection = {
      info: { name: 'c' },
      variable: [{ key: 'plain', value: 'not-a-secret' }],
      auth: { type: 'bearer', bearer: [{ key: 'token', value: '{{token}}', type: 'string' }] },
      item: [
        { name: 'basic', request: { method: 'GET', url: 'http://x/', auth: { type: 'basic', basic: { username: 'ada-user', password: PASSWORD } } } },
        { name: 'key', request: { method: 'GET', url: 'http://x/', auth: { type: 'apikey', apikey: [{ key: 'key', value: 'X-Api-Key' }, { key: 'value', value: API_KEY }, { key: 'in', value: 'header' }] } } },
        { name: 'header', request: { method: 'GET', url: 'http://x/', header: [{ key: 'authorization', value: 'Token {{raw}}' }, { key: 'Accept', value: 'application/json' }] } },
      ],
    };
    const environment = { values: [{ key: 'token', value: TOKEN, type: 'secret' }, { key: 'raw', value: 'raw-credential' }, { key: 'db', value: 'db-password', type: 'secret' }] };
    const secrets = findSecretValues({ collection, environment, envVars: { db: 'overridden-db-password' } });
    for (const value of [TOKEN, PASSWORD, 'ada-user', API_KEY, 'raw-credential', 'Token raw-credential', 'overridden-db-password', Buffer.from(`ada-user:${PASSWORD}`).toString('base64')]) {
      expect(secrets).toContain(value);
    }
    for (const value of ['not-a-secret', 'X-Api-Key', 'header', 'application/json', 'db-password']) expect(secrets).not.toContain(value);
  });

  test('3,000 nested folders are walked without a stack overflow', () => {
    let item: object = { name: 'leaf', request: { url: 'http://x/', auth: { type: 'bearer', bearer: [{ key: 'token', value: TOKEN }] } } };
    for (let i = 0; i < 3000; i++) item = { name: `f${i}`, item: [item] };
    expect(findSecretValues({ collection: { info: {}, item: [item] } })).toContain(TOKEN);
  });

  test('masks raw, JSON-escaped and URL-encoded forms, keys included; short values are left alone', () => {
    const mask = createMask(['a"b/c+d=', 'abc']);
    expect(mask('x a"b/c+d= y')).toBe(`x ${MASK} y`);
    expect(mask(JSON.stringify({ v: 'a"b/c+d=' }))).toBe(`{"v":"${MASK}"}`);
    expect(mask(`?k=${encodeURIComponent('a"b/c+d=')}`)).toBe(`?k=${MASK}`);
    expect(mask('abc')).toBe('abc');
    expect(maskDeep({ errors: { [`E ${TOKEN}`]: 1 }, list: [TOKEN] }, createMask([TOKEN]))).toEqual({ errors: { [`E ${MASK}`]: 1 }, list: [MASK] });
  });
});

describe('no report, progress line or error message carries a secret', () => {
  let server: HostileServer;
  let dir: string;
  let files: { collection: string; environment: string };
  beforeAll(async () => {
    server = await startHostileServer('ok');
    dir = await mkdtemp(join(tmpdir(), 'debug502-secrets-'));
    // A careless name quotes the token: it must still never be printed or written.
    const request = (route: string, folder: string) => ({
      name: folder,
      item: [{
        name: `List users (token ${TOKEN})`,
        request: { method: 'GET', url: `{{${route}}}/api/users?key={{api_key}}`, header: [{ key: 'Authorization', value: `Bearer ${TOKEN}` }] },
        event: [{ listen: 'test', script: { exec: [`pm.test("No 502 errors", function () { pm.expect(pm.response.code).to.not.equal(502); });`, `console.log("${API_KEY}");`] } }],
      }],
    });
    const collection = {
      info: { name: `secrets ${API_KEY}`, schema: 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json' },
      item: [request('gateway_url', 'Through gateway'), request('backend_url', 'Direct to backend')],
    };
    const environment = { name: 'e', values: [
      { key: 'gateway_url', value: server.url }, { key: 'backend_url', value: server.url }, { key: 'api_key', value: API_KEY, type: 'secret' },
    ] };
    files = { collection: join(dir, 'c.json'), environment: join(dir, 'e.json') };
    await writeFile(files.collection, JSON.stringify(collection));
    await writeFile(files.environment, JSON.stringify(environment));
  });
  afterAll(async () => {
    await server?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  async function everythingWritten(reportDir: string, output: string): Promise<string> {
    const names = await readdir(join(dir, reportDir));
    const contents = await Promise.all(names.map((name) => readFile(join(dir, reportDir, name), 'utf8')));
    return [output, ...contents].join('\n');
  }

  test.each([
    ['run', (out: string) => ['run', '--collection', files.collection, '--environment', files.environment, '--report-dir', out]],
    ['ramp', (out: string) => ['ramp', '--collection', files.collection, '--environment', files.environment, '--max', '2', '--requests-per-step', '2', '--report-dir', out]],
  ])('%s', async (name, argv) => {
    const io = captureIo({ cwd: dir, isTTY: true });
    const code = await main(argv(`out-${name}`), io);
    expect(code).toBeLessThanOrEqual(1);
    const all = await everythingWritten(`out-${name}`, io.text());
    // run's reports name every item (masked); a ramp's name none.
    if (name === 'run') expect(all).toContain(MASK);
    for (const secret of [TOKEN, API_KEY]) expect(all).not.toContain(secret);
  }, 60_000);

  test('the fast engine: nothing printed carries a secret either', async () => {
    const io = captureIo({ cwd: dir });
    await main(['ramp', '--collection', files.collection, '--environment', files.environment, '--engine', 'fast', '--max', '1', '--requests-per-step', '1', '--report-dir', 'out-fast'], io);
    expect(io.text()).not.toContain(TOKEN);
    expect(io.text()).not.toContain(API_KEY);
  }, 30_000);
});
