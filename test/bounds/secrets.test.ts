/**
 * Item 14 of issue 14: secrets — values of secret-typed variables, auth helper fields and
 * Authorization headers — never reach a report, a progress line or an error message.
 */
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
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

/**
 * Issue 29, items 2, 3 and 5: diagnose masks too, in every form a secret takes on the way out —
 * any case (newman and DNS lower-case a host), URL-encoded in a path or query, an API key sent
 * in the query, a password in a URL's userinfo, an --env-var override — and an error for bad input
 * quotes no secret either.
 */
describe('secrets in paths, queries, hosts, userinfo and query API keys: no command prints or writes one', () => {
  // Each holds a word no output has otherwise: finding that word, in any case, is a leak of that secret, however encoded the rest.
  const SECRETS = {
    path: 'PathSecret 9911/x',
    query: 'QuerySecret+8822 &z',
    host: 'SecretHost-4711.invalid',
    password: 'UserinfoPass-3344',
    apiKey: 'ApiKeySecret-7755',
    override: 'notaurl-OverrideSecret-66',
    base: 'notaurl-SecretBase-55',
  };
  const WORDS = ['pathsecret', 'querysecret', 'secrethost', 'userinfopass', 'apikeysecret', 'overridesecret', 'secretbase'];
  let server: HostileServer;
  let dir: string;
  const inputs = new Set(['c.json', 'e.json', 'host.json', 'bad.json']);

  beforeAll(async () => {
    server = await startHostileServer('bad-gateway');
    dir = await mkdtemp(join(tmpdir(), 'debug502-secrets-29-'));
    const folder = (route: string, name: string) => ({
      name,
      item: [
        { name: 'by path', request: { method: 'GET', url: `{{${route}}}/api/{{path_secret}}/items` } },
        { name: 'by query', request: { method: 'GET', url: `{{${route}}}/api/search?token={{query_secret}}&page=1` } },
        { name: 'by api key', request: { method: 'GET', url: `{{${route}}}/api/keyed`, auth: { type: 'apikey', apikey: [{ key: 'key', value: 'api_key' }, { key: 'value', value: '{{key_secret}}' }, { key: 'in', value: 'query' }] } } },
        // Skipped by diagnose's safe methods: the skipped list names its path.
        { name: 'create', request: { method: 'POST', url: `{{${route}}}/api/{{path_secret}}/create`, body: { mode: 'raw', raw: '{}' } } },
      ],
    });
    const collection = { info: { name: 'secrets 29', schema: 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json' }, item: [folder('gateway_url', 'Through gateway'), folder('backend_url', 'Direct to backend')] };
    const common = [
      { key: 'path_secret', value: SECRETS.path, type: 'secret' },
      { key: 'query_secret', value: SECRETS.query, type: 'secret' },
      // Overridden with --env-var: the value given there is the secret.
      { key: 'key_secret', value: 'placeholder', type: 'secret' },
    ];
    const environment = (gateway: string) => ({ name: 'e', values: [{ key: 'gateway_url', value: gateway, type: 'secret' }, { key: 'backend_url', value: server.url }, ...common] });
    await writeFile(join(dir, 'c.json'), JSON.stringify(collection));
    // A password in the gateway's userinfo (a variable of no secret type: userinfo is a credential wherever it is).
    await writeFile(join(dir, 'e.json'), JSON.stringify({ name: 'e', values: [{ key: 'gateway_url', value: server.url.replace('http://', `http://ada:${SECRETS.password}@`) }, { key: 'backend_url', value: server.url }, ...common] }));
    // A secret gateway host typed in mixed case: newman and the resolver answer in lower case.
    await writeFile(join(dir, 'host.json'), JSON.stringify(environment(`http://${SECRETS.host}:9`)));
    await writeFile(join(dir, 'bad.json'), JSON.stringify(environment(SECRETS.base)));
  });
  afterAll(async () => {
    await server?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  /** Everything the command printed and every file it wrote (all but the inputs, read recursively). */
  async function everything(io: { text(): string }): Promise<string> {
    const texts = [io.text()];
    const names = await readdir(dir, { recursive: true, withFileTypes: true });
    for (const entry of names) {
      if (!entry.isFile() || (entry.parentPath === dir && inputs.has(entry.name))) continue;
      texts.push(await readFile(join(entry.parentPath, entry.name), 'utf8'));
    }
    return texts.join('\n');
  }

  function leaks(text: string): string[] {
    const lower = text.toLowerCase();
    const decoded = lower.replace(/%25/g, '%');
    return WORDS.filter((word) => lower.includes(word) || decoded.includes(word) || lower.includes(Buffer.from(`ada:${SECRETS.password}`).toString('base64').toLowerCase()));
  }

  const key = `key_secret=${SECRETS.apiKey}`;
  test.each([
    ['run', ['run', 'c.json', '-e', 'e.json', '--env-var', key, '-r', 'cli,json,junit,markdown', '--report-dir', 'out']],
    ['run, secret host', ['run', 'c.json', '-e', 'host.json', '--env-var', key, '-r', 'cli,json,junit,markdown', '--report-dir', 'out']],
    ['ramp', ['ramp', 'c.json', '-e', 'e.json', '--env-var', key, '--max', '1', '--requests-per-step', '6', '--report-dir', 'out']],
    ['ramp, secret host', ['ramp', 'c.json', '-e', 'host.json', '--env-var', key, '--max', '1', '--requests-per-step', '6', '--report-dir', 'out']],
    ['ramp, fast engine, secret host', ['ramp', 'c.json', '-e', 'host.json', '--env-var', key, '--engine', 'fast', '--max', '1', '--requests-per-step', '6', '--report-dir', 'out']],
    ['diagnose (safe methods)', ['diagnose', '-e', 'e.json', '--collection', 'c.json', '--env-var', key, '-r', 'cli,json,markdown,junit', '--report-dir', 'out', '--gateway-idle-timeout', '500ms']],
    ['diagnose, unsafe methods', ['diagnose', '-e', 'e.json', '--collection', 'c.json', '--env-var', key, '--unsafe-methods', '-r', 'cli,json,markdown,junit', '--report-dir', 'out', '--no-keepalive-probe']],
    ['diagnose, secret host', ['diagnose', '-e', 'host.json', '--collection', 'c.json', '--env-var', key, '-r', 'cli,json,markdown,junit', '--report-dir', 'out', '--no-keepalive-probe']],
    ['watch', ['watch', '-e', 'e.json', '--collection', 'c.json', '--env-var', key, '--rate', '4', '--duration', '1s', '--window', '1s', '--arrivals', 'uniform', '--report-dir', 'out']],
    ['export k6', ['export', 'c.json', '--environment', 'e.json', '--env-var', key, '--to', 'k6', '--out', 'out']],
    ['export locust', ['export', 'c.json', '--environment', 'e.json', '--env-var', key, '--to', 'locust', '--out', 'out']],
  ])('%s', async (_name, argv) => {
    await rm(join(dir, 'out'), { recursive: true, force: true });
    await mkdir(join(dir, 'out'));
    const env = { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: join(dir, 'out', 'summary.md'), GITHUB_OUTPUT: join(dir, 'out', 'github-output') };
    const io = captureIo({ cwd: dir, env });
    const code = await main(argv, io);
    expect(code, io.text()).toBeLessThanOrEqual(3);
    expect(code, io.text()).not.toBe(2);
    const all = await everything(io);
    expect(leaks(all), all).toEqual([]);
    // Masked, not dropped: diagnose's probe table says where a secret was (GET /api/***/items).
    if (argv[0] === 'diagnose') expect(all).toContain(MASK);
  }, 60_000);

  test.each([
    ['run', ['run', 'c.json', '-e', 'bad.json']],
    ['ramp', ['ramp', 'c.json', '-e', 'bad.json']],
    ['diagnose', ['diagnose', '-e', 'bad.json', '--collection', 'c.json']],
    ['watch', ['watch', '-e', 'bad.json']],
    ['export', ['export', 'c.json', '--environment', 'bad.json', '--to', 'k6']],
    ['run, --env-var over a secret', ['run', 'c.json', '-e', 'bad.json', '--env-var', `gateway_url=${SECRETS.override}`]],
    ['diagnose, --env-var over a secret', ['diagnose', '-e', 'bad.json', '--env-var', `gateway_url=${SECRETS.override}`]],
    ['run, a password in a URL that is not http(s)', ['run', 'c.json', '-e', 'e.json', '--env-var', `gateway_url=ftp://ada:${SECRETS.password}@127.0.0.1/`]],
    ['diagnose, a password in a URL that is not http(s)', ['diagnose', '-e', 'e.json', '--env-var', `gateway_url=ftp://ada:${SECRETS.password}@127.0.0.1/`]],
  ])('bad input, %s: exit 2 and the error quotes no secret', async (_name, argv) => {
    await rm(join(dir, 'out'), { recursive: true, force: true });
    const io = captureIo({ cwd: dir });
    expect(await main(argv, io)).toBe(2);
    expect(io.err.join('')).toContain(MASK);
    expect(leaks(await everything(io))).toEqual([]);
  }, 30_000);
});

describe('what a secret becomes on its way out', () => {
  test('any case, percent-encoded (in part, twice, + for a space), JSON-escaped, punycode', () => {
    const mask = createMask(['SecretHost-4711.invalid', 'a b/c&d', 'Pass"w\\rd', 'bücher-geheim.example']);
    for (const text of [
      'secrethost-4711.invalid', 'SECRETHOST-4711.INVALID',
      'a%20b%2Fc%26d', 'a%20b%2fc%26d', 'a+b/c%26d', 'a b/c&d', 'a%2520b%252Fc%2526d', 'a b\\/c&d',
      JSON.stringify('Pass"w\\rd').slice(1, -1), 'xn--bcher-geheim-dlb.example', 'BÜCHER-GEHEIM.example',
    ]) expect(mask(`<${text}>`), text).toBe(`<${MASK}>`);
    expect(mask('a b/c')).toBe('a b/c');
  });

  test('a password in a URL\'s userinfo, a lone token@, and the host of a secret URL', () => {
    const secrets = findSecretValues({
      collection: { info: {}, item: [{ request: { url: 'http://svc:{{svc_password}}@127.0.0.1:1/x' } }] },
      environment: { values: [
        { key: 'gateway_url', value: 'http://ada:p%40ss-word@127.0.0.1:8080' },
        { key: 'git', value: 'https://ghp_token1234@example.invalid/' },
        { key: 'svc_password', value: 'svc-secret-99' },
        { key: 'secret_base', value: 'https://Internal-Host.invalid:8443/v1', type: 'secret' },
        { key: 'plain', value: 'http://127.0.0.1:3000' },
        // URL parsing takes the last @ before the host: the password holds the first.
        { key: 'raw_at', value: 'http://bob:at@in-pass99@127.0.0.1/' },
      ] },
    });
    for (const value of ['at@in-pass99', 'p%40ss-word', 'p@ss-word', Buffer.from('ada:p@ss-word').toString('base64'), 'ghp_token1234', 'svc-secret-99', 'internal-host.invalid']) expect(secrets).toContain(value);
    expect(secrets).not.toContain('ada');
    expect(secrets).not.toContain('127.0.0.1');
  });
});
