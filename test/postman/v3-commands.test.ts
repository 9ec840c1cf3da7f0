/**
 * run, ramp (both engines) and diagnose take a v3 collection directory wherever they take a
 * collection file — what newman alone cannot do. Against real nginx and the lab backend capped at 2
 * requests in flight, so the ramp has a breaking point to find (3) on either engine.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { generate } from '../../src/generate/index.js';
import { findNginx, startLab, type Lab } from '../../src/lab/index.js';
import type { RampReport, RunReport } from '../../src/model.js';

const NGINX = findNginx();
if (!NGINX) console.warn('skipping run/ramp/diagnose on a v3 collection: nginx is not installed (apt-get install nginx-light)');
const COLLECTION = 'postman/collections/ramp test';
const ENVIRONMENT = 'environments/lab.postman_environment.json';

describe.skipIf(!NGINX)('run, ramp and diagnose on a v3 collection directory', () => {
  let lab: Lab;
  let dir: string;
  beforeAll(async () => {
    lab = await startLab({ capacity: 2, latencyMs: 50, gateway: 'nginx' });
    dir = await mkdtemp(join(tmpdir(), 'debug502-v3-commands-'));
    await generate({
      name: 'ramp test',
      assertions: { maxResponseTimeMs: 5000 },
      environments: { lab: { gateway_url: lab.gateway.url, backend_url: lab.backend.url, secrets: [] } },
      endpoints: [{ name: 'List users', method: 'GET', path: '/api/users', query: {}, headers: {} }],
    }, dir, { collectionFormat: 'v3' });
  });
  afterAll(async () => {
    await lab?.close();
    await rm(dir, { recursive: true, force: true });
  });
  async function cli(...argv: string[]) {
    const io = captureIo({ cwd: dir });
    const code = await main(argv, io);
    return { code, out: io.out.join(''), err: io.err.join('') };
  }

  it('run, with the YAML environment Postman v12 keeps: the endpoint is ok through the gateway and direct, paired by name', async () => {
    const { code, err } = await cli('run', '--collection', COLLECTION, '--environment', 'postman/environments/lab.environment.yaml', '--report-dir', 'run');
    expect(err).toBe('');
    expect(code).toBe(0);
    const report = JSON.parse(await readFile(join(dir, 'run', 'run.json'), 'utf8')) as RunReport;
    expect(report.meta.collection).toBe(COLLECTION);
    expect(report.endpoints.map((e) => [e.name, e.verdict.code, e.gateway?.status, e.backend?.status])).toEqual([['List users', 'ok', 200, 200]]);
  }, 60_000);

  for (const engine of ['newman', 'fast'] as const) {
    it(`ramp --engine ${engine}: breaks at 3, held at 2`, async () => {
      const { code, err } = await cli('ramp', '--collection', COLLECTION, '--environment', ENVIRONMENT, '--engine', engine,
        '--max', '4', '--requests-per-step', '40', '--report-dir', `ramp-${engine}`, '-r', 'json');
      expect(err).toBe('');
      expect(code).toBe(0);
      const report = JSON.parse(await readFile(join(dir, `ramp-${engine}`, 'ramp.json'), 'utf8')) as RampReport;
      expect(report.meta.options.engine).toBe(engine);
      expect(report.targets.gateway?.breakingPoint?.concurrency).toBe(3);
      expect(report.targets.gateway?.lastPassing?.concurrency).toBe(2);
    }, 120_000);
  }

  it('diagnose --collection: probes the collection\'s request both ways, no input error', async () => {
    const { code, out, err } = await cli('diagnose', '--collection', COLLECTION, '--environment', ENVIRONMENT, '--format', 'json');
    expect(err).not.toMatch(/error:/);
    expect([0, 1]).toContain(code);
    const report = JSON.parse(out);
    expect(report.probes.filter((p: { kind: string; request?: string }) => p.kind === 'direct-vs-gateway').map((p: { request?: string }) => p.request)).toContain('GET /api/users');
  }, 60_000);
});
