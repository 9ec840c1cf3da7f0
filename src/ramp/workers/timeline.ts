/**
 * Requests in flight across worker threads, from their start/end times on one shared clock: the
 * peak (a sweep over the sorted starts and ends), the time-weighted area (Σ end − start, which is
 * ∫ in flight dt), and the 1-based ordinal of the request that started at a given time (the first
 * failure's, as one thread would have numbered it). Pure; 16 bytes a request, freed with the step.
 */
export interface Timeline {
  peakInFlight: number;
  /** request·ms */
  inFlightArea: number;
  /** Ordinal (by start time, over every worker) of the request that started at `firstFailureStart`, or null. */
  firstFailureOrdinal: number | null;
}

/** Merges batches of [start₀, end₀, start₁, end₁, …] (see the file comment). */
export function mergeTimeline(batches: readonly Float64Array[], firstFailureStart: number | null): Timeline {
  const count = batches.reduce((n, b) => n + b.length / 2, 0);
  const starts = new Float64Array(count);
  const ends = new Float64Array(count);
  let i = 0;
  let inFlightArea = 0;
  for (const batch of batches) {
    for (let j = 0; j < batch.length; j += 2, i++) {
      starts[i] = batch[j];
      ends[i] = batch[j + 1];
      inFlightArea += Math.max(0, batch[j + 1] - batch[j]);
    }
  }
  starts.sort();
  ends.sort();
  // A request that ends at the very moment another starts was not in flight with it.
  let peakInFlight = 0;
  let inFlight = 0;
  for (let s = 0, e = 0; s < count; ) {
    if (e < count && ends[e] <= starts[s]) {
      inFlight -= 1;
      e++;
    } else {
      inFlight += 1;
      s++;
      if (inFlight > peakInFlight) peakInFlight = inFlight;
    }
  }
  let firstFailureOrdinal: number | null = null;
  if (firstFailureStart !== null) {
    // Requests that started no later than the failing one, found by binary search in the sorted starts.
    let low = 0;
    let high = count;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (starts[mid] <= firstFailureStart) low = mid + 1;
      else high = mid;
    }
    firstFailureOrdinal = Math.max(1, low);
  }
  return { peakInFlight, inFlightArea, firstFailureOrdinal };
}
