/**
 * Issue 29, item 11: the exported locustfile's --timeout-request is a total deadline per request
 * (connect, headers, the whole body), as in debug502's own engines. Real Locust against real
 * loopback servers: one trickles its status line and headers a byte every 300 ms, one sends its
 * headers and then a body byte every 300 ms for ever, and a listener whose accept queue is full
 * never completes a connect. requests' own timeout is per socket read, so before the deadline
 * none of these requests ever ended and the search judged nothing.
 */
import { createServer, type Socket } from 'node:net';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { captureIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { parseCsv } from '../../src/export/parse-csv.js';
import { buildCollection, buildEnvironment } from '../../src/generate/index.js';
import type { RampReport } from '../../src/model.js';
import { startFullBacklogListener } from '../run/helpers.js';
import { findLocust, runBounded } from './locust.js';

const TRICKLE_MS = 300;
const locust = findLocust();
if ('missing' in locust) console.log(`Locust deadline test skipped: ${locust.missing}`);

/** GET /head: the whole answer a byte every TRICKLE_MS; anything else: headers at once, then a body byte every TRICKLE_MS, never ending. */
async function startTrickler(): Promise<{ url: string; received: () => number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  let received = 0;
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
    socket.once('data', (chunk) => {
      received += 1;
      const head = 'HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ntransfer-encoding: chunked\r\n\r\n';
      const wholeHeadSlowly = String(chunk).startsWith('GET /head ');
      let pending = wholeHeadSlowly ? head : '';
      if (!wholeHeadSlowly) socket.write(head);
      const timer = setInterval(() => {
        if (socket.destroyed) return void clearInterval(timer);
        if (pending.length > 0) {
          socket.write(pending[0]);
          pending = pending.slice(1);
        } else socket.write('1\r\nx\r\n');
      }, TRICKLE_MS);
      socket.on('close', () => clearInterval(timer));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received: () => received,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

describe.skipIf('missing' in locust)('the locustfile\'s --timeout-request on real Locust', () => {
  test('trickled headers and a trickled body are cut as ESOCKETTIMEDOUT, a connect that never completes as ETIMEDOUT; the search judges them', async () => {
    const { bin } = locust as { bin: string };
    const dir = await mkdtemp(join(tmpdir(), 'debug502-locust-deadline-'));
    dirs.push(dir);
    const trickler = await startTrickler();
    const listener = await startFullBacklogListener();
    let run;
    try {
      const collection = buildCollection({
        name: 'deadline',
        assertions: { maxResponseTimeMs: 5000 },
        environments: { lab: { gateway_url: 'http://127.0.0.1:1', backend_url: 'http://127.0.0.1:1', secrets: [] } },
        endpoints: [
          { name: 'Trickled head', method: 'GET', path: '/head', query: {}, headers: {} },
          { name: 'Trickled body', method: 'GET', path: '/body', query: {}, headers: {} },
        ],
      });
      await writeFile(join(dir, 'c.json'), JSON.stringify(collection));
      await writeFile(join(dir, 'e.json'), JSON.stringify(buildEnvironment('lab', { gateway_url: trickler.url, backend_url: `http://127.0.0.1:${listener.port}`, secrets: [] })));
      const io = captureIo({ cwd: dir });
      expect(await main(['export', 'c.json', '--to', 'locust', '--environment', 'e.json', '--target', 'both', '--start', '1', '--max', '1',
        '--step-duration', '4s', '--timeout-request', '1s', '--max-duration', '40s', '--out', 'lt'], io)).toBe(0);
      await mkdir(join(dir, 'results'));
      run = await runBounded(bin, ['-f', 'lt/locustfile.py', '--headless', '--csv', 'results/run', '--csv-full-history', '--only-summary'], { cwd: dir, timeoutMs: 60_000 });
    } finally {
      listener.close();
      await trickler.close();
    }
    expect(run.signal).toBeNull(); // ended by the shape's search, not by the time bound
    expect(run.out).not.toMatch(/Traceback/);
    expect(run.out).toMatch(/gateway at 1 users: [1-9]\d* requests, [1-9]\d* failed -> fail/);
    expect(run.out).toMatch(/backend at 1 users: [1-9]\d* requests, [1-9]\d* failed -> fail/);
    expect(trickler.received()).toBeGreaterThanOrEqual(2);

    // Every request ended at the deadline, under the code debug502's engines give it; none answered.
    const table = parseCsv(await readFile(join(dir, 'results', 'run_stats.csv'), 'utf8'));
    const header = table[0];
    const byName = new Map(table.slice(1).filter((r) => r.length > 1).map((r) => [r[header.indexOf('Name')], { requests: Number(r[header.indexOf('Request Count')]), failures: Number(r[header.indexOf('Failure Count')]) }]));
    const names = [...byName.keys()].filter((n) => n !== 'Aggregated').sort();
    expect(names).toEqual(['[backend] Trickled body :: ETIMEDOUT', '[backend] Trickled head :: ETIMEDOUT', '[gateway] Trickled body :: ESOCKETTIMEDOUT', '[gateway] Trickled head :: ESOCKETTIMEDOUT']);
    for (const name of names) {
      expect(byName.get(name)!.requests, name).toBeGreaterThan(0);
      expect(byName.get(name)!.failures, name).toBe(byName.get(name)!.requests);
    }

    const report = captureIo({ cwd: dir });
    await main(['report', '--from-locust', 'results/run', '--report-dir', 'reports'], report);
    expect(report.err.join('')).not.toMatch(/error/i);
    const ramp = JSON.parse(await readFile(join(dir, 'reports', 'ramp.json'), 'utf8')) as RampReport;
    expect(Object.keys(ramp.targets.gateway!.steps[0].transportErrors)).toEqual(['ESOCKETTIMEDOUT']);
    expect(Object.keys(ramp.targets.backend!.steps[0].transportErrors)).toEqual(['ETIMEDOUT']);
    expect(ramp.targets.gateway!.breakingPoint?.concurrency).toBe(1);
    expect(ramp.targets.backend!.breakingPoint?.concurrency).toBe(1);
  }, 90_000);
});
