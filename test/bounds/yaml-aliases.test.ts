/**
 * Issue 29, major 8: a YAML alias bomb — in an environment, an OpenAPI document (generate and init
 * --from-openapi), a v3 collection file or the config — is exit 2 naming the file, never exit 3 with
 * a stack trace. Every YAML goes through postman/parse-yaml.ts: yaml's alias count, and a bound on
 * what the aliases expand the document to (YAML_EXPANSION_FACTOR) that yaml's count does not give.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, test } from 'vitest';
import { MAX_YAML_ALIASES, parseYamlText, YAML_EXPANSION_FACTOR } from '../../src/postman/parse-yaml.js';
import { pairedCollectionJson, runCliIn } from './inputs.js';
import { startHostileServer, type HostileServer } from './servers.js';

/** "Billion laughs": 9 aliases of 9 aliases, 9 levels deep — 387,420,489 strings from under 1 KB. */
const LAUGHS = [
  'a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
  ...Array.from({ length: 9 }, (_, i) => `a${i + 1}: &a${i + 1} [${Array(9).fill(`*a${i}`).join(',')}]`),
].join('\n') + '\n';

/** 1 MB aliased 1,000 times: yaml's alias count (each alias once) lets it through; 1 GB once expanded. */
const WIDE = `big: &big "${'x'.repeat(1_000_000)}"\nmany:\n${'  - *big\n'.repeat(1000)}`;

let dir: string;
let server: HostileServer;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'debug502-yaml-'));
  server = await startHostileServer('ok');
  await writeFile(join(dir, 'c.json'), pairedCollectionJson('Users', (variable) => ({ method: 'GET', url: `{{${variable}}}/users` })));
});
afterAll(async () => {
  await server?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const cli = (argv: string[]) => runCliIn(dir, argv);

const URLS = ['--gateway-url', 'http://127.0.0.1:1', '--backend-url', 'http://127.0.0.1:2'];

describe.each([
  ['billion laughs', LAUGHS, `its aliases (*name) are expanded more than ${MAX_YAML_ALIASES.toLocaleString('en-US')} times (an alias bomb?)`],
  ['1 MB aliased 1,000 times', WIDE, `its aliases (*name) expand it to more than ${YAML_EXPANSION_FACTOR} times its size (an alias bomb?)`],
])('%s: exit 2 naming the file, no stack, nothing sent', (_name, bomb, message) => {
  test.each([
    ['run -e env.yaml', 'env.yaml', `${bomb}name: x\nvalues: []\n`, () => ['run', 'c.json', '-e', 'env.yaml', '--env-var', `gateway_url=${server.url}`, '--env-var', `backend_url=${server.url}`]],
    ['generate --from-openapi', 'openapi.yaml', `openapi: 3.0.0\ninfo: {title: t, version: "1"}\npaths: {}\n${bomb}`, () => ['generate', '--from-openapi', 'openapi.yaml', ...URLS, '--out', 'gen']],
    ['init --from-openapi', 'openapi.yaml', `openapi: 3.0.0\ninfo: {title: t, version: "1"}\npaths: {}\n${bomb}`, () => ['init', '--from-openapi', 'openapi.yaml', ...URLS, '--config', 'init.yaml']],
    ['generate --config', 'bomb.config.yaml', `${bomb}environments: {}\n`, () => ['generate', '--config', 'bomb.config.yaml', '--out', 'gen']],
    ['a v3 request file', 'v3/Users.request.yaml', `$kind: http-request\nurl: "{{gateway_url}}/users"\n${bomb}`, () => ['run', 'v3', '--env-var', `gateway_url=${server.url}`, '--env-var', `backend_url=${server.url}`]],
  ])('%s', async (_what, file, text, argv) => {
    await mkdir(join(dir, 'v3', '.resources'), { recursive: true });
    await writeFile(join(dir, 'v3', '.resources', 'definition.yaml'), '$kind: collection\nname: v3\n');
    await writeFile(join(dir, file), text);
    const before = server.received();
    const { code, text: output } = await cli(argv());
    expect(output).toContain(`${file}: ${message}`);
    expect(code).toBe(2);
    expect(output).not.toMatch(/ReferenceError|\n\s+at /);
    expect(server.received()).toBe(before);
  }, 30_000);
});

describe('parseYamlText: the one YAML parser', () => {
  it('reads anchors and aliases a real document uses (a config sharing its headers 200 times)', () => {
    const text = `shared: &headers {accept: application/json, x-team: payments}\nendpoints:\n${Array.from({ length: 200 }, (_, i) => `  - {name: e${i}, path: /e${i}, headers: *headers}\n`).join('')}`;
    const { value, errors } = parseYamlText(text);
    expect(errors).toEqual([]);
    expect((value as { endpoints: unknown[] }).endpoints).toHaveLength(200);
    expect((value as { endpoints: unknown[] }).endpoints[199]).toEqual({ name: 'e199', path: '/e199', headers: { accept: 'application/json', 'x-team': 'payments' } });
  });

  it('names the line and column of a syntax error and never quotes the text', () => {
    const { errors } = parseYamlText('name: TOPSECRET-4711\nvalues: [\n');
    expect(errors[0]).toMatch(/^not valid YAML at line \d+, column \d+: /);
    expect(errors.join('\n')).not.toContain('TOPSECRET');
  });

  it('refuses flow collections nested deeper than 512 levels before the parser overflows', () => {
    expect(parseYamlText(`a: ${'['.repeat(10_000)}`).errors).toEqual(['nested more than 512 levels deep at line 1, column 516']);
  });

  it('a self-referencing alias (a cycle) is refused as a bomb, not walked for ever', () => {
    const { errors } = parseYamlText('a: &a\n  b: *a\n');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/its aliases/);
  });
});
