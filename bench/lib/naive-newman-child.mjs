/**
 * The Newman engine's baseline in a fresh process: `concurrency` newman.run in parallel over the
 * bench collection's backend folder — what a user would write by hand, with plain newman. A child
 * of its own because debug502's Newman engine, once loaded, makes every newman run of its process
 * share script sandboxes (src/engines/shared-sandboxes.ts): in the bench's process the baseline
 * would no longer be plain newman. argv[2] is JSON { url, concurrency, requests }; prints one JSON
 * line { requests, rps, clientCpuPercent }.
 */
import newman from 'newman';
import { BENCH_COLLECTION } from './load.mjs';

const { url, concurrency, requests } = JSON.parse(process.argv[2]);
/** One plain newman.run of `iterations` passes; resolves to the requests it sent. */
const run = (iterations) => new Promise((resolve, reject) => {
  newman.run({ collection: BENCH_COLLECTION, folder: 'Direct to backend', envVar: [{ key: 'backend_url', value: url }], iterationCount: iterations, reporters: [] }, (error, summary) =>
    error ? reject(error) : resolve(summary.run.stats.requests.total));
});
// Warm-up, as the engine's figures are taken warm: newman loaded, its paths compiled.
await Promise.all(Array.from({ length: 4 }, () => run(10)));
const cpu = process.cpuUsage();
const t0 = performance.now();
const counts = await Promise.all(Array.from({ length: concurrency }, () => run(Math.ceil(requests / concurrency))));
const wallMs = performance.now() - t0;
const done = counts.reduce((a, b) => a + b, 0);
const used = process.cpuUsage(cpu);
console.log(JSON.stringify({ requests: done, rps: (done * 1000) / wallMs, clientCpuPercent: ((used.user + used.system) / 1000 / wallMs) * 100 }));
process.exit(0);
