import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { findNginx, startBuiltinProxy, startLab, startNginx, type Lab, type RunningGateway } from '../../src/lab/index.js';
import { reserveDeadPort } from '../../src/lab/ports.js';
import { HEALTH_FOLDER, NO_502_TEST, ROUTE_FOLDER } from '../../src/model.js';
import { REPO_ROOT, expectValidCollection } from './helpers.js';

/**
 * The acceptance run: `debug502 generate` from a config it has not seen, then the plain
 * `newman run` CLI (spawned, asynchronously: the lab backend lives in this process) through real
 * nginx (the built-in proxy only where nginx is not installed) to the lab backend.
 */
const NEWMAN_BIN = join(REPO_ROOT, 'node_modules', '.bin', 'newman');

let dir: string;
let lab: Lab;
let deadGateway: RunningGateway;
let collectionFile: string;
let environmentFile: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'debug502-newman-cli-'));
  lab = await startLab();
  // A gateway whose upstream is a port nothing listens on: the "misconfigured gateway" of the guide.
  const deadUpstream = `127.0.0.1:${await reserveDeadPort()}`;
  deadGateway = findNginx() ? await startNginx({ upstream: deadUpstream }) : await startBuiltinProxy({ upstream: deadUpstream });
  const config = join(dir, 'unseen.yaml');
  await writeFile(
    config,
    `name: Unseen API
environments:
  lab:
    gateway_url: ${lab.gateway.url}
    backend_url: ${lab.backend.url}
    secrets: [api_token]
health: { path: /health }
endpoints:
  - { name: List users, path: /api/users, query: { page: 2 }, headers: { Authorization: "Bearer {{api_token}}" }, expectStatus: 200 }
  - { name: Get user, path: /api/users/2, expectStatus: 200 }
  - { name: Create user, method: POST, path: /api/users, body: { name: Grace }, expectStatus: 201 }
`,
  );
  const io = captureIo({ cwd: dir });
  expect(await main(['generate', '--config', 'unseen.yaml', '--out', 'out'], io)).toBe(0);
  [collectionFile, environmentFile] = io.out.join('').trim().split('\n').map((p) => join(dir, p));
});

afterAll(async () => {
  await deadGateway?.close();
  await lab?.close();
  await rm(dir, { recursive: true, force: true });
});

interface Execution {
  item: { id: string; name: string };
  response?: { code: number };
  assertions?: { assertion: string; error?: { message: string } }[];
}

/** Spawns `newman run`; returns its exit code and, from its JSON reporter, each request's tests by folder. */
async function newmanRun(extra: string[]) {
  const report = join(dir, `report-${Math.random().toString(36).slice(2)}.json`);
  const args = ['run', collectionFile, '-e', environmentFile, '--reporters', 'cli,json', '--reporter-json-export', report, '--color', 'off', '--timeout-request', '10000', ...extra];
  const { code } = await promisify(execFile)(NEWMAN_BIN, args, { timeout: 45_000 }).then(
    () => ({ code: 0 }),
    (error: { code?: number }) => ({ code: error.code }),
  );
  const collection = JSON.parse(await readFile(collectionFile, 'utf8'));
  const folderOf = new Map<string, string>();
  for (const folder of collection.item) for (const item of folder.item) folderOf.set(item.id, folder.name);
  const executions = (JSON.parse(await readFile(report, 'utf8')).run.executions as Execution[]).map((e) => ({
    folder: folderOf.get(e.item.id),
    item: e.item.name,
    status: e.response?.code,
    tests: Object.fromEntries((e.assertions ?? []).map((a) => [a.assertion, !a.error])),
  }));
  return { code, executions };
}

describe('the generated files under plain `newman run`', () => {
  it('validate against the official schema', async () => {
    const collection = JSON.parse(await readFile(collectionFile, 'utf8'));
    expectValidCollection(collection);
    expect(environmentFile).toMatch(/out\/environments\/lab\.postman_environment\.json$/);
    // Real nginx wherever it is installed (CI installs it).
    expect([lab.gateway.kind, deadGateway.kind]).toEqual(findNginx() ? ['nginx', 'nginx'] : ['builtin', 'builtin']);
  });

  it('pass every test when gateway and backend are healthy', async () => {
    const { code, executions } = await newmanRun([]);
    expect(executions.map((e) => [e.folder, e.item, e.status])).toEqual([
      [HEALTH_FOLDER, 'Check backend server health', 200],
      [ROUTE_FOLDER.gateway, 'List users', 200],
      [ROUTE_FOLDER.gateway, 'Get user', 200],
      [ROUTE_FOLDER.gateway, 'Create user', 201],
      [ROUTE_FOLDER.backend, 'List users', 200],
      [ROUTE_FOLDER.backend, 'Get user', 200],
      [ROUTE_FOLDER.backend, 'Create user', 201],
    ]);
    const tests = executions.flatMap((e) => Object.entries(e.tests));
    expect(tests).toHaveLength(2 + 6 * 3);
    expect(tests.filter(([, passed]) => !passed)).toEqual([]);
    expect(code).toBe(0);
  });

  it(`fail "${NO_502_TEST}" for every gateway request and pass it for every backend request when the gateway's upstream is a dead port`, async () => {
    const { code, executions } = await newmanRun(['--env-var', `gateway_url=${deadGateway.url}`]);
    const gateway = executions.filter((e) => e.folder === ROUTE_FOLDER.gateway);
    const direct = executions.filter((e) => e.folder !== ROUTE_FOLDER.gateway);
    expect(gateway.map((e) => [e.item, e.status, e.tests[NO_502_TEST]])).toEqual([
      ['List users', 502, false],
      ['Get user', 502, false],
      ['Create user', 502, false],
    ]);
    expect(direct).toHaveLength(4);
    expect(direct.every((e) => e.tests[NO_502_TEST] === true && Object.values(e.tests).every(Boolean))).toBe(true);
    expect(code).toBe(1);
  });
});
