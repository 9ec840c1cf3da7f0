import type { WatchArrivals } from '../model.js';

/** mulberry32: a small seeded PRNG, so a watch's poisson schedule can be replayed from its seed. Pure. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The arrival offsets (ms from the start) of an open-model watch, lazily: `uniform` every
 * 1000/rate ms; `poisson` with exponential gaps of mean 1000/rate ms (arrivals independent of each
 * other and of the answers, as real users are — so idle gaps longer than the mean happen, and the
 * keep-alive race needs those). Every offset is below `durationMs`. Pure given the seed.
 */
export function* planArrivals(ratePerSec: number, durationMs: number, arrivals: WatchArrivals, seed: number): Generator<number> {
  const meanGapMs = 1000 / ratePerSec;
  const random = seededRandom(seed);
  let at = arrivals === 'uniform' ? 0 : -Math.log(1 - random()) * meanGapMs;
  while (at < durationMs) {
    yield at;
    at += arrivals === 'uniform' ? meanGapMs : -Math.log(1 - random()) * meanGapMs;
  }
}
