/**
 * A collection the project has never seen, end to end on the real Locust: Adyen's Capital API export
 * (../shared/fixtures/real-world: folders two deep, collection-level apikey auth, path variables,
 * POST/PATCH bodies) → `generate --from-collection` (the 502 pair) → `export --to locust` → a Locust
 * master with two workers through real nginx to a loopback backend that holds K requests in flight →
 * `report --from-locust`. The search must end at K+1 (±1: steps are
 * judged on a few seconds), and every request must reach the backend with the API key the script
 * read from DEBUG502_VAR_X_API_Key — a key that is in no file, given to the workers (they send).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, test } from 'vitest';
import { captureIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { findNginx, reserveFreePort, startLab } from '../../src/lab/index.js';
import { expectLocustBreakingPoint, findLocust, runBounded } from './locust.js';

const ADYEN = fileURLToPath(new URL('../../../shared/fixtures/real-world/collections/adyen-capital.postman_collection.json', import.meta.url));
const K = 2;
const API_KEY = 'adyen-test-key-3b9f0c';
const locust = findLocust();
const skip = !existsSync(ADYEN) ? `${ADYEN} is not there (../shared/fixtures)`
  : 'missing' in locust ? locust.missing
    : !findNginx() ? 'nginx is not installed (apt-get install nginx-light)' : '';
if (skip) console.log(`real-world Locust test skipped: ${skip}`);

interface Seen { method: string; path: string; apiKey: string | undefined }

/** A backend on 127.0.0.1 that answers 200 after `latencyMs`, holds `capacity` in flight and drops the connection of any request beyond. */
async function startCapacityBackend(capacity: number, latencyMs: number): Promise<{ port: number; seen: Seen[]; rejected: () => number; close(): Promise<void> }> {
  const seen: Seen[] = [];
  let inFlight = 0;
  let rejected = 0;
  const server: Server = createServer((req, res) => {
    seen.push({ method: req.method ?? '', path: (req.url ?? '').split('?')[0], apiKey: req.headers['x-api-key'] as string | undefined });
    req.resume();
    if (inFlight >= capacity) {
      rejected += 1;
      return void req.socket.destroy();
    }
    inFlight += 1;
    let done = false;
    const finish = () => { if (!done) inFlight -= 1; done = true; };
    res.once('finish', finish);
    res.once('close', finish);
    setTimeout(() => res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}'), latencyMs);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    seen,
    rejected: () => rejected,
    close: () => new Promise<void>((resolve) => { server.close(() => resolve()); server.closeAllConnections(); }),
  };
}

const dirs: string[] = [];
const children: ChildProcess[] = [];
afterAll(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

describe.skipIf(Boolean(skip))('an unseen collection (Adyen Capital) on a real Locust master with two workers', () => {
  test(`generate → export → Locust master + 2 workers through nginx → report: breaking point ${K + 1} (±1), the API key from the OS environment on every request`, async () => {
    const dir = await mkdtemp(join(tmpdir(), 'debug502-real-world-'));
    dirs.push(dir);
    const backend = await startCapacityBackend(K, 50);
    const lab = await startLab({ gateway: 'nginx', upstream: `127.0.0.1:${backend.port}` });
    let run;
    try {
      const io = captureIo({ cwd: dir });
      expect(await main(['generate', '--from-collection', ADYEN, '--gateway-url', `${lab.gateway.url}/capital/v1`,
        '--backend-url', `http://127.0.0.1:${backend.port}/capital/v1`, '--out', '.'], io)).toBe(0);
      const [collection] = await readdir(join(dir, 'collections'));
      expect(await main(['export', '--to', 'locust', '--collection', join('collections', collection), '--environment', 'environments/local.postman_environment.json',
        '--start', '2', '--max', '4', '--step-duration', '3s', '--max-duration', '40s', '--out', 'lt'], io)).toBe(0);
      expect(io.out.join('')).toContain('secrets are read at run time from: DEBUG502_VAR_X_API_Key');
      await mkdir(join(dir, 'results'));
      const { bin } = locust as { bin: string };
      const port = await reserveFreePort();
      const masterRun = runBounded(bin, ['-f', 'lt/locustfile.py', '--master', '--headless', '--expect-workers', '2',
        '--master-bind-host', '127.0.0.1', '--master-bind-port', String(port), '--csv', 'results/run', '--csv-full-history', '--only-summary'],
        { cwd: dir, timeoutMs: 50_000 });
      for (let i = 0; i < 2; i += 1) {
        children.push(spawn(bin, ['-f', 'lt/locustfile.py', '--worker', '--master-host', '127.0.0.1', '--master-port', String(port)],
          { cwd: dir, env: { ...process.env, DEBUG502_VAR_X_API_Key: API_KEY }, stdio: 'ignore' }));
      }
      run = await masterRun;
    } finally {
      await lab.close();
      await backend.close();
    }
    expect(run.out).not.toContain('pre 2.0');
    expect(run.signal).toBeNull(); // ended by the shape's search, not by the time bound
    expect(run.out).toContain('search done');

    // The same requests the collection describes: its paths and methods, the key on every one.
    const paths = new Set(backend.seen.map((s) => `${s.method} ${s.path.replace(/\/1(?=\/|$)/g, '/:id')}`));
    expect([...paths].sort()).toEqual([
      'GET /capital/v1/dynamicOffers', 'GET /capital/v1/grantAccounts/:id', 'GET /capital/v1/grantOffers', 'GET /capital/v1/grantOffers/:id',
      'GET /capital/v1/grants', 'GET /capital/v1/grants/:id', 'GET /capital/v1/grants/:id/disbursements', 'GET /capital/v1/grants/:id/disbursements/:id',
      'PATCH /capital/v1/grants/:id/disbursements/:id', 'POST /capital/v1/dynamicOffers/:id/calculate', 'POST /capital/v1/dynamicOffers/:id/grantOffer', 'POST /capital/v1/grants',
    ]);
    expect(backend.seen.filter((s) => s.apiKey !== API_KEY)).toEqual([]);
    expect(backend.rejected()).toBeGreaterThan(0);
    for (const file of await readdir(join(dir, 'lt'))) expect(await readFile(join(dir, 'lt', file), 'utf8')).not.toContain(API_KEY);

    const io = captureIo({ cwd: dir });
    expect(await main(['report', '--from-locust', 'results/run', '--report-dir', 'reports'], io)).toBe(0);
    const { gateway } = await expectLocustBreakingPoint(join(dir, 'reports'), K + 1);
    for (const step of gateway.steps) if (step.failed) expect(step.status['502']).toBe(step.failures);
  }, 80_000);
});
