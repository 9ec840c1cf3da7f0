import { existsSync, readFileSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { REPO_ROOT, expectValidCollection } from './helpers.js';

let root: string;
let counter = 0;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'debug502-generate-cli-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** A fresh empty working directory for one test. */
async function workDir(): Promise<string> {
  const dir = join(root, `case-${++counter}`);
  await mkdir(dir);
  return dir;
}

async function run(cwd: string, ...argv: string[]) {
  const io = captureIo({ cwd });
  const code = await main(['generate', ...argv], io);
  return { code, stdout: io.out.join(''), stderr: io.err.join('') };
}

describe('debug502 generate', () => {
  it('finds debug502.config.yaml in the working directory, writes under it and prints the paths', async () => {
    const cwd = await workDir();
    await copyFile(join(REPO_ROOT, 'debug502.config.yaml'), join(cwd, 'debug502.config.yaml'));
    const { code, stdout, stderr } = await run(cwd);
    expect(code).toBe(0);
    expect(stdout).toBe('collections/502-debugging.postman_collection.json\nenvironments/local.postman_environment.json\n');
    expect(stderr).toContain('newman run collections/502-debugging.postman_collection.json -e environments/local.postman_environment.json');
    // The same bytes as the committed output.
    for (const file of stdout.trim().split('\n')) {
      expect(readFileSync(join(cwd, file), 'utf8')).toBe(readFileSync(join(REPO_ROOT, file), 'utf8'));
    }
  });

  it('takes --config (JSON) and --out, creating the directory', async () => {
    const cwd = await workDir();
    await writeFile(
      join(cwd, 'api.json'),
      JSON.stringify({
        name: 'Orders API',
        environments: { dev: { gateway_url: 'http://127.0.0.1:1', backend_url: 'http://127.0.0.1:2' }, prod: { gateway_url: 'https://gw.invalid', backend_url: 'https://be.invalid' } },
        endpoints: [{ name: 'Orders', path: '/orders' }],
      }),
    );
    const { code, stdout } = await run(cwd, '--config', 'api.json', '--out', 'build/postman');
    expect(code).toBe(0);
    expect(stdout.trim().split('\n')).toEqual([
      'build/postman/collections/orders-api.postman_collection.json',
      'build/postman/environments/dev.postman_environment.json',
      'build/postman/environments/prod.postman_environment.json',
    ]);
    const collection = JSON.parse(readFileSync(join(cwd, 'build/postman/collections/orders-api.postman_collection.json'), 'utf8'));
    expectValidCollection(collection);
  });

  it('prints absolute paths for an output directory outside the working directory', async () => {
    const cwd = await workDir();
    const out = await workDir();
    await copyFile(join(REPO_ROOT, 'debug502.config.yaml'), join(cwd, 'debug502.config.yaml'));
    const { code, stdout } = await run(cwd, '--out', out);
    expect(code).toBe(0);
    expect(stdout.trim().split('\n')).toEqual([join(out, 'collections/502-debugging.postman_collection.json'), join(out, 'environments/local.postman_environment.json')]);
  });

  it('exits 2 on a broken config, naming the file and every problem with its path and line, and writes nothing', async () => {
    const cwd = await workDir();
    await writeFile(
      join(cwd, 'broken.yaml'),
      `colour: blue
environments:
  lab:
    gateway_url: not-a-url
    backend_url: http://127.0.0.1:3000
endpoints:
  - name: List users
    path: api/users
  - name: List users
    path: /other
    expectStatus: 999
`,
    );
    const { code, stdout, stderr } = await run(cwd, '--config', 'broken.yaml', '--out', 'out');
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe(
      [
        'error: broken.yaml: 5 problems in the config',
        '  - colour: unknown key (line 1)',
        '  - environments.lab.gateway_url: must be an http(s) URL without query or fragment, e.g. http://127.0.0.1:8080 (line 4)',
        '  - endpoints[0].path: must start with "/" (line 8)',
        '  - endpoints[1].name: duplicate of endpoints[0].name ("List users"): names pair the gateway and backend requests (line 9)',
        '  - endpoints[1].expectStatus: must be an HTTP status code (100–599) (line 11)',
        'hint: fix the problems listed above; the config reference is in README.md ("Config")',
        '',
      ].join('\n'),
    );
    expect(await readdir(cwd)).toEqual(['broken.yaml']);
  });

  it('exits 2 on a YAML syntax error, with file, line and column, and writes nothing', async () => {
    const cwd = await workDir();
    await writeFile(join(cwd, 'debug502.config.yaml'), 'environments:\n  local:\n\tgateway_url: http://a\n');
    const { code, stderr } = await run(cwd);
    expect(code).toBe(2);
    expect(stderr).toContain('error: debug502.config.yaml: not valid YAML at line 3, column 1');
    expect(await readdir(cwd)).toEqual(['debug502.config.yaml']);
  });

  it('exits 2 when there is no config to find, or the named one is missing', async () => {
    const cwd = await workDir();
    const none = await run(cwd);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain(`error: no config file in ${cwd}`);
    expect(none.stderr).toContain('debug502.config.yaml');
    const missing = await run(cwd, '--config', 'missing.yaml');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('error: missing.yaml: config file not found');
    expect(existsSync(join(cwd, 'collections'))).toBe(false);
  });

  it('is listed by --help', async () => {
    const io = captureIo();
    expect(await main(['--help'], io)).toBe(0);
    expect(io.out.join('')).toMatch(/debug502 generate\s+Write the "502 Debugging" Postman collection/);
  });
});
