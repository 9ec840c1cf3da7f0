/**
 * Section 6, input-memory: peak RSS of the CLI on big inputs, against the bounds and
 * against the CLI doing almost nothing (`--version`) in the same run:
 *   generate   a 10,000-endpoint config (bound: 300 MB)
 *   report     re-rendering a 100,000-step ramp.json (bound: 500 MB): the default reporters (HTML,
 *              Markdown, JUnit), then ramp.json itself (-r json). The input is a schemaVersion 1
 *              file, so the v1 reader's upgrade is measured too.
 *   locust     report --from-locust of a 111 MB stats history (bound: 500 MB; it took 2.2 GB)
 * Wall times are printed beside (figures for this machine, not bounds).
 * Each runs in its own process, so one's heap does not inflate the other's figure.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { num, printHeading, printTable } from '../lib/format.mjs';

const BIN = fileURLToPath(new URL('../../dist/cli/bin.js', import.meta.url));
const PRINT_MAX_RSS = 'data:text/javascript,process.on("exit",()=>process.stderr.write("\\nMAXRSS "+process.resourceUsage().maxRSS+"\\n"))';

/** A run longer than this is stopped and reported as such (its RSS so far is not known). */
const CHILD_TIMEOUT_MS = 60_000;

/** Peak RSS in MB of `debug502 <args>` in a fresh process, its wall time in s, and its exit code ('timeout' when stopped). */
function peakRss(args, cwd) {
  return new Promise((resolve) => {
    const startedAt = performance.now();
    const child = spawn(process.execPath, ['--import', PRINT_MAX_RSS, BIN, ...args], { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    let timedOut = false;
    // SIGKILL: a process busy rendering runs no signal handler.
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, CHILD_TIMEOUT_MS);
    child.stderr.on('data', (chunk) => (err += chunk));
    child.on('exit', (code) => {
      clearTimeout(timer);
      const seconds = (performance.now() - startedAt) / 1000;
      resolve({ mb: Number(/MAXRSS (\d+)/.exec(err)?.[1] ?? NaN) / 1024, seconds, code: timedOut ? `timeout ${CHILD_TIMEOUT_MS / 1000} s` : code });
    });
  });
}

export function bigConfig(count) {
  const endpoints = Array.from({ length: count }, (_, i) => ({ name: `Endpoint ${i}`, method: 'GET', path: `/api/items/${i}`, query: { page: '1' }, headers: { Accept: 'application/json' } }));
  return { environments: { local: { gateway_url: 'http://127.0.0.1:8080', backend_url: 'http://127.0.0.1:3000' } }, endpoints };
}

export function bigRampReport(steps) {
  // Levels repeat within the 1,024 users a ramp may have (report --from refuses a level above it).
  const step = (i) => ({
    concurrency: (i % 1024) + 1, phase: 'ramp', requests: 200, status: { 200: 190, 502: 10 }, transportErrors: {}, failures: 10, rate502: 0.05, failureRate: 0.05,
    latencyMs: { p50: 10, p90: 20, p95: 30, p99: 40, max: 50 }, rps: 100, durationMs: 2000, first502AtRequest: 5, first502AtRunRequest: 5 + i * 200,
    peakInFlight: (i % 1024) + 1, underdriven: false, clientCpuPercent: 10, failed: i > 0,
  });
  const options = { target: 'gateway', engine: 'newman', start: 1, max: 1024, factor: 2, requestsPerStep: 200, threshold: 0, failOn: [502], bisect: true, maxRequests: 20000, maxDurationMs: 600000, timeoutRequestMs: 10000 };
  return {
    schemaVersion: 1,
    meta: { tool: 'debug502', version: '0.1.0', collection: 'c.json', environment: 'e.json', startedAt: new Date(0).toISOString(), durationMs: 1, options },
    targets: { gateway: { steps: Array.from({ length: steps }, (_, i) => step(i)), breakingPoint: { concurrency: 2, rps: 100, rate502: 0.05, failureRate: 0.05 }, lastPassing: { concurrency: 1, rps: 100, rate502: 0, failureRate: 0 }, first502AtRequest: 205, underdriven: false } },
    verdict: { code: 'breaking-point', message: 'bench' },
  };
}

/** Locust's stats-history columns (2.x, --csv-full-history). */
const LOCUST_COLUMNS = ['Timestamp', 'User Count', 'Type', 'Name', 'Requests/s', 'Failures/s', '50%', '66%', '75%', '80%', '90%', '95%', '98%', '99%', '99.9%', '99.99%', '100%',
  'Total Request Count', 'Total Failure Count', 'Total Median Response Time', 'Total Average Response Time', 'Total Min Response Time', 'Total Max Response Time', 'Total Average Content Size'];

/**
 * A `PREFIX_stats_history.csv` of about `bytes`: 40 gateway request names and the Aggregated row
 * every second, cumulative as Locust writes them, 10 minutes at each user count from 1 to 64 and round.
 */
export function bigLocustHistory(bytes) {
  const names = Array.from({ length: 40 }, (_, i) => `[gateway] GET /api/endpoint/${i}`);
  const totals = names.map(() => 0);
  const chunks = [LOCUST_COLUMNS.join(',') + '\r\n'];
  let size = chunks[0].length;
  for (let t = 0; size < bytes; t += 1) {
    const users = 1 + (Math.floor(t / 600) % 64);
    let all = 0;
    const lines = names.map((name, i) => {
      totals[i] += 10;
      all += totals[i];
      return [1_800_000_000 + t, users, 'GET', name, 10, 0, ...Array(11).fill(50), totals[i], 0, 50, 50, 40, 60, 10].join(',');
    });
    lines.push([1_800_000_000 + t, users, '', 'Aggregated', 0, 0, 50, 52, 53, 54, 55, 58, 60, 61, 70, 70, 80, all, 0, 50, 50, 40, 80, 10].join(','));
    const chunk = lines.join('\r\n') + '\r\n';
    size += chunk.length;
    chunks.push(chunk);
  }
  return chunks.join('');
}

export async function runInputMemorySection() {
  printHeading('6. Input memory: peak RSS of the CLI on big inputs (each in its own process)');
  const dir = await mkdtemp(join(tmpdir(), 'debug502-bench-mem-'));
  try {
    await writeFile(join(dir, 'big.config.json'), JSON.stringify(bigConfig(10_000)));
    await writeFile(join(dir, 'ramp.json'), JSON.stringify(bigRampReport(100_000)));
    await writeFile(join(dir, 'run_stats_history.csv'), bigLocustHistory(111_000_000));
    const idle = await peakRss(['--version'], dir);
    const generate = await peakRss(['generate', '--config', 'big.config.json', '--out', 'gen'], dir);
    const report = await peakRss(['report', '--from', 'ramp.json', '--report-dir', 'rendered'], dir);
    const json = await peakRss(['report', '--from', 'ramp.json', '--report-dir', 'rendered-json', '-r', 'json'], dir);
    const locust = await peakRss(['report', '--from-locust', 'run', '--report-dir', 'rendered-locust'], dir);
    printTable(['run', 'exit', 'peak RSS MB', 'bound MB', 'wall s'], [
      ['debug502 --version (baseline)', String(idle.code), num(idle.mb), '–', num(idle.seconds, 1)],
      ['generate, 10,000 endpoints', String(generate.code), num(generate.mb), '300', num(generate.seconds, 1)],
      ['report --from, 100,000 steps (html, md, junit)', String(report.code), num(report.mb), '500', num(report.seconds, 1)],
      ['report --from, 100,000 steps, -r json', String(json.code), num(json.mb), '500', num(json.seconds, 1)],
      ['report --from-locust, a 111 MB history', String(locust.code), num(locust.mb), '500', num(locust.seconds, 1)],
    ]);
    return [
      { name: 'generate 10k endpoints peak RSS / 300 MB bound', value: generate.mb / 300, meaning: 'below 1 holds the bound (issue 14)' },
      { name: 'report 100k steps peak RSS / 500 MB bound', value: report.mb / 500, meaning: 'below 1 holds the bound (issue 14)' },
      { name: 'report 100k steps -r json peak RSS / 500 MB bound', value: json.mb / 500, meaning: 'below 1 holds the bound (ramp.json written a step at a time)' },
      { name: 'report --from-locust 111 MB history peak RSS / 500 MB bound', value: locust.mb / 500, meaning: 'below 1 holds the bound (issue 29: it took 1.8-2.2 GB)' },
      { name: 'generate 10k endpoints / --version peak RSS', value: generate.mb / idle.mb, meaning: 'memory the input itself costs' },
    ];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
