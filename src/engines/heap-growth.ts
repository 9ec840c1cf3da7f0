/**
 * A tighter old-generation growth while a newman ramp runs.
 *
 * Why: on a machine with gigabytes of memory V8 lets the old generation grow up to 4× what survived
 * the last full collection before it collects again — and newman makes garbage fast (~7 ms of CPU a
 * request, much of it allocation). A newman ramp whose live heap stayed near 60 MB peaked at 328 MB
 * RSS in one thread; with the growth factor fixed at 1.2 the same ramp peaked at 204 MB
 * (20,000 requests, concurrency 1 → 64, nginx `return 200`; two threads: 298 → 265 MB). The rate
 * stayed within this VM's noise: two threads at C = 16, processes with and without it interleaved,
 * three each, medians 305 vs 350 req/s in one series and 322 vs 322 in the next.
 *
 * Only for as long as a newman ramp runs (its executor holds it, ramp/executors.ts): a process whose
 * live heap is small and whose garbage is young, as the fast engine's, pays for the extra
 * collections — fast steps at C = 16 in processes with the flag sent a median 41k req/s, 64k without
 * it (four of each, interleaved).
 *
 * V8's flags are the process's: this holds for every thread of it, the worker pool's too. It only
 * changes when V8 collects, never what a run does.
 */
import { setFlagsFromString } from 'node:v8';

/** The old generation may grow by this percentage of what survived the last full collection (V8's --heap-growing-percent). */
export const HEAP_GROWING_PERCENT = 20;

let holders = 0;

/**
 * Sets V8's heap growth for this process (HEAP_GROWING_PERCENT) until every holder has released it;
 * then V8 grows the heap as it would (--heap-growing-percent=0). `setFlags` is for tests.
 */
export function limitHeapGrowth(setFlags: (flags: string) => void = setFlagsFromString): () => void {
  if (holders++ === 0) setFlags(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    if (--holders === 0) setFlags('--heap-growing-percent=0');
  };
}
