import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findConfigFile, loadConfig } from '../../src/config/index.js';
import { InputError } from '../../src/errors.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'debug502-config-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function write(name: string, text: string): Promise<string> {
  const path = join(dir, name);
  await mkdir(join(path, '..'), { recursive: true });
  await writeFile(path, text);
  return path;
}

/** The InputError loadConfig throws for `path` (fails the test when it loads). */
async function errorOf(path: string): Promise<InputError> {
  const error = await loadConfig(path).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(InputError);
  return error as InputError;
}

const YAML = `# a comment
name: Shop
environments:
  local:
    gateway_url: http://127.0.0.1:8080
    backend_url: http://127.0.0.1:3000
    secrets: [api_token]
health:
  path: /health
endpoints:
  - name: List users
    path: /api/users
    query: { page: 1 }
    headers: { Accept: application/json }
    expectStatus: 200
  - name: Create user
    method: post
    path: /api/users
    body:
      name: Ada
`;

const JSON_TEXT = JSON.stringify(
  {
    name: 'Shop',
    environments: { local: { gateway_url: 'http://127.0.0.1:8080', backend_url: 'http://127.0.0.1:3000', secrets: ['api_token'] } },
    health: { path: '/health' },
    endpoints: [
      { name: 'List users', path: '/api/users', query: { page: '1' }, headers: { Accept: 'application/json' }, expectStatus: 200 },
      { name: 'Create user', method: 'POST', path: '/api/users', body: { name: 'Ada' } },
    ],
  },
  null,
  2,
);

describe('loadConfig', () => {
  it('reads YAML and JSON into the same ResolvedConfig', async () => {
    const fromYaml = await loadConfig(await write('same.yaml', YAML));
    const fromJson = await loadConfig(await write('same.json', JSON_TEXT));
    expect(fromYaml).toEqual(fromJson);
    expect(fromYaml.health).toEqual({ path: '/health', method: 'GET' });
    expect(fromYaml.endpoints[1]).toEqual({ name: 'Create user', method: 'POST', path: '/api/users', query: {}, headers: {}, body: { name: 'Ada' } });
  });

  it('lists every schema problem of a YAML file with its path and line, in file order', async () => {
    const file = await write(
      'broken.yaml',
      `colour: red
environments:
  lab:
    gateway_url: ftp://127.0.0.1:8080
    backend_url: http://127.0.0.1:3000
endpoints:
  - name: List users
    path: api/users
    method: FETCH
  - path: /x
`,
    );
    const error = await errorOf(file);
    expect(error.message).toBe(`${file}: 5 problems in the config`);
    expect(error.problems).toEqual([
      'colour: unknown key (line 1)',
      'environments.lab.gateway_url: must be an http(s) URL without query or fragment, e.g. http://127.0.0.1:8080 (line 4)',
      'endpoints[0].path: must start with "/" (line 8)',
      'endpoints[0].method: must be one of GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS (line 9)',
      // A missing key points at the mapping where it belongs.
      'endpoints[1].name: required (line 10)',
    ]);
  });

  it('gives lines for the problems of a JSON file too', async () => {
    const file = await write('broken.json', '{\n  "environments": {"local": {"gateway_url": "x", "backend_url": "http://b"}},\n  "endpoints": [\n    {"name": "a", "path": "/a", "colour": 1}\n  ]\n}\n');
    expect((await errorOf(file)).problems).toEqual([
      'environments.local.gateway_url: must be an http(s) URL without query or fragment, e.g. http://127.0.0.1:8080 (line 2)',
      'endpoints[0].colour: unknown key (line 4)',
    ]);
  });

  it('reports a YAML syntax error with file, line and column', async () => {
    const file = await write('syntax.yaml', 'name: x\nenvironments:\n  local: {gateway_url: http://a\nendpoints: []\n');
    const error = await errorOf(file);
    expect(error.message).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: not valid YAML at line \\d+, column \\d+: `));
    expect(error.exitCode).toBe(2);
    expect(error.hint).toMatch(/syntax/);
    // A tab where indentation is expected: one error, on line 3.
    const tabbed = await errorOf(await write('tabs.yaml', 'environments:\n  local:\n\tgateway_url: http://a\n'));
    expect(tabbed.message).toContain('not valid YAML at line 3, column 1');
  });

  it('reports a duplicate key as a YAML error on its line', async () => {
    const error = await errorOf(await write('dup.yaml', 'name: a\nendpoints: []\nname: b\n'));
    expect(error.message).toContain('not valid YAML at line 3, column 1');
    expect(error.message).toMatch(/unique/i);
  });

  it('reports a JSON syntax error with file, line and column', async () => {
    const file = await write('syntax.json', '{\n  "name": "x",\n  "endpoints": [,]\n}\n');
    const error = await errorOf(file);
    expect(error.message).toBe(`${file}: not valid JSON at line 3, column 17: unexpected ","`);
  });

  it('says so when the file is empty, missing, or a directory', async () => {
    const empty = await write('empty.yaml', '# nothing but a comment\n');
    expect((await errorOf(empty)).problems).toEqual(['(top level): needs at least "environments" and "endpoints"']);
    const missing = join(dir, 'nope.yaml');
    const notFound = await errorOf(missing);
    expect(notFound.message).toBe(`${missing}: config file not found`);
    expect(notFound.hint).toContain('--config');
    expect((await errorOf(dir)).message).toBe(`${dir}: is a directory, not a config file`);
  });

  it('names the file as the caller shows it', async () => {
    const file = await write('shown.yaml', 'colour: 1\n');
    const error = await loadConfig(file, 'shown.yaml').catch((e: InputError) => e);
    expect((error as InputError).message).toBe('shown.yaml: 3 problems in the config');
  });
});

describe('findConfigFile', () => {
  it('prefers debug502.config.yaml, then .json, in the given directory', async () => {
    const both = join(dir, 'both');
    await write('both/debug502.config.json', JSON_TEXT);
    expect(findConfigFile(both)).toBe(join(both, 'debug502.config.json'));
    await write('both/debug502.config.yaml', YAML);
    expect(findConfigFile(both)).toBe(join(both, 'debug502.config.yaml'));
  });

  it('throws an InputError listing where it looked', async () => {
    const none = join(dir, 'none');
    await mkdir(none, { recursive: true });
    expect(() => findConfigFile(none)).toThrow(InputError);
    try {
      findConfigFile(none);
    } catch (error) {
      expect((error as InputError).message).toBe(`no config file in ${none}`);
      expect((error as InputError).problems.join()).toContain('debug502.config.yaml');
      expect((error as InputError).problems.join()).toContain('debug502.config.json');
    }
  });
});
