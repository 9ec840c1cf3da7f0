import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { captureIo } from '../../src/cli/io.js';
import { findNginx } from '../../src/lab/index.js';
import { canConnect } from '../../src/lab/ports.js';
import type { RampReport, RunReport } from '../../src/model.js';

const nginx = findNginx(process.env);
if (!nginx) console.log('demo test: nginx is not installed, so only the built-in gateway demo runs (CI installs nginx)');

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

/**
 * `npm run demo` in-process (--gateway auto), into a temp dir: with nginx, exactly what a newcomer
 * runs (its defaults: capacity 8, latency 50 ms, ramp to 16); the built-in gateway's case proves the
 * fallback on a smaller lab (capacity 3, ramp to 8), which takes a third of the time. For the
 * builtin case it hides nginx the way findNginx looks for it (NGINX_BIN names a missing
 * file), as on a machine where it is not installed: auto must fall back to the built-in gateway.
 */
async function runDemo(gateway: 'nginx' | 'builtin', args: string[]) {
  const dir = await mkdtemp(join(tmpdir(), `debug502-demo-${gateway}-`));
  dirs.push(dir);
  const env = gateway === 'nginx' ? process.env : { ...process.env, NGINX_BIN: join(dir, 'no-nginx-here') };
  const io = captureIo({ cwd: dir, env });
  const code = await main(['demo', ...args], io);
  const out = io.out.join('');
  const reports = join(dir, 'demo-output', 'reports');
  const ramp = JSON.parse(await readFile(join(reports, 'ramp.json'), 'utf8')) as RampReport;
  const run = JSON.parse(await readFile(join(reports, 'run.json'), 'utf8')) as RunReport;
  return { code, out, err: io.err.join(''), dir, ramp, run, reports };
}

/** The lab's ports as the demo printed them: both must be closed once the demo is over. */
function printedPorts(out: string): number[] {
  return [...out.matchAll(/(?:gateway|backend)_url http:\/\/127\.0\.0\.1:(\d+)/g)].map((m) => Number(m[1]));
}

/** The lab and ramp of each case, and where it must break: capacity + 1. */
const CASES = {
  nginx: { args: [] as string[], capacity: 8 },
  builtin: { args: ['--capacity', '3', '--max', '8', '--requests-per-step', '40'], capacity: 3 },
};

describe.each([
  ...(nginx ? (['nginx'] as const) : []),
  'builtin' as const,
])('npm run demo with the %s gateway (auto: nginx when installed)', (gateway) => {
  const { args, capacity } = CASES[gateway];
  it(`finds the breaking point ${capacity + 1} on both sides, names backend-capacity, writes every report, leaves nothing behind`, async () => {
    const result = await runDemo(gateway, args);
    expect(result.err).not.toMatch(/error:/);
    expect(result.code).toBe(0);

    // One pass on the healthy lab: every endpoint ok through both routes.
    expect(result.run.endpoints.map((e) => e.verdict.code)).toEqual(['ok', 'ok', 'ok']);

    // The backend holds `capacity` in flight: both sides break at one more, so the backend is the limit.
    expect(result.ramp.targets.gateway?.breakingPoint?.concurrency).toBe(capacity + 1);
    expect(result.ramp.targets.backend?.breakingPoint?.concurrency).toBe(capacity + 1);
    expect(result.ramp.targets.gateway?.lastPassing?.concurrency).toBe(capacity);
    expect(result.ramp.verdict.code).toBe('backend-capacity');
    expect(result.ramp.meta.aborted).toBeUndefined();
    expect(result.out).toContain(`Breaking point: ${capacity + 1} concurrent requests`);
    expect(result.out).toContain(gateway === 'nginx' ? 'behind nginx' : 'built-in gateway');
    // It ends with the next steps: the page to open, a lab fault to try, init for your own services.
    const next = result.out.slice(result.out.lastIndexOf('\nNext\n'));
    expect(next).toContain('open the report:     demo-output/reports/ramp.html');
    expect(next).toContain('debug502 lab --fault crash-after=20');
    expect(next).toContain('debug502 run demo-output/collections/502-debugging.postman_collection.json --environment environments/lab.postman_environment.json');
    expect(next).toContain('debug502 init --gateway-url');
    expect(result.out.trimEnd().endsWith('then debug502 generate, and run, ramp or diagnose what it writes')).toBe(true);

    for (const name of ['run.json', 'run.junit.xml', 'run.md', 'run.html', 'ramp.json', 'ramp.html', 'ramp.md', 'ramp.junit.xml']) {
      expect((await readFile(join(result.reports, name), 'utf8')).length, name).toBeGreaterThan(100);
    }
    const ports = printedPorts(result.out);
    expect(ports).toHaveLength(2);
    for (const port of ports) expect(await canConnect(port, 500), `port ${port} still open`).toBe(false);
  }, 180_000);
});
