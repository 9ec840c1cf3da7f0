/**
 * debug502's collections checked by Postman's own CLI against real nginx and the lab backend: the
 * generated v2.1 collection passes under `postman collection run` as it does under newman, and the
 * v3 output lints clean and runs. Skips, saying why, when the Postman CLI or nginx is missing.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildCollection, buildEnvironment, generate } from '../../src/generate/index.js';
import { findNginx, startLabBackend, startNginx } from '../../src/lab/index.js';
import type { ResolvedConfig } from '../../src/model.js';
import { loadCollection } from '../../src/postman/load.js';
import { runWithNewman } from '../generate/helpers.js';
import { deadPort } from '../run/helpers.js';
import { summarizeRequests } from './summarize-requests.js';
import { POSTMAN_CLI, runCollectionWithPostmanCli, runPostmanCli, runV3CollectionWithPostmanCli } from './postman-cli.js';

const NGINX = findNginx();
if (!NGINX) console.warn('skipping the Postman CLI runs through nginx: nginx is not installed (apt-get install nginx-light)');

/** Two endpoints and the health request, without status tests: a dead upstream then fails only "No 502 errors". */
function config(gatewayUrl: string, backendUrl: string): ResolvedConfig {
  return {
    name: '502 Debugging',
    assertions: { maxResponseTimeMs: 5000 },
    environments: { lab: { gateway_url: gatewayUrl, backend_url: backendUrl, secrets: [] } },
    health: { path: '/health', method: 'GET' },
    endpoints: [
      { name: 'List users', method: 'GET', path: '/api/users', query: { page: '1' }, headers: {} },
      { name: 'Create user', method: 'POST', path: '/api/users', query: {}, headers: {}, body: { name: 'Ada' } },
    ],
  };
}

let dir: string;
beforeAll(async () => void (dir = await mkdtemp(join(tmpdir(), 'debug502-postman-cli-'))));
afterAll(() => rm(dir, { recursive: true, force: true }));
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of cleanups.splice(0).reverse()) await close();
});

/** The lab backend behind real nginx, or nginx in front of a dead port. */
async function startLab(upstreamDead = false): Promise<{ gatewayUrl: string; backendUrl: string }> {
  const backend = await startLabBackend();
  cleanups.push(() => backend.close());
  const gateway = await startNginx({ upstream: upstreamDead ? `127.0.0.1:${await deadPort()}` : `127.0.0.1:${backend.port}`, proxyConnectTimeoutMs: 2000, proxyReadTimeoutMs: 2000 });
  cleanups.push(() => gateway.close());
  return { gatewayUrl: gateway.url, backendUrl: backend.url };
}

/** "<folder> / <request>: <assertion>" for every failed assertion, by item id → folder of the generated collection. */
function failedBy(collection: ReturnType<typeof buildCollection>, failed: { itemId?: string; item: string; assertion: string }[]): string[] {
  const folderOf = new Map<string, string>();
  for (const folder of collection.item) for (const item of folder.item as { id: string }[]) folderOf.set(item.id, String(folder.name));
  return failed.map((f) => `${f.itemId ? folderOf.get(f.itemId) : '?'} / ${f.item}: ${f.assertion}`).sort();
}

describe.skipIf(!POSTMAN_CLI || !NGINX)('the Postman CLI runs the generated v2.1 collection as newman does', () => {
  it('healthy: 5 requests, every test passes', async () => {
    const urls = await startLab();
    const c = config(urls.gatewayUrl, urls.backendUrl);
    await writeFile(join(dir, 'healthy.json'), JSON.stringify(buildCollection(c)));
    await writeFile(join(dir, 'healthy.env.json'), JSON.stringify(buildEnvironment('lab', c.environments.lab)));
    const run = await runCollectionWithPostmanCli('healthy.json', ['-e', 'healthy.env.json'], dir);
    expect(run.code, run.output).toBe(0);
    expect(run.requests).toBe(5);
    expect(run.assertions).toHaveLength(10);
    expect(run.assertions.filter((a) => !a.passed)).toEqual([]);
  }, 90_000);

  it('dead upstream: only the gateway\'s "No 502 errors" fail — the same failures newman reports', async () => {
    const urls = await startLab(true);
    const c = config(urls.gatewayUrl, urls.backendUrl);
    const collection = buildCollection(c);
    const environment = buildEnvironment('lab', c.environments.lab);
    await writeFile(join(dir, 'dead.json'), JSON.stringify(collection));
    await writeFile(join(dir, 'dead.env.json'), JSON.stringify(environment));
    const run = await runCollectionWithPostmanCli('dead.json', ['-e', 'dead.env.json'], dir);
    expect(run.code).toBe(1);
    expect(run.requests).toBe(5);
    const postman = failedBy(collection, run.assertions.filter((a) => !a.passed));
    expect(postman).toEqual(['Through gateway / Create user: No 502 errors', 'Through gateway / List users: No 502 errors']);
    const newman = await runWithNewman(collection, environment);
    expect(newman.requests).toBe(5);
    expect(newman.assertions.filter((a) => !a.passed).map((a) => `${a.item}: ${a.name}`).sort())
      .toEqual(postman.map((line) => line.replace(/^Through gateway \/ /, '')));
  }, 120_000);
});

describe.skipIf(!POSTMAN_CLI)('v3 output under the Postman CLI', () => {
  it('lints clean: 0 errors, 0 warnings, every file scanned', async () => {
    const out = join(dir, 'lint');
    await generate(config('http://127.0.0.1:8080', 'http://127.0.0.1:3000'), out, { collectionFormat: 'v3' });
    const result = await runPostmanCli(['collection', 'lint', 'postman/collections/502 Debugging', '--reporter', 'json', '--fail-severity', 'warning'], { cwd: out });
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const report = JSON.parse(result.stdout.slice(result.stdout.indexOf('{')));
    expect(report).toMatchObject({ errorCount: 0, warningCount: 0, diagnostics: [] });
    expect(report.filesScanned).toBeGreaterThanOrEqual(5);
  }, 60_000);

  it.skipIf(!NGINX)('runs through nginx with the YAML environment: 5 requests, every test passes', async () => {
    const urls = await startLab();
    const out = join(dir, 'run-v3');
    await generate(config(urls.gatewayUrl, urls.backendUrl), out, { collectionFormat: 'v3' });
    const run = await runV3CollectionWithPostmanCli('postman/collections/502 Debugging', ['-e', 'postman/environments/lab.environment.yaml'], out);
    expect(run.code, run.output).toBe(0);
    expect(run.requests).toBe(5);
    expect(run.assertions.map((a) => a.assertion).sort()).toEqual([
      ...Array(5).fill('No 502 errors'), ...Array(5).fill('Response under 5 seconds'),
    ]);
    expect(run.assertions.every((a) => a.passed)).toBe(true);
  }, 90_000);
});

describe.skipIf(!POSTMAN_CLI)('postman collection migrate, read back by debug502: the same requests', () => {
  const FIXTURES = fileURLToPath(new URL('../../../shared/fixtures/real-world/collections/', import.meta.url));
  const sources: [string, () => Promise<object>][] = [
    ['the generated collection', async () => buildCollection(config('http://127.0.0.1:8080', 'http://127.0.0.1:3000'))],
    ['conduit (nested folders, 30 test scripts)', async () => JSON.parse(await readFile(join(FIXTURES, 'conduit.postman_collection.json'), 'utf8'))],
    ['adyen-capital (collection apikey auth, path variables)', async () => JSON.parse(await readFile(join(FIXTURES, 'adyen-capital.postman_collection.json'), 'utf8'))],
  ];
  // The fixtures live in ../shared (CI has it); on a clone without it those two round trips skip and say so.
  const fixturesMissing = !existsSync(FIXTURES);
  if (fixturesMissing) console.warn(`skip: the real-world fixtures are not beside the repository (looked for ${FIXTURES}): the conduit and adyen round trips skip`);
  sources.forEach(([what, load], index) => {
    it.skipIf(index > 0 && fixturesMissing)(what, async () => {
      const original = await load();
      const file = join(dir, `migrate-${index}.json`);
      await writeFile(file, JSON.stringify(original));
      const out = join(dir, `migrated-${index}`);
      const result = await runPostmanCli(['collection', 'migrate', file, '-o', out], { cwd: dir });
      expect(result.code, result.stdout + result.stderr).toBe(0);
      const expected = summarizeRequests(original);
      expect(summarizeRequests(await loadCollection(out))).toEqual(expected);
      expect(expected.requests.length).toBeGreaterThan(4);
      // What the comparison covers is really there: test scripts, and adyen's collection-level apikey auth.
      if (index < 2) expect(expected.requests.filter((r) => r.test.length > 0).length).toBeGreaterThan(4);
      else expect(expected.requests.every((r) => r.auth?.type === 'apikey')).toBe(true);
    }, 60_000);
  });
});
