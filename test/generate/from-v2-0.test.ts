/**
 * Postman v2.0 collections, end to end (issue 27, item 1: every v2.0 collection was refused with
 * "no conversion path found"): real v2.0 exports (test/fixtures/collections-v2.0) →
 * `debug502 generate --from-collection` → plain `newman run` through real nginx to a recording
 * backend on 127.0.0.1, every request arriving twice; and a 502 Debugging collection saved as v2.0
 * (auth parameters as objects) taken by run, ramp, diagnose, watch and export.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import transformer from 'postman-collection-transformer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import type { RunningGateway } from '../../src/lab/gateway.js';
import { findNginx, startNginx } from '../../src/lab/nginx.js';
import { NO_502_TEST } from '../../src/model.js';
import { REPO_ROOT, startTinyServer, type RecordedRequest, type TinyServer } from './helpers.js';

const V20 = fileURLToPath(new URL('../fixtures/collections-v2.0/', import.meta.url));
const NGINX = findNginx();
const NEWMAN = join(REPO_ROOT, 'node_modules', '.bin', 'newman');
if (!NGINX) console.log('skipped: nginx is not installed (apt-get install -y nginx-light, or NGINX_BIN)');

let root: string;
let backend: TinyServer;
let gateway: RunningGateway;
let counter = 0;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'debug502-from-v2-0-'));
  if (!NGINX) return;
  backend = await startTinyServer(200);
  gateway = await startNginx({ upstream: `127.0.0.1:${backend.port}` });
});
afterAll(async () => {
  await gateway?.close();
  await backend?.close();
  await rm(root, { recursive: true, force: true });
});

async function generateFrom(file: string) {
  const out = join(root, `case-${++counter}`);
  const io = captureIo({ cwd: root });
  const code = await main(['generate', '--from-collection', file, '--gateway-url', gateway.url, '--backend-url', backend.url, '--out', out], io);
  const stderr = io.err.join('');
  expect(code, stderr).toBe(0);
  const collectionFile = join(out, 'collections', (await readdir(join(out, 'collections')))[0]);
  return { collectionFile, environmentFile: join(out, 'environments', 'local.postman_environment.json'), stderr, collection: JSON.parse(readFileSync(collectionFile, 'utf8')) };
}

async function newmanRun(collectionFile: string, environmentFile: string) {
  const report = join(root, `newman-${++counter}.json`);
  const args = ['run', collectionFile, '-e', environmentFile, '--reporters', 'json', '--reporter-json-export', report, '--timeout-request', '5000'];
  await promisify(execFile)(NEWMAN, args, { timeout: 120_000, maxBuffer: 16 * 1024 * 1024 }).catch(() => undefined);
  const json = JSON.parse(readFileSync(report, 'utf8')) as { run: { executions: { assertions?: { assertion: string }[] }[] } };
  return json.run.executions;
}

const arrivals = (): RecordedRequest[] => backend.requests.splice(0);
/** `METHOD /path` → how many times it arrived (the query left out: an oauth1 signature differs per host). */
function countBy(requests: RecordedRequest[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const r of requests) {
    const key = `${r.method} ${r.url.split('?')[0]}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

/** A v2.1 collection written back as v2.0, as an older Postman app exports it: the v2.0 schema, auth parameters as objects. */
function asV20(collection: Record<string, any>): Record<string, any> {
  const copy = structuredClone(collection);
  const convert = (entity: Record<string, any>) => {
    if (entity.auth && Array.isArray(entity.auth[entity.auth.type])) entity.auth = transformer.util.authArrayToMap({ auth: entity.auth });
  };
  const walk = (items: Record<string, any>[]) => {
    for (const item of items) {
      convert(item);
      if (item.request && typeof item.request === 'object') convert(item.request);
      if (Array.isArray(item.item)) walk(item.item);
    }
  };
  convert(copy);
  walk(copy.item);
  copy.info.schema = 'https://schema.getpostman.com/json/collection/v2.0.0/collection.json';
  return copy;
}

const live = NGINX ? describe : describe.skip;

live('v2.0 collections: generate --from-collection, then plain newman run through nginx', () => {
  it.each([
    ['twitter.json', 'https://api.twitter.com', 18],
    ['echo.json', 'https://echo.postman.com', 23],
    ['multi-level-folders.json', 'https://postman-echo.com', 6],
    ['nestedEntities.json', 'https://postman-echo.com', 2],
  ])('%s: converted, rebased from %s, every one of its %i requests sent twice', async (name, base, requests) => {
    const { collectionFile, environmentFile, stderr } = await generateFrom(join(V20, name));
    expect(stderr).toMatch(/collection v2\.0, converted to v2\.1/);
    expect(stderr).toContain(`base ${base} (${requests} request`);
    arrivals();
    const executions = await newmanRun(collectionFile, environmentFile);
    const seen = arrivals();
    expect(seen).toHaveLength(2 * requests);
    for (const [request, count] of countBy(seen)) expect(count % 2, request).toBe(0);
    const assertions = executions.flatMap((e) => (e.assertions ?? []).map((a) => a.assertion));
    expect(assertions.filter((a) => a === NO_502_TEST)).toHaveLength(2 * requests);
  });

  it('nestedEntities.json keeps its basic auth through the conversion: the backend sees it on both routes', async () => {
    const { collectionFile, environmentFile } = await generateFrom(join(V20, 'nestedEntities.json'));
    arrivals();
    await newmanRun(collectionFile, environmentFile);
    const basic = arrivals().filter((r) => String(r.headers.authorization ?? '').startsWith('Basic '));
    expect(basic.length).toBeGreaterThanOrEqual(2);
    expect(basic.length % 2).toBe(0);
  });
});

live('a 502 Debugging collection saved as v2.0: run, ramp, diagnose, watch and export take it', () => {
  let v20File: string;
  let environmentFile: string;
  beforeAll(async () => {
    // Its own request scripts dropped, so that the fast engine and export, which run none, take it too.
    const source = JSON.parse(readFileSync(join(V20, 'multi-level-folders.json'), 'utf8'));
    const dropScripts = (items: Record<string, any>[]) => items.forEach((item) => (Array.isArray(item.item) ? dropScripts(item.item) : delete item.event));
    dropScripts(source.item);
    await writeFile(join(root, 'multi-level-folders-no-scripts.json'), JSON.stringify(source));
    const generated = await generateFrom(join(root, 'multi-level-folders-no-scripts.json'));
    environmentFile = generated.environmentFile;
    const v20 = asV20(generated.collection);
    // A collection-level basic auth, as a v2.0 object: it must reach the wire on every request.
    v20.auth = { type: 'basic', basic: { username: 'ada', password: 'pw-4711' } };
    v20File = join(root, 'debugging-v2.0.json');
    await writeFile(v20File, JSON.stringify(v20));
  });
  const basicOf = (r: RecordedRequest) => r.headers.authorization === `Basic ${Buffer.from('ada:pw-4711').toString('base64')}`;

  it('run sends every pair, with the v2.0 auth', async () => {
    arrivals();
    const io = captureIo({ cwd: root });
    const code = await main(['run', v20File, '-e', environmentFile, '-r', 'cli', '--timeout-request', '5000'], io);
    expect([0, 1], io.text()).toContain(code);
    const seen = arrivals();
    expect(seen).toHaveLength(12);
    for (const [request, count] of countBy(seen)) expect(count % 2, request).toBe(0);
    expect(seen.every(basicOf)).toBe(true);
  });

  it.each(['newman', 'fast'])('ramp --engine %s sends it, with the v2.0 auth', async (engine) => {
    arrivals();
    const io = captureIo({ cwd: root });
    const code = await main(['ramp', v20File, '-e', environmentFile, '--engine', engine, '--target', 'both', '--start', '1', '--max', '1', '--requests-per-step', '6', '--workers', '1', '--report-dir', join(root, `ramp-${engine}`)], io);
    expect(code, io.text()).not.toBe(2);
    const seen = arrivals();
    expect(seen.length).toBeGreaterThanOrEqual(12);
    expect(seen.every(basicOf)).toBe(true);
  });

  it('diagnose --collection probes its requests, with the v2.0 auth', async () => {
    arrivals();
    const io = captureIo({ cwd: root });
    const code = await main(['diagnose', '-e', environmentFile, '--collection', v20File, '--no-keepalive-probe'], io);
    expect(code, io.text()).not.toBe(2);
    const seen = arrivals();
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.filter((r) => r.url !== '/' && !basicOf(r)).map((r) => r.url)).toEqual([]);
  });

  it('watch --collection sends its requests, with the v2.0 auth', async () => {
    arrivals();
    const io = captureIo({ cwd: root });
    const code = await main(['watch', '-e', environmentFile, '--collection', v20File, '--rate', '20/s', '--duration', '1s', '--window', '1s', '--arrivals', 'uniform', '--target', 'both', '-r', 'cli'], io);
    expect(code, io.text()).not.toBe(2);
    const seen = arrivals();
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every(basicOf)).toBe(true);
  });

  it('export --to k6 describes it', async () => {
    const out = join(root, 'k6');
    const io = captureIo({ cwd: root });
    const code = await main(['export', v20File, '--to', 'k6', '--environment', environmentFile, '--out', out], io);
    expect(code, io.text()).toBe(0);
    const script = readFileSync(join(out, 'k6-script.js'), 'utf8');
    expect(script).toMatch(/\/get/);
    expect(script.toLowerCase()).toContain('authorization');
  });
});

const PETSTORE = fileURLToPath(new URL('../../../shared/fixtures/openapi/petstore-openapi-3.0.yaml', import.meta.url));

live('--collection-format v3 with --from-collection and --from-openapi (issue 27, item 8)', () => {
  async function generateV3(flag: '--from-collection' | '--from-openapi', file: string) {
    const out = join(root, `v3-${++counter}`);
    const io = captureIo({ cwd: root });
    const code = await main(['generate', flag, file, '--gateway-url', gateway.url, '--backend-url', backend.url, '--out', out, '--collection-format', 'v3'], io);
    expect(code, io.text()).toBe(0);
    const [collectionDir, environmentJson, environmentYaml] = io.out.join('').trim().split('\n');
    return { out, collectionDir: join(root, collectionDir), environmentJson: join(root, environmentJson), environmentYaml, stderr: io.err.join('') };
  }

  it('twitter.json (v2.0) as a v3 directory: YAML files, and debug502 run reads it and sends every pair', async () => {
    const { collectionDir, environmentJson, environmentYaml, stderr } = await generateV3('--from-collection', join(V20, 'twitter.json'));
    expect(readdirSync(join(collectionDir, '.resources'))).toContain('definition.yaml');
    expect(environmentYaml).toMatch(/postman\/environments\/local\.environment\.yaml$/);
    expect(stderr).toMatch(/run it: postman collection run .* -e .*local\.environment\.yaml/);
    arrivals();
    const io = captureIo({ cwd: root });
    const code = await main(['run', collectionDir, '-e', environmentJson, '-r', 'cli', '--timeout-request', '5000'], io);
    expect([0, 1], io.text()).toContain(code);
    const seen = arrivals();
    expect(seen).toHaveLength(36);
    for (const [request, count] of countBy(seen)) expect(count % 2, request).toBe(0);
  });

  it.skipIf(!existsSync(PETSTORE))('an OpenAPI document (the Petstore, from ../shared) as a v3 directory: every operation twice', async () => {
    const { collectionDir, environmentJson } = await generateV3('--from-openapi', PETSTORE);
    arrivals();
    const io = captureIo({ cwd: root });
    const code = await main(['run', collectionDir, '-e', environmentJson, '-r', 'cli', '--env-var', 'apiKey=k', '--timeout-request', '5000'], io);
    expect([0, 1], io.text()).toContain(code);
    const seen = arrivals();
    expect(seen).toHaveLength(2 * 19);
  });

  it('a directory in the way that is not a v3 collection is left alone: exit 2, nothing written', async () => {
    const out = join(root, 'v3-blocked');
    mkdirSync(join(out, 'postman', 'collections', 'Twitter (502 Debugging)'), { recursive: true });
    const io = captureIo({ cwd: root });
    const code = await main(['generate', '--from-collection', join(V20, 'twitter.json'), '--gateway-url', gateway.url, '--backend-url', backend.url, '--out', out, '--collection-format', 'v3'], io);
    const listed = readdirSync(join(out, 'postman', 'collections'));
    expect(code, io.text()).toBe(2);
    expect(io.text()).toMatch(/is not a v3 collection/);
    expect(listed).toEqual(['Twitter (502 Debugging)']);
    expect(existsSync(join(out, 'environments'))).toBe(false);
  });
});
