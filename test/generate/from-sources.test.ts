/**
 * Bring your own API, end to end, as a new user would: real public collections and OpenAPI
 * documents (../shared/fixtures) → `debug502 generate --from-collection / --from-openapi` → plain
 * `newman run` (the real newman CLI) through real nginx to a recording backend on 127.0.0.1. Every
 * request must arrive twice — through the gateway and direct — with its auth, path values, body and
 * the header its own pre-request script set, and its own tests must still run.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { findNginx, startNginx } from '../../src/lab/nginx.js';
import type { RunningGateway } from '../../src/lab/gateway.js';
import { NO_502_TEST } from '../../src/model.js';
import { REPO_ROOT, startTinyServer, type RecordedRequest, type TinyServer } from './helpers.js';

const FIXTURES = fileURLToPath(new URL('../../../shared/fixtures/', import.meta.url));
const fixture = (path: string) => join(FIXTURES, path);
const HAS_FIXTURES = existsSync(fixture('README.md'));
const NGINX = findNginx();
const NEWMAN = join(REPO_ROOT, 'node_modules', '.bin', 'newman');
if (!HAS_FIXTURES) console.log('skipped: ../shared/fixtures is not there');
if (!NGINX) console.log('skipped: nginx is not installed (apt-get install -y nginx-light, or NGINX_BIN)');

let root: string;
let backend: TinyServer;
let gateway: RunningGateway;
let counter = 0;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'debug502-from-sources-'));
  if (!HAS_FIXTURES || !NGINX) return;
  backend = await startTinyServer(200);
  gateway = await startNginx({ upstream: `127.0.0.1:${backend.port}` });
});
afterAll(async () => {
  await gateway?.close();
  await backend?.close();
  await rm(root, { recursive: true, force: true });
});

async function generateFrom(flag: '--from-collection' | '--from-openapi', file: string, ...extra: string[]) {
  const out = join(root, `case-${++counter}`);
  const io = captureIo({ cwd: root });
  const code = await main(['generate', flag, file, '--gateway-url', gateway.url, '--backend-url', backend.url, '--out', out, ...extra], io);
  const stderr = io.err.join('');
  expect(code, stderr).toBe(0);
  const collectionFile = join(out, 'collections', (await readdir(join(out, 'collections')))[0]);
  return { out, collectionFile, environmentFile: join(out, 'environments', 'local.postman_environment.json'), stderr, collection: JSON.parse(readFileSync(collectionFile, 'utf8')) };
}

/**
 * Plain `newman run` (the CLI users type), JSON report: what ran and what it asserted. Spawned
 * asynchronously: the recording backend lives in this process and must keep answering.
 */
async function newmanRun(collectionFile: string, environmentFile: string, ...extra: string[]) {
  const report = join(root, `newman-${++counter}.json`);
  const args = ['run', collectionFile, '-e', environmentFile, '--reporters', 'json', '--reporter-json-export', report, '--timeout-request', '5000', ...extra];
  const status = await promisify(execFile)(NEWMAN, args, { timeout: 120_000, maxBuffer: 16 * 1024 * 1024 }).then(() => 0, (error: { code?: number }) => error.code ?? -1);
  const json = JSON.parse(readFileSync(report, 'utf8')) as { run: { executions: { item: { name: string }; assertions?: { assertion: string; error?: unknown }[] }[] } };
  return { status, executions: json.run.executions };
}

/** The requests the backend saw since the last call. */
function arrivals(): RecordedRequest[] {
  return backend.requests.splice(0);
}

/** `METHOD /path?query` → how many times it arrived. */
function countBy(requests: RecordedRequest[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const r of requests) counts.set(`${r.method} ${r.url}`, (counts.get(`${r.method} ${r.url}`) ?? 0) + 1);
  return counts;
}

const live = HAS_FIXTURES && NGINX ? describe : describe.skip;

live('generate --from-collection, then plain newman run through nginx', () => {
  it('Adyen (v2.1, {{baseUrl}}, folders two deep, collection apikey auth, path variables, bodies) + its own scripts', async () => {
    const source = JSON.parse(readFileSync(fixture('real-world/collections/adyen-capital.postman_collection.json'), 'utf8'));
    // The user's own scripts: a collection pre-request script that sets a header, a test on every request.
    source.event = [
      { listen: 'prerequest', script: { type: 'text/javascript', exec: ["pm.request.headers.upsert({ key: 'X-Signed', value: 'sig-' + pm.info.requestName });"] } },
      { listen: 'test', script: { type: 'text/javascript', exec: ["pm.test('own test: answered', function () { pm.expect(pm.response.code).to.be.below(600); });"] } },
    ];
    const file = join(root, 'adyen.json');
    await writeFile(file, JSON.stringify(source));
    const { collection, collectionFile, environmentFile, stderr } = await generateFrom('--from-collection', file);
    expect(stderr).toContain('base {{baseUrl}} (12 requests)');
    expect(collection.item.map((f: { name: string }) => f.name)).toEqual(['Through gateway', 'Direct to backend']);
    expect(collection.item[0].item.map((f: { name: string }) => f.name)).toEqual(['Grant offers', 'Dynamic offers', 'Grant accounts', 'Grants']);
    expect(collection.auth.type).toBe('apikey');

    arrivals();
    const run = await newmanRun(collectionFile, environmentFile, '--env-var', 'X-API-Key=k-123', '--env-var', 'id=GO-7');
    const seen = arrivals();
    expect(seen).toHaveLength(24);
    for (const [request, count] of countBy(seen)) expect(count, request).toBe(2);
    for (const r of seen) {
      expect(r.headers['x-api-key']).toBe('k-123');
      expect(String(r.headers['x-signed'])).toMatch(/^sig-/);
      expect(r.url).not.toMatch(/\/:/);
    }
    expect(seen.filter((r) => r.url === '/grantOffers/GO-7')).toHaveLength(2);
    const patch = seen.filter((r) => r.method === 'PATCH');
    expect(patch).toHaveLength(2);
    expect(patch[0].body.length).toBeGreaterThan(0);
    expect(patch[0].body).toBe(patch[1].body);
    const assertions = run.executions.flatMap((e) => (e.assertions ?? []).map((a) => a.assertion));
    expect(assertions.filter((a) => a === NO_502_TEST)).toHaveLength(24);
    expect(assertions.filter((a) => a === 'own test: answered')).toHaveLength(24);
    expect(run.status).toBe(0);
  });

  it('Conduit (v2.1, {{APIURL}}, 30 legacy test scripts, Token headers): every request twice, its tests still run', async () => {
    const { collectionFile, environmentFile, stderr } = await generateFrom('--from-collection', fixture('real-world/collections/conduit.postman_collection.json'));
    expect(stderr).toContain('base {{APIURL}} (32 requests)');
    arrivals();
    const run = await newmanRun(collectionFile, environmentFile, '--env-var', 'USERNAME=jake', '--env-var', 'EMAIL=jake@jake.jake', '--env-var', 'PASSWORD=jakejake');
    const seen = arrivals();
    expect(seen).toHaveLength(64);
    for (const [request, count] of countBy(seen)) expect(count % 2, request).toBe(0);
    const login = seen.filter((r) => r.url === '/users/login');
    expect(login).toHaveLength(4);
    expect(JSON.parse(login[0].body).user.email).toBe('jake@jake.jake');
    // Its own (legacy tests[…]) assertions ran beside the guide's on both routes.
    const names = new Set(run.executions.flatMap((e) => (e.assertions ?? []).map((a) => a.assertion)));
    expect(names.has(NO_502_TEST)).toBe(true);
    expect([...names].some((name) => /has .*property|Response contains/i.test(name))).toBe(true);
  });

  it('Box (v1: requests/folders/order, hard-coded hosts) is converted with postman-collection-transformer', async () => {
    const { collection, collectionFile, environmentFile, stderr } = await generateFrom('--from-collection', fixture('real-world/collections/box-v1.postman_collection.json'));
    expect(stderr).toMatch(/collection v1, converted to v2\.1/);
    expect(stderr).toContain('base https://api.box.com (90 requests)');
    expect(stderr).toMatch(/left out .*upload\.box\.com/);
    expect(collection.item[0].item.length).toBeGreaterThan(5);
    arrivals();
    await newmanRun(collectionFile, environmentFile);
    const seen = arrivals();
    expect(seen).toHaveLength(180);
    for (const [request, count] of countBy(seen)) expect(count % 2, request).toBe(0);
    expect(seen.filter((r) => !/^\/(2\.0|oauth2)\//.test(r.url)).map((r) => r.url)).toEqual([]);
  });
});

live('generate --from-openapi, then plain newman run through nginx', () => {
  it.each([
    ['RealWorld OpenAPI 3.1 ($refs, {slug} {username} {id}, apiKey security)', 'real-world/openapi/realworld-openapi-3.1.yaml', 19, 'apiKey'],
    ['Gotify Swagger 2.0 (body and formData parameters, basic auth and tokens)', 'real-world/openapi/gotify-swagger-2.0.json', 42, 'apiKey'],
    ['Petstore OpenAPI 3.0', 'openapi/petstore-openapi-3.0.yaml', 19, 'apiKey'],
  ])('%s', async (_label, path, operations, secret) => {
    const { collection, collectionFile, environmentFile } = await generateFrom('--from-openapi', fixture(path));
    const environment = JSON.parse(readFileSync(environmentFile, 'utf8'));
    const secretVar = environment.values.find((v: { key: string }) => v.key === secret);
    expect(secretVar).toMatchObject({ type: 'secret', value: '' });
    expect(JSON.stringify(collection.item)).not.toMatch(/"raw":"\{\{baseUrl\}\}/);
    arrivals();
    const run = await newmanRun(collectionFile, environmentFile, '--env-var', `${secret}=s3cret`);
    const seen = arrivals();
    expect(seen).toHaveLength(2 * operations);
    for (const [request, count] of countBy(seen)) expect(count % 2, request).toBe(0);
    for (const r of seen) expect(r.url, 'no literal {param} or :param on the wire').not.toMatch(/\{|\/:|%7B/i);
    expect(seen.some((r) => Object.values(r.headers).includes('s3cret') || r.url.includes('s3cret') || String(r.headers.authorization ?? '').includes('s3cret'))).toBe(true);
    const assertions = run.executions.flatMap((e) => (e.assertions ?? []).map((a) => a.assertion));
    expect(assertions.filter((a) => a === NO_502_TEST)).toHaveLength(2 * operations);
  });

  it('the fast engine ramps the OpenAPI one with its API key; diagnose --collection sends no unsafe method', async () => {
    const { collectionFile, environmentFile } = await generateFrom('--from-openapi', fixture('real-world/openapi/realworld-openapi-3.1.yaml'));
    arrivals();
    const io = captureIo({ cwd: root });
    const code = await main(['ramp', '--collection', collectionFile, '-e', environmentFile, '--engine', 'fast', '--env-var', 'apiKey=Token k-9', '--target', 'gateway',
      '--start', '1', '--max', '2', '--requests-per-step', '19', '--report-dir', join(root, 'ramp-reports')], io);
    expect(code, io.text()).toBe(0);
    const sent = arrivals();
    expect(sent.length).toBeGreaterThanOrEqual(2 * 19);
    expect(sent.filter((r) => r.headers.authorization === 'Token k-9').length).toBeGreaterThan(0);
    expect(sent.every((r) => !/\{|\/:/.test(r.url))).toBe(true);

    const diagnoseIo = captureIo({ cwd: root });
    const diagnosed = await main(['diagnose', '-e', environmentFile, '--collection', collectionFile, '--env-var', 'apiKey=Token k-9'], diagnoseIo);
    expect(diagnosed, diagnoseIo.text()).not.toBe(2);
    const probes = arrivals();
    expect(probes.length).toBeGreaterThan(0);
    expect(probes.filter((r) => !['GET', 'HEAD', 'OPTIONS'].includes(r.method)).map((r) => `${r.method} ${r.url}`)).toEqual([]);
    expect(diagnoseIo.text()).toMatch(/Not probed \(\d+ requests of the collection\)/);
    expect(diagnoseIo.text()).toMatch(/DELETE \/articles\/:slug .*--unsafe-methods/);
  });
});
