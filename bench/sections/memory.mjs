/**
 * Section 3, memory stays flat: newman steps of growing size against the same backend, with the
 * heap measured after a full GC. Flat heap = nothing kept per request (no newman executions list,
 * no per-request records), only the step's aggregates.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { num, printHeading, printRatio, printTable } from '../lib/format.mjs';
import { runRampStep } from '../lib/load.mjs';
import { withServer } from '../lib/servers.mjs';

const SIZES = [200, 1000, 3000];
const CONCURRENCY = 16;
const MB = 1024 * 1024;

const MIN_GC_ROUNDS = 4;
const MAX_GC_ROUNDS = 10;

/**
 * Heap used once full collections stop freeing memory: at least MIN_GC_ROUNDS rounds 20 ms apart,
 * then on while a round still frees more than 1 % (at most MAX_GC_ROUNDS). One or two gc() calls
 * are not enough: the sandboxes (vm contexts) of finished newman runs are only released by the
 * third collection or so, and measuring earlier left 70–150 MB of them in the figure, at random —
 * a per-request leak that is not there.
 */
async function heapAfterGc() {
  let previous = Infinity;
  for (let round = 1; round <= MAX_GC_ROUNDS; round += 1) {
    globalThis.gc();
    await sleep(20);
    const used = process.memoryUsage().heapUsed;
    if (round >= MIN_GC_ROUNDS && used > previous * 0.99) break;
    previous = used;
  }
  const { heapUsed, rss, external } = process.memoryUsage();
  return { heapUsed, rss, external };
}

export async function runMemorySection() {
  printHeading(`3. Memory flat: newman steps of ${SIZES.join(', ')} requests (C=${CONCURRENCY}, latency 0), heap after GC`);
  if (typeof globalThis.gc !== 'function') throw new Error('global.gc is missing: run node with --expose-gc (bench/run.mjs re-execs itself with it)');
  return withServer({ kind: 'backend', latencyMs: 0 }, async (backend) => {
    // Warm-up: newman and its sandbox loaded, code compiled, before the baseline is taken.
    await runRampStep(backend.url, { concurrency: CONCURRENCY, requests: 100 });
    const baseline = await heapAfterGc();
    const rows = [];
    for (const size of SIZES) {
      let peak = 0;
      const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().heapUsed)), 50);
      let step;
      try {
        step = await runRampStep(backend.url, { concurrency: CONCURRENCY, requests: size });
      } finally {
        clearInterval(sampler);
      }
      const after = await heapAfterGc();
      rows.push({ size, step, after, peak });
    }
    printTable(
      ['requests', 'req/s', 'failures', 'heap after GC MB', 'Δ vs baseline MB', 'peak heap MB', 'rss MB', 'external MB'],
      [
        ['baseline (after warm-up)', '', '', num(baseline.heapUsed / MB, 1), '0.0', '', num(baseline.rss / MB), num(baseline.external / MB, 1)],
        ...rows.map(({ size, step, after, peak }) => [
          `${num(step.requests)} of ${num(size)}`, num(step.rps), step.failures, num(after.heapUsed / MB, 1), num((after.heapUsed - baseline.heapUsed) / MB, 1),
          num(peak / MB, 1), num(after.rss / MB), num(after.external / MB, 1),
        ]),
      ],
    );
    const first = rows[0];
    const last = rows[rows.length - 1];
    const growth = last.after.heapUsed / first.after.heapUsed;
    const bytesPerRequest = (last.after.heapUsed - first.after.heapUsed) / (last.step.requests - first.step.requests);
    const retained = bytesPerRequest > 0 ? `${num(bytesPerRequest)} B per extra request` : 'nothing per extra request (the heap did not grow)';
    printRatio(`heap@${last.size} / heap@${first.size}`, growth, '≤ ~1 = flat; 15× the requests would show as well above 1 if anything were kept per request');
    console.log(`  → retained: ${retained}. Noise: ±10–25 MB as newman's sandboxes and old bytecode are freed between steps.`);
    return [{ name: `memory: heap@${last.size} / heap@${first.size} after GC`, value: growth, meaning: `≤ ~1 = flat; retained ${retained}` }];
  });
}
