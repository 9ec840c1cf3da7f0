/**
 * Item 5 of issue 14: deep or truncated JSON is bad input — exit 2 naming the file and where it
 * broke — never a RangeError (exit 3) from whatever walks it.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { captureIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { startHostileServer, type HostileServer } from './servers.js';

let dir: string;
let server: HostileServer;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'debug502-deep-'));
  server = await startHostileServer('ok');
  await writeFile(join(dir, 'env.json'), JSON.stringify({ values: [{ key: 'gateway_url', value: server.url }, { key: 'backend_url', value: server.url }] }));
});
afterAll(async () => {
  await server?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function cli(argv: string[]) {
  const io = captureIo({ cwd: dir });
  const code = await main(argv, io);
  return { code, text: io.text() };
}

function nestedFolders(levels: number): object {
  let item: object = { name: 'List users', request: { method: 'GET', url: '{{gateway_url}}/api/users' } };
  for (let i = 0; i < levels; i++) item = { name: `folder ${i}`, item: [item] };
  return { info: { name: 'deep', schema: 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json' }, item: [item] };
}

/** The same as JSON text, built without JSON.stringify (which overflows at that depth itself). */
function nestedFoldersText(levels: number): string {
  const leaf = JSON.stringify({ name: 'List users', request: { method: 'GET', url: '{{gateway_url}}/api/users' } });
  return `{"info":{"name":"deep"},"item":[${'{"name":"f","item":['.repeat(levels)}${leaf}${']}'.repeat(levels)}]}`;
}

test.each([
  ['truncated {"a": × 10,000', () => '{"a":'.repeat(10_000), /deep.json: nested more than 512 levels deep at line 1, column/],
  ['3,000 nested folders', () => nestedFoldersText(3000), /deep.json: nested more than 512 levels deep/],
  ['a truncated collection', () => JSON.stringify(nestedFolders(3)).slice(0, -7), /deep.json: not valid JSON at line 1, column \d+: the text ends too early/],
])('run --collection with %s: exit 2 naming the file and where, nothing sent', async (_name, text, message) => {
  await writeFile(join(dir, 'deep.json'), text());
  const before = server.received();
  const { code, text: output } = await cli(['run', '--collection', 'deep.json', '--environment', 'env.json', '--report-dir', 'out']);
  expect(output).toMatch(message);
  expect(code).toBe(2);
  expect(output).not.toContain('RangeError');
  expect(server.received()).toBe(before);
});

test('report --from a ramp.json nested 10,000 deep, and generate from such a config: exit 2', async () => {
  await writeFile(join(dir, 'ramp.json'), '['.repeat(10_000));
  const report = await cli(['report', '--from', 'ramp.json']);
  expect(report.code).toBe(2);
  expect(report.text).toMatch(/ramp.json: nested more than 512 levels deep/);
  await writeFile(join(dir, 'deep.config.json'), '{"a":'.repeat(10_000));
  const generate = await cli(['generate', '--config', 'deep.config.json', '--out', 'gen']);
  expect(generate.code).toBe(2);
  expect(generate.text).toMatch(/deep.config.json: nested more than 512 levels deep/);
  await writeFile(join(dir, 'deep.config.yaml'), 'a: ' + '{a: '.repeat(10_000));
  const yaml = await cli(['generate', '--config', 'deep.config.yaml', '--out', 'gen']);
  expect(yaml.code).toBe(2);
  expect(yaml.text).not.toContain('RangeError');
});

test('a collection nested 200 folders deep still runs', async () => {
  await writeFile(join(dir, 'nested.json'), JSON.stringify(nestedFolders(200)));
  const before = server.received();
  const { code, text } = await cli(['run', '--collection', 'nested.json', '--environment', 'env.json', '--report-dir', 'out-nested']);
  expect(text).not.toContain('RangeError');
  expect(code).toBeLessThanOrEqual(1);
  expect(server.received()).toBe(before + 1);
}, 30_000);
