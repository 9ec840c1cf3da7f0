/**
 * Section 0, what limits each engine — every figure against nginx answering `return 200` itself (a
 * target faster than any Node client, so the client's own ceiling shows), in one run:
 *   naive newman (16 newman.run in parallel in one process of plain newman) · the Newman engine with 1 and N worker
 *   threads · the fast engine · autocannon, at C = 16 and 64; the open model's offered vs achieved
 *   rate; the peak RSS of a 100k-request ramp (fresh process). Ratios are against baselines of this
 *   run: the machine is shared, absolute figures are noisy.
 */
import { fork } from 'node:child_process';
import { availableParallelism, loadavg } from 'node:os';
import { budgetRateStep, budgetStep, createStepPool, executeRateStep } from '../../dist/ramp/index.js';
import { num, printHeading, printRatio, printTable } from '../lib/format.mjs';
import { BENCH_COLLECTION, RAMP_OPTIONS, runAutocannon, runRampStep } from '../lib/load.mjs';
import { startNginxReturn200 } from '../lib/nginx-fast.mjs';
import { startServer } from '../lib/servers.mjs';

const NEWMAN_REQUESTS = 480;
// About as long as autocannon's run (2-3 s on 2 cores), so neither is timed over a shorter stretch.
const FAST_REQUESTS = { 16: 60_000, 64: 90_000 };
// The fast engine's path is compiled by V8 over its first tens of thousands of requests: measured, a
// cold 20k-request step at C=16 ran at about half the speed of the fourth. autocannon warms inside
// its own 3 s; a ramp's high steps come after its low ones, warm as they are here.
const FAST_WARMUP_STEPS = 3;
const FAST_WARMUP_REQUESTS = 20_000;
const AUTOCANNON_SECONDS = 3;
const RATES = [1000, 4000, 16_000];
const RATE_STEP_MS = 1000;
const RSS_REQUESTS = 100_000;
/**
 * newman sends ~100–300 req/s here, so 100k requests would take 6–15 min a row: its rows ramp 20k. The
 * peak grows slowly past that (measured, 2 threads: 222 MB at 20k requests, 245–247 MB at 100k).
 */
const RSS_NEWMAN_REQUESTS = 20_000;

function stepInput(url, concurrency, requests) {
  return {
    target: 'backend', phase: 'ramp', budget: budgetStep(concurrency, requests, 1), collection: BENCH_COLLECTION, envVars: { backend_url: url },
    failOn: RAMP_OPTIONS.failOn, threshold: RAMP_OPTIONS.threshold, timeoutRequestMs: RAMP_OPTIONS.timeoutRequestMs, runRequestsBefore: 0,
  };
}

/** One step over a worker pool of `workers` threads (started and warmed before the timed step). */
async function runPooled(url, engine, workers, concurrency, requests) {
  const pool = createStepPool({ engine, workers });
  try {
    await pool.execute(stepInput(url, workers, workers * 4));
    const { result } = await pool.execute(stepInput(url, concurrency, requests));
    return result;
  } finally {
    await pool.close();
  }
}

/** Runs bench/lib/`file` in a fresh process with `spec` (JSON in argv) and resolves to the JSON line it prints last. */
function runChild(file, spec) {
  return new Promise((resolve, reject) => {
    const child = fork(new URL(`../lib/${file}`, import.meta.url), [JSON.stringify(spec)], { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.once('exit', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').at(-1))) : reject(new Error(`${file} exited ${code}`))));
  });
}

/** `concurrency` parallel newman.run with plain newman, in a fresh process (naive-newman-child.mjs): the Newman engine's baseline. */
const runNaiveNewman = (url, concurrency, requests) => runChild('naive-newman-child.mjs', { url, concurrency, requests });
/** The peak RSS of a ramp in a fresh process (rss-child.mjs). */
const measureRss = (spec) => runChild('rss-child.mjs', spec);

export async function runLimitsSection(results) {
  const cores = availableParallelism();
  let target = await startNginxReturn200();
  let targetName = 'nginx return 200';
  if (!target) {
    target = await startServer({ kind: 'backend', latencyMs: 0 });
    targetName = 'lab backend (nginx not installed: the target, not the client, may be the limit)';
  }
  printHeading(`0. What limits each engine — against ${targetName}, ${cores} cores, load average ${loadavg()[0].toFixed(1)}`);
  const url = target.url;
  // Warm-up: loads newman and the fast engine and compiles both paths before anything is timed.
  await runRampStep(url, { concurrency: 4, requests: 40 });
  for (let i = 0; i < FAST_WARMUP_STEPS; i++) await runRampStep(url, { concurrency: 16, requests: FAST_WARMUP_REQUESTS, engine: 'fast' });

  const rows = [];
  const figures = {};
  const record = (name, c, f) => {
    figures[`${name} C=${c}`] = { rps: Math.round(f.rps), requests: f.requests, clientCpuPercent: Math.round(f.clientCpuPercent) };
    rows.push([name, c, num(f.requests), num(f.rps), num(f.clientCpuPercent), f.peakInFlight ?? '']);
    return f;
  };
  const naive = record('naive newman (16 × newman.run)', 16, await runNaiveNewman(url, 16, NEWMAN_REQUESTS));
  const newman1 = record('Newman engine, 1 thread', 16, await runRampStep(url, { concurrency: 16, requests: NEWMAN_REQUESTS }));
  const newmanN = record(`Newman engine, --workers ${cores}`, 16, await runPooled(url, 'newman', cores, 16, NEWMAN_REQUESTS * cores));
  const fast = {};
  const ac = {};
  for (const c of [16, 64]) {
    ac[c] = record('autocannon', c, await runAutocannon(url, { connections: c, durationSec: AUTOCANNON_SECONDS }));
    fast[c] = record('fast engine, 1 thread', c, await runRampStep(url, { concurrency: c, requests: FAST_REQUESTS[c], engine: 'fast' }));
  }
  const fastN = record(`fast engine, --workers ${cores}`, 64, await runPooled(url, 'fast', cores, 64, FAST_REQUESTS[64]));
  printTable(['generator', 'C', 'requests', 'req/s', 'client CPU %', 'peak in flight'], rows);

  const rateRows = [];
  figures.rate = [];
  for (const rate of RATES) {
    const { result } = await executeRateStep({ ...stepInput(url, 1, 1), budget: budgetRateStep(rate, RATE_STEP_MS, 256) }, { engine: 'fast' });
    figures.rate.push({ offered: rate, achieved: result.rps, dropped: result.droppedArrivals });
    rateRows.push([num(rate), num(result.rps), num(result.droppedArrivals), num(result.clientCpuPercent), result.peakInFlight]);
  }
  console.log(`\n  Open model (--mode rate, fast engine): ${RATE_STEP_MS / 1000} s a rate, at most 256 in flight`);
  printTable(['offered req/s', 'achieved req/s', 'dropped', 'client CPU %', 'peak in flight'], rateRows);

  const rss = [
    { engine: 'fast', workers: 1, requests: RSS_REQUESTS },
    { engine: 'fast', workers: cores, requests: RSS_REQUESTS },
    { engine: 'newman', workers: 1, requests: RSS_NEWMAN_REQUESTS },
    { engine: 'newman', workers: cores, requests: RSS_NEWMAN_REQUESTS },
  ];
  const rssRows = [];
  figures.rss = [];
  for (const spec of rss) {
    const measured = await measureRss({ url, ...spec });
    figures.rss.push({ ...spec, ...measured });
    rssRows.push([`${spec.engine}, ${spec.workers} thread${spec.workers === 1 ? '' : 's'}`, num(measured.requests), num(measured.maxRssMb), num(measured.durationMs / 1000, 1)]);
  }
  console.log('\n  Peak RSS of a ramp, concurrency 1 → 64, in a fresh process');
  printTable(['engine', 'requests', 'peak RSS MB', 's'], rssRows);
  await target.close();

  const ratios = [
    { name: `Newman engine --workers ${cores} / naive newman (C=16)`, value: newmanN.rps / naive.rps, meaning: 'goal ≥ 1.8× on 2 cores' },
    { name: 'Newman engine 1 thread / naive newman (C=16)', value: newman1.rps / naive.rps, meaning: 'the engine\'s own overhead against plain newman.run' },
    { name: 'fast engine / autocannon (C=16)', value: fast[16].rps / ac[16].rps, meaning: 'goal ≥ 1.0×' },
    { name: 'fast engine / autocannon (C=64)', value: fast[64].rps / ac[64].rps, meaning: 'goal ≥ 1.0×' },
    { name: `fast engine --workers ${cores} / autocannon (C=64)`, value: fastN.rps / ac[64].rps, meaning: 'with every core' },
    { name: `rate ${num(RATES.at(-1))}/s: achieved / offered`, value: figures.rate.at(-1).achieved / RATES.at(-1), meaning: 'below 1: the generator, not the target, set the load (dropped arrivals)' },
  ];
  for (const row of figures.rss) {
    ratios.push({ name: `${row.engine} ${row.workers} thread${row.workers === 1 ? '' : 's'}, ${num(row.requests)}-request ramp: peak RSS / 250 MB`, value: row.maxRssMb / 250, meaning: 'below 1 holds the goal' });
  }
  for (const r of ratios) printRatio(r.name, r.value, r.meaning);
  Object.assign(results, { target: targetName, cores, loadAverage: loadavg()[0], figures });
  return ratios;
}
