/**
 * `run` on a collection of 2,000 endpoints (4,001 requests) against loopback servers: the terminal
 * shows the answer first and fits a screen — every endpoint ok, or a few dozen not ok — while the
 * report files keep every row, and the step summary's copy of run.md stays bounded. Both runs go
 * through runCommand with the fast engine: the same requests and the guide's two tests in a second
 * or two, where newman takes 40-120 s for 4,001 requests on a shared machine; what the terminal and
 * the files show does not depend on the engine (run-cli.test.ts runs newman through main()).
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureIo } from '../../src/cli/io.js';
import { runFast } from '../../src/engines/fast.js';
import { runCommand } from '../../src/run/run-command.js';
import { buildCollection, buildEnvironment } from '../../src/generate/index.js';
import type { ResolvedConfig, RunReport } from '../../src/model.js';
import { MAX_SUMMARY_ROWS } from '../../src/report/run/markdown.js';

const ENDPOINTS = 2000;
/** Endpoints whose gateway answers 502 (the backend answers 200): 25 gateway-misconfigured. */
const BROKEN = new Set(Array.from({ length: 25 }, (_, i) => `/e/${i * 79 + 3}`));
/** What the issue asks of a screen: about 40 lines. */
const SCREEN_LINES = 40;

interface Served { url: string; close(): Promise<void> }

/** A keep-alive server on 127.0.0.1:0 answering 200, or 502 for `broken` paths. */
async function serve(broken: ReadonlySet<string>): Promise<Served> {
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const status = broken.has((req.url ?? '').split('?')[0]) ? 502 : 200;
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(`{"status":${status}}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

function bigConfig(gatewayUrl: string, backendUrl: string): ResolvedConfig {
  return {
    name: 'Big API',
    assertions: { maxResponseTimeMs: 5000 },
    environments: { big: { gateway_url: gatewayUrl, backend_url: backendUrl, secrets: [] } },
    health: { path: '/health', method: 'GET' },
    endpoints: Array.from({ length: ENDPOINTS }, (_, i) => ({ name: `Endpoint ${i}`, method: 'GET' as const, path: `/e/${i}`, query: {}, headers: {} })),
  };
}

let dir: string;
const servers: Served[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'debug502-big-run-'));
  const [healthy, breaking, backend] = await Promise.all([serve(new Set()), serve(BROKEN), serve(new Set())]);
  servers.push(healthy, breaking, backend);
  for (const [name, gateway] of [['ok', healthy], ['broken', breaking]] as const) {
    const config = bigConfig(gateway.url, backend.url);
    await writeFile(join(dir, `${name}.json`), JSON.stringify(buildCollection(config)));
    await writeFile(join(dir, `${name}.env.json`), JSON.stringify(buildEnvironment('big', config.environments.big)));
  }
});

afterAll(async () => {
  await Promise.all(servers.map((server) => server.close()));
  await rm(dir, { recursive: true, force: true });
});

/** `debug502 run` on the ok or broken collection, as the CLI calls it, with the fast engine. */
async function run(name: 'ok' | 'broken', env: Record<string, string> = {}) {
  const io = captureIo({ cwd: dir, env });
  const reportDir = `reports-${name}`;
  const { exitCode: code } = await runCommand({ collection: `${name}.json`, environment: `${name}.env.json`, reports: { reportDir } }, io, { engine: runFast });
  const out = io.out.join('');
  const report = JSON.parse(await readFile(join(dir, reportDir, 'run.json'), 'utf8')) as RunReport;
  return { code, out, lines: out.trimEnd().split('\n'), report };
}

describe(`run on ${ENDPOINTS} endpoints`, () => {
  it('all ok: the answer on the first line, a handful of lines in all; the files keep every row', async () => {
    const { code, lines, report } = await run('ok');
    expect(code).toBe(0);
    expect(report.endpoints).toHaveLength(ENDPOINTS + 1);
    expect(lines[0]).toBe(`${(ENDPOINTS + 1).toLocaleString('en-US')} endpoints: ${(ENDPOINTS + 1).toLocaleString('en-US')} ok — verdict: ok`);
    expect(lines.length).toBeLessThanOrEqual(SCREEN_LINES);
    expect(lines.at(-1)).toBe('reports: reports-ok/run.json, reports-ok/run.junit.xml, reports-ok/run.md, reports-ok/run.html');
    const markdown = await readFile(join(dir, 'reports-ok', 'run.md'), 'utf8');
    expect(markdown.match(/^\| Endpoint \d+ \|/gm)).toHaveLength(ENDPOINTS);
    const html = await readFile(join(dir, 'reports-ok', 'run.html'), 'utf8');
    expect(html.match(/<tr class="row-endpoint/g)).toHaveLength(ENDPOINTS + 1);
  }, 60_000);

  it('25 not ok: the answer, the first 20 failing rows, "… and 5 more in run.md", one next step; the step summary bounded', async () => {
    const summary = join(dir, 'summary.md');
    await writeFile(summary, '');
    const { code, out, lines, report } = await run('broken', { GITHUB_STEP_SUMMARY: summary });
    expect(code).toBe(1);
    expect(report.totals.notOk).toBe(BROKEN.size);
    expect(lines[0]).toBe(`2,001 endpoints: 1,976 ok, 25 not ok · 25 of ${report.totals.tests.toLocaleString('en-US')} tests failed — verdict: gateway-misconfigured ×25`);
    expect(lines.length).toBeLessThanOrEqual(SCREEN_LINES);
    expect(out.match(/^Endpoint \d+\s+502 · \d+ ms\s+200 · \d+ ms\s+No 502 errors\s+gateway-misconfigured$/gm)).toHaveLength(20);
    expect(out).toContain('… and 5 more in reports-broken/run.md');
    expect(out.match(/next: /g)).toHaveLength(1);
    // run.md keeps every row; the step summary's copy keeps the answer and at most MAX_SUMMARY_ROWS a table.
    const markdown = await readFile(join(dir, 'reports-broken', 'run.md'), 'utf8');
    expect(markdown.match(/^\| Endpoint \d+ \|/gm)).toHaveLength(ENDPOINTS + BROKEN.size);
    const appended = await readFile(summary, 'utf8');
    expect(appended.split('\n')[0]).toBe(markdown.split('\n')[0]);
    // The health request is the every-endpoint table's first row: MAX_SUMMARY_ROWS - 1 endpoints after it.
    expect(appended.match(/^\| Endpoint \d+ \|/gm)).toHaveLength(MAX_SUMMARY_ROWS - 1 + BROKEN.size);
    expect(appended).toContain(`… and ${(ENDPOINTS + 1 - MAX_SUMMARY_ROWS).toLocaleString('en-US')} more`);
    expect(Buffer.byteLength(appended)).toBeLessThan(markdown.length / 3);
  }, 60_000);
});
