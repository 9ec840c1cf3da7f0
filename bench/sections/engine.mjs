/**
 * Section 1, engine throughput: what the ramp's newman step can send compared with the ceiling
 * (autocannon against the same backend), and whether it keeps C requests in flight when every
 * answer takes 50 ms — the "honest load" property the ramp relies on (underdriven steps decide nothing).
 */
import { num, printHeading, printRatio, printTable, ratio } from '../lib/format.mjs';
import { BENCH_COLLECTION, BENCH_PATH, runAutocannon, runRampStep, serverCpuPercent, withoutScripts } from '../lib/load.mjs';
import { withServer } from '../lib/servers.mjs';

const CEILING_CONNECTIONS = 16;
const CEILING_SECONDS = 3;
const NEWMAN_C = 16;
const NEWMAN_REQUESTS = 800;
const HONEST_LATENCY_MS = 50;
const HONEST_LEVELS = [8, 16, 32];
/** Passes per virtual user at each honest-load level: long enough for every user to be running. */
const HONEST_PASSES_PER_USER = 12;

/** Runs `fn` against a fresh backend and adds the backend's own peak in flight and CPU %. */
async function measure(latencyMs, fn) {
  return withServer({ kind: 'backend', latencyMs }, async (server) => {
    const before = await server.stats();
    const t0 = performance.now();
    const figures = await fn(server.url);
    const wallMs = performance.now() - t0;
    const after = await server.stats();
    return { ...figures, serverPeak: after.peakInFlight, serverCpuPercent: serverCpuPercent(before, after, wallMs), served: after.requests };
  });
}

export async function runEngineSection() {
  printHeading('1. Engine throughput: the ramp\'s newman and fast steps vs the autocannon ceiling (backend latency 0, no cap)');
  // Warm-up: loads newman (about 0.4 s) and JIT-compiles both paths before anything is timed.
  await measure(0, (url) => runRampStep(url, { concurrency: 4, requests: 40 }));
  await measure(0, (url) => runAutocannon(url + BENCH_PATH, { connections: CEILING_CONNECTIONS, durationSec: 0.5 }));

  const ceiling = await measure(0, (url) => runAutocannon(url + BENCH_PATH, { connections: CEILING_CONNECTIONS, durationSec: CEILING_SECONDS }));
  const newmanOn = (collection, engine = 'newman') => async (url) => {
    const step = await runRampStep(url, { concurrency: NEWMAN_C, requests: engine === 'fast' ? NEWMAN_REQUESTS * 10 : NEWMAN_REQUESTS, collection, engine });
    return { requests: step.requests, rps: step.rps, p99Ms: step.latencyMs.p99, clientCpuPercent: step.clientCpuPercent, clientPeak: step.peakInFlight, failures: step.failures };
  };
  const newman = await measure(0, newmanOn(BENCH_COLLECTION));
  // Reference only: the same step with the collection's test scripts removed shows what the sandbox costs.
  const bare = await measure(0, newmanOn(withoutScripts(BENCH_COLLECTION)));
  const fast = await measure(0, newmanOn(BENCH_COLLECTION, 'fast'));
  printTable(
    ['engine', 'C', 'requests', 'req/s', 'p99 ms', 'client CPU %', 'peak in flight (client)', 'peak (backend)', 'backend CPU %', 'errors'],
    [
      ['autocannon (ceiling)', CEILING_CONNECTIONS, num(ceiling.requests), num(ceiling.rps), num(ceiling.p99Ms), num(ceiling.clientCpuPercent), `${CEILING_CONNECTIONS}*`, ceiling.serverPeak, num(ceiling.serverCpuPercent), ceiling.errors + ceiling.non2xx],
      ['newman step (ramp)', NEWMAN_C, num(newman.requests), num(newman.rps), num(newman.p99Ms), num(newman.clientCpuPercent), newman.clientPeak, newman.serverPeak, num(newman.serverCpuPercent), newman.failures],
      ['  same, no test scripts†', NEWMAN_C, num(bare.requests), num(bare.rps), num(bare.p99Ms), num(bare.clientCpuPercent), bare.clientPeak, bare.serverPeak, num(bare.serverCpuPercent), bare.failures],
      ['fast step (--engine fast)', NEWMAN_C, num(fast.requests), num(fast.rps), num(fast.p99Ms), num(fast.clientCpuPercent), fast.clientPeak, fast.serverPeak, num(fast.serverCpuPercent), fast.failures],
    ],
  );
  console.log('  * autocannon keeps one request outstanding per connection by construction. At latency 0 the');
  console.log('    backend answers each request before it reads the next, so its own peak is ~1 for both engines.');
  console.log('  † reference, not what the ramp runs: the generated tests ("No 502 errors", latency) removed.');
  const throughputRatio = newman.rps / ceiling.rps;
  printRatio('newman / ceiling req/s', throughputRatio, `the ramp's newman step reaches ${(throughputRatio * 100).toFixed(2)} % of what this machine can serve`);
  const fastRatio = fast.rps / newman.rps;
  printRatio('fast / newman req/s', fastRatio, 'how much more load the fast engine sends from the same client');
  const cpuMsPerRequest = (figures) => (figures.clientCpuPercent / 100) * (1000 / figures.rps);
  console.log(`  → client CPU per request: newman ${cpuMsPerRequest(newman).toFixed(2)} ms, without test scripts ${cpuMsPerRequest(bare).toFixed(2)} ms, fast ${cpuMsPerRequest(fast).toFixed(3)} ms, autocannon ${cpuMsPerRequest(ceiling).toFixed(3)} ms`);

  console.log(`\n  Honest load: backend latency ${HONEST_LATENCY_MS} ms, ${HONEST_PASSES_PER_USER} passes per virtual user`);
  const honest = [];
  const honestFast = [];
  for (const c of HONEST_LEVELS) {
    const fastFigures = await measure(HONEST_LATENCY_MS, async (url) => ({ step: await runRampStep(url, { concurrency: c, requests: c * HONEST_PASSES_PER_USER, engine: 'fast' }) }));
    honestFast.push({ c, steadyHeld: (fastFigures.step.steadyRps * HONEST_LATENCY_MS) / 1000, avg: fastFigures.step.avgInFlight });
    const figures = await measure(HONEST_LATENCY_MS, async (url) => {
      const step = await runRampStep(url, { concurrency: c, requests: c * HONEST_PASSES_PER_USER });
      return { step };
    });
    const { step } = figures;
    // Little's law: each request sits at the backend for ≥ 50 ms, so rate × 50 ms is the mean number
    // held there — over the whole step, and in its steady middle (25–75 % of the budget done).
    honest.push({ c, step, serverPeak: figures.serverPeak, meanHeld: (step.rps * HONEST_LATENCY_MS) / 1000, steadyHeld: (step.steadyRps * HONEST_LATENCY_MS) / 1000 });
  }
  printTable(
    ['C', 'requests', 'req/s', 'steady req/s', 'ideal', 'p50 ms', 'client CPU %', 'peak client', 'peak backend', 'peak/C', 'held (mean)', 'held (steady)', 'steady/C', 'underdriven'],
    honest.map(({ c, step, serverPeak, meanHeld, steadyHeld }) => [
      c, step.requests, num(step.rps), num(step.steadyRps), num((c * 1000) / HONEST_LATENCY_MS), step.latencyMs.p50, num(step.clientCpuPercent), step.peakInFlight, serverPeak,
      ratio(step.peakInFlight / c), num(meanHeld, 1), num(steadyHeld, 1), ratio(steadyHeld / c), step.underdriven ? 'yes' : 'no',
    ]),
  );
  console.log(`  held = requests/s × ${HONEST_LATENCY_MS} ms (Little's law): how many requests the backend really held at once on average;`);
  console.log('  steady = between 25 % and 75 % of the budget done, so without the newman runs starting and draining.');
  const worstPeak = Math.min(...honest.map((h) => Math.min(h.step.peakInFlight, h.serverPeak) / h.c));
  const worst = honest.reduce((w, h) => (h.steadyHeld / h.c < w.steadyHeld / w.c ? h : w));
  printRatio('min peak in flight / C (client and backend)', worstPeak, "1.00 = every level reached C at once: the ramp's underdriven check passes");
  printRatio(`steady held / C at C=${worst.c}`, worst.steadyHeld / worst.c, 'below 1: C was reached at the peak but not sustained');
  const most = Math.max(...honest.map((h) => h.steadyHeld));
  console.log(`  → most requests newman kept in flight on average at ${HONEST_LATENCY_MS} ms: ${num(most, 1)} (at any C)`);
  console.log(`  → the fast engine, same steps: steady held ${honestFast.map((h) => `${num(h.steadyHeld, 1)} of ${h.c}`).join(', ')}`);
  const fastWorst = Math.min(...honestFast.map((h) => h.steadyHeld / h.c));
  printRatio('fast engine: worst steady held / C', fastWorst, 'near 1: the fast engine sustains the level it claims');

  return [
    { name: 'newman / autocannon req/s (latency 0, C=16)', value: throughputRatio, meaning: 'share of the ceiling the newman engine reaches; newman costs ~ms of CPU per request' },
    { name: 'honest load: min peak in flight / C (50 ms, C=8/16/32)', value: worstPeak, meaning: "1.00 = C was reached at every level (what the ramp's underdriven check looks at)" },
    { name: `honest load: steady held / C (50 ms, worst C=${worst.c})`, value: worst.steadyHeld / worst.c, meaning: `share of C really sustained; newman held ${num(most, 1)} at most` },
    { name: 'fast / newman req/s (latency 0, C=16)', value: fastRatio, meaning: 'load the fast engine sends for newman\'s one, from the same client' },
    { name: 'fast engine: worst steady held / C (50 ms)', value: fastWorst, meaning: 'share of C the fast engine really sustains' },
  ];
}
