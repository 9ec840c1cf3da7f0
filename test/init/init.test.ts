/**
 * `debug502 init`: a commented starter config that generate reads as it is, refusing to replace a
 * file without --force, seeded from a collection or an OpenAPI document, exit 2 and nothing
 * written for bad input.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { captureIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { loadConfig } from '../../src/config/index.js';
import { REPO_ROOT } from '../generate/helpers.js';

const root = mkdtempSync(join(tmpdir(), 'debug502-init-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
/** A new empty directory for one case. */
function freshDir(): string {
  const dir = join(root, String(n++));
  mkdirSync(dir, { recursive: true });
  return dir;
}

async function cli(cwd: string, ...argv: string[]) {
  const io = captureIo({ cwd });
  const code = await main(argv, io);
  return { code, out: io.out.join(''), err: io.err.join('') };
}

describe('debug502 init', () => {
  it('writes a commented starter that generate reads; refuses to replace it without --force', async () => {
    const dir = freshDir();
    const first = await cli(dir, 'init');
    expect(first.code).toBe(0);
    expect(first.out).toContain('wrote debug502.config.yaml');
    expect(first.out).toContain('npx debug502 generate');
    const file = join(dir, 'debug502.config.yaml');
    const text = readFileSync(file, 'utf8');
    expect(text).toMatch(/^# debug502 config/);
    const config = await loadConfig(file);
    expect(config.environments.local).toMatchObject({ gateway_url: 'http://127.0.0.1:8080', backend_url: 'http://127.0.0.1:3000' });
    expect(config.endpoints.map((e) => e.name)).toEqual(['List users', 'Get user']);
    expect((await cli(dir, 'generate')).code).toBe(0);
    expect(existsSync(join(dir, 'collections', '502-debugging.postman_collection.json'))).toBe(true);

    writeFileSync(file, '# mine\n');
    const again = await cli(dir, 'init', '--gateway-url', 'https://gw.example.com', '--backend-url', 'http://10.0.0.5:3000');
    expect(again.code).toBe(2);
    expect(again.err).toContain('debug502.config.yaml: already exists');
    expect(readFileSync(file, 'utf8')).toBe('# mine\n');
    expect((await cli(dir, 'init', '--force', '--gateway-url', 'https://gw.example.com', '--backend-url', 'http://10.0.0.5:3000')).code).toBe(0);
    expect((await loadConfig(file)).environments.local.gateway_url).toBe('https://gw.example.com');
  });

  it('--from-openapi and --from-collection list the source\'s endpoints (path variables as 1); the health request becomes health', async () => {
    const dir = freshDir();
    writeFileSync(join(dir, 'openapi.yaml'), [
      'openapi: 3.0.3',
      'info: { title: Shop, version: "1" }',
      'servers: [{ url: "https://api.shop.example" }]',
      'paths:',
      '  /orders:',
      '    get: { summary: List orders, parameters: [{ name: limit, in: query, schema: { type: integer, example: 5 } }], responses: { "200": { description: ok } } }',
      '    post: { summary: Create order, responses: { "201": { description: created } } }',
      '  /orders/{id}:',
      '    get: { summary: Get order, parameters: [{ name: id, in: path, required: true, schema: { type: string } }], responses: { "200": { description: ok } } }',
    ].join('\n'));
    const spec = await cli(dir, 'init', '--from-openapi', 'openapi.yaml', '--config', 'shop.yaml');
    expect(spec.err).toBe('');
    expect(spec.code).toBe(0);
    expect(spec.out).toContain('3 endpoints from openapi.yaml');
    expect(spec.out).toContain('npx debug502 generate --from-openapi openapi.yaml');
    const config = await loadConfig(join(dir, 'shop.yaml'));
    expect(config.endpoints.map((e) => `${e.method} ${e.path}`).sort()).toEqual(['GET /orders', 'GET /orders/1', 'POST /orders']);
    expect((await cli(dir, 'generate', '--config', 'shop.yaml')).code).toBe(0);

    const own = await cli(dir, 'init', '--from-collection', join(REPO_ROOT, 'collections', '502-debugging.postman_collection.json'));
    expect(own.code).toBe(0);
    const seeded = await loadConfig(join(dir, 'debug502.config.yaml'));
    expect(seeded.health?.path).toBe('/health');
    expect(seeded.endpoints.map((e) => e.name)).toEqual(['List users', 'Get user', 'Create user']);
  });

  it('bad input is exit 2 and writes nothing', async () => {
    const dir = freshDir();
    for (const argv of [['--gateway-url', 'http://gw'], ['--gateway-url', 'ftp://gw', '--backend-url', 'http://b'], ['--from-collection', 'nope.json'], ['--from-collection', 'a.json', '--from-openapi', 'b.yaml']]) {
      const { code, err } = await cli(dir, 'init', ...argv);
      expect(code, argv.join(' ')).toBe(2);
      expect(err).toMatch(/error: /);
    }
    expect(existsSync(join(dir, 'debug502.config.yaml'))).toBe(false);
  });
});
