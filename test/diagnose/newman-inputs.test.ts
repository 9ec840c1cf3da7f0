/**
 * newman's input flags on diagnose (one shared definition with run and ramp): --env-var alone gives
 * the URLs, --folder picks the collection's requests (the health request still found), -g and -d
 * fill its variables, --timeout-request bounds each probe; -k is accepted. And the newman flags
 * ramp and diagnose refuse say why (exit 2, nothing sent) instead of "Unknown argument".
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { startTinyServer, type TinyServer } from '../generate/helpers.js';
import { checkJunitXml } from '../report/junit-schema.js';
import { tempDir } from './helpers/files.js';

const dir = tempDir();
let server: TinyServer;
beforeAll(async () => { server = await startTinyServer(200); });
afterAll(async () => { await server.close(); rmSync(dir, { recursive: true, force: true }); });

async function cli(...argv: string[]) {
  const io = captureIo({ cwd: dir });
  const code = await main(argv, io);
  return { code, out: io.out.join(''), err: io.err.join('') };
}

/** Two folders per route ("Users" with a {{user}} path, "Orders"), and a health request. */
function writeFolderCollection(): string {
  const request = (route: string, name: string, path: string) => ({ name, request: { method: 'GET', url: `{{${route}}}${path}` } });
  const route = (name: string, variable: string) => ({
    name,
    item: [
      { name: 'Users', item: [request(variable, 'Get user', '/users/{{user}}?key={{api_key}}')] },
      { name: 'Orders', item: [request(variable, 'List orders', '/orders')] },
    ],
  });
  const file = join(dir, 'folders.postman_collection.json');
  writeFileSync(file, JSON.stringify({
    info: { name: 'Folders', schema: 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json' },
    item: [route('Through gateway', 'gateway_url'), route('Direct to backend', 'backend_url'), { name: 'Backend health', item: [request('backend_url', 'Health', '/health')] }],
  }));
  return file;
}

describe('diagnose takes newman\'s input flags', () => {
  it('--env-var alone gives the URLs; --folder, -g, -d (first row) and --timeout-request shape the probes; -k is accepted', async () => {
    const collection = writeFolderCollection();
    writeFileSync(join(dir, 'users.csv'), 'user\nada\nbob\n');
    writeFileSync(join(dir, 'g.postman_globals.json'), JSON.stringify({ values: [{ key: 'api_key', value: 'k1' }] }));
    server.requests.length = 0;
    const { code, out, err } = await cli(
      'diagnose', '--env-var', `gateway_url=${server.url}`, '--env-var', `backend_url=${server.url}`,
      '--collection', collection, '--folder', 'Users', '-g', 'g.postman_globals.json', '-d', 'users.csv',
      '--timeout-request', '2s', '-k', '--no-keepalive-probe', '-r', 'json,junit', '--report-dir', 'out',
    );
    expect(err).toBe('');
    expect(code).toBe(0);
    const report = JSON.parse(readFileSync(join(dir, 'out', 'diagnose.json'), 'utf8'));
    const http = report.probes.filter((p: { kind: string }) => p.kind === 'direct-vs-gateway').map((p: { request: string }) => p.request);
    expect(http).toEqual(['GET /users/ada?key=k1', 'GET /users/ada?key=k1']);
    expect(report.probes.some((p: { kind: string }) => p.kind === 'health')).toBe(true);
    expect(server.requests.map((r) => r.url).sort()).toEqual(['/health', '/users/ada?key=k1', '/users/ada?key=k1']);
    expect(out).toBe('');
    expect(checkJunitXml(readFileSync(join(dir, 'out', 'diagnose.junit.xml'), 'utf8'))).toEqual([]);
  });

  it('bad combinations are exit 2 before any probe, naming the option', async () => {
    server.requests.length = 0;
    const half = await cli('diagnose', '--env-var', `gateway_url=${server.url}`);
    expect(half.code).toBe(2);
    expect(half.err).toContain('--env-var backend_url: missing or empty');
    const folderAlone = await cli('diagnose', '--env-var', `gateway_url=${server.url}`, '--env-var', `backend_url=${server.url}`, '--folder', 'Users');
    expect(folderAlone.code).toBe(2);
    expect(folderAlone.err).toContain('give --collection');
    const noFolder = await cli('diagnose', '--env-var', `gateway_url=${server.url}`, '--env-var', `backend_url=${server.url}`, '--collection', writeFolderCollection(), '--folder', 'Nope');
    expect(noFolder.code).toBe(2);
    expect(noFolder.err).toContain('--folder "Nope": no folder or request of that name in "Through gateway"');
    const timeout = await cli('diagnose', '--env-var', `gateway_url=${server.url}`, '--env-var', `backend_url=${server.url}`, '--timeout-request', 'soon');
    expect(timeout.code).toBe(2);
    expect(timeout.err).toContain('--timeout-request');
    expect(server.requests).toEqual([]);
  });
});

describe('watch takes them too', () => {
  it('--env-var alone, --folder, -d (first row), -g and --timeout-request; the report names the overrides', async () => {
    const collection = writeFolderCollection();
    writeFileSync(join(dir, 'users.json'), '[{"user":"cy"},{"user":"dee"}]');
    server.requests.length = 0;
    const { code, err } = await cli(
      'watch', '--env-var', `gateway_url=${server.url}`, '--env-var', `backend_url=${server.url}`, '--collection', collection,
      '--folder', 'Users', '-d', 'users.json', '--global-var', 'api_key=k2', '--timeout-request', '1s', '-k',
      '--rate', '4/s', '--duration', '1s', '--window', '1s', '--arrivals', 'uniform', '-r', 'json', '--report-dir', 'w',
    );
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(new Set(server.requests.map((r) => r.url))).toEqual(new Set(['/users/cy?key=k2']));
    expect(server.requests).toHaveLength(8);
    const report = JSON.parse(readFileSync(join(dir, 'w', 'watch.json'), 'utf8'));
    expect(report.meta).toMatchObject({ collection: 'folders.postman_collection.json', environment: '--env-var gateway_url, backend_url' });
    expect(report.meta.options.timeoutRequestMs).toBe(1000);
  });
});

describe('newman flags a command does not take say why', () => {
  it.each([
    ['ramp', ['--bail'], 'ramp does not take --bail', '--threshold 0'],
    ['ramp', ['-n', '3'], 'ramp does not take --iteration-count', '--requests-per-step'],
    ['ramp', ['--delay-request', '100'], 'ramp does not take --delay-request', '--mode rate'],
    ['ramp', ['--verbose'], 'ramp does not take --verbose', 'debug502 run --verbose'],
    ['diagnose', ['--bail'], 'diagnose does not take --bail', 'drop --bail'],
    ['diagnose', ['-n', '2'], 'diagnose does not take --iteration-count', 'debug502 watch'],
    ['watch', ['--bail'], 'watch does not take --bail', '--threshold 0'],
    ['watch', ['--delay-request', '50'], 'watch does not take --delay-request', '--rate'],
  ])('%s %j', async (command, flags, message, hint) => {
    server.requests.length = 0;
    const args = command === 'ramp'
      ? ['ramp', '--collection', writeFolderCollection(), '--env-var', `gateway_url=${server.url}`, ...flags]
      : [command, '--env-var', `gateway_url=${server.url}`, '--env-var', `backend_url=${server.url}`, ...flags];
    const { code, err } = await cli(...args);
    expect(code).toBe(2);
    expect(err).toContain(message);
    expect(err).toContain(hint);
    expect(server.requests).toEqual([]);
  });

  it('--help lists them with the reason', async () => {
    const { out } = await cli('ramp', '--help');
    expect(out).toContain('Newman flags not taken here, and why:');
    expect(out).toMatch(/--bail: a ramp is there to see requests fail/);
  });
});
