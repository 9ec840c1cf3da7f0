/**
 * The two load generators the bench compares: autocannon (the ceiling: a lean HTTP/1.1 client
 * with keep-alive) and the ramp's own newman step (executeStep: C virtual users, each one newman run).
 */
import autocannon from 'autocannon';
import { resolveConfig } from '../../dist/config/index.js';
import { buildCollection } from '../../dist/generate/index.js';
import { ENGINES } from '../../dist/engines/index.js';
import { budgetStep, executeStep, resolveRampOptions } from '../../dist/ramp/index.js';

/** The ramp's own defaults (fail-on, threshold, request timeout), as `debug502 ramp` uses them. */
export const RAMP_OPTIONS = resolveRampOptions({});

/** The generated collection with one endpoint, GET /api/users: one request per pass of a folder. */
export const BENCH_COLLECTION = buildCollection(
  resolveConfig(
    {
      name: 'bench',
      environments: { lab: { gateway_url: 'http://127.0.0.1:1', backend_url: 'http://127.0.0.1:1' } },
      endpoints: [{ name: 'List users', path: '/api/users', headers: { Accept: 'application/json' } }],
    },
    'bench config',
  ),
);

export const BENCH_PATH = '/api/users';

/** CPU time of this process in ms since `since` (a process.cpuUsage() value). */
function cpuMsSince(since) {
  const d = process.cpuUsage(since);
  return (d.user + d.system) / 1000;
}

/**
 * autocannon against `url` with `connections` for `durationSec` (in this process, so its CPU is
 * this process's CPU). Returns requests/s, latency p99 (ms), client CPU %, error counts.
 */
export async function runAutocannon(url, { connections = 16, durationSec = 3 } = {}) {
  const cpu = process.cpuUsage();
  const t0 = performance.now();
  const result = await autocannon({ url, connections, duration: durationSec, timeout: 10 });
  const wallMs = performance.now() - t0;
  const completed = result.requests.total;
  return {
    requests: completed,
    rps: completed / (wallMs / 1000),
    p99Ms: result.latency.p99,
    p50Ms: result.latency.p50,
    clientCpuPercent: (cpuMsSince(cpu) / wallMs) * 100,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    wallMs,
  };
}

/**
 * One ramp step (executeStep, `engine` newman or fast) at `concurrency` with a budget of `requests`, direct to
 * the backend at `url`. Returns the StepResult (rps, peakInFlight, clientCpuPercent, …) plus
 * `steadyRps`: the rate between 25 % and 75 % of the budget done, without the runs' start and tail.
 */
export async function runRampStep(url, { concurrency, requests, collection = BENCH_COLLECTION, engine = 'newman' }) {
  let at25;
  let at75;
  let done25 = 0;
  let done75 = 0;
  const onProgress = ({ done, planned }) => {
    if (at25 === undefined && done >= planned * 0.25) [at25, done25] = [performance.now(), done];
    if (at75 === undefined && done >= planned * 0.75) [at75, done75] = [performance.now(), done];
  };
  const { result } = await executeStep({
    target: 'backend',
    phase: 'ramp',
    budget: budgetStep(concurrency, requests, 1),
    collection,
    envVars: { backend_url: url },
    failOn: RAMP_OPTIONS.failOn,
    threshold: RAMP_OPTIONS.threshold,
    timeoutRequestMs: RAMP_OPTIONS.timeoutRequestMs,
    runRequestsBefore: 0,
    onProgress,
  }, { runEngine: ENGINES[engine].run, engineName: engine });
  const steadyRps = at75 > at25 ? ((done75 - done25) * 1000) / (at75 - at25) : result.rps;
  return { ...result, steadyRps };
}

/** Server CPU % between two stats() snapshots taken `wallMs` apart. */
export function serverCpuPercent(before, after, wallMs) {
  return wallMs > 0 ? ((after.cpuMicros - before.cpuMicros) / 1000 / wallMs) * 100 : 0;
}

/** A copy of `collection` without any `event` (test and pre-request scripts): a reference point only. */
export function withoutScripts(collection) {
  if (Array.isArray(collection)) return collection.map(withoutScripts);
  if (collection === null || typeof collection !== 'object') return collection;
  return Object.fromEntries(Object.entries(collection).filter(([key]) => key !== 'event').map(([key, value]) => [key, withoutScripts(value)]));
}
