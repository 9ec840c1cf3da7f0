/**
 * How a ramp's virtual user walks `-d` data. A file of its own so that step workers, which import
 * it, do not load the input readers (newman-inputs.ts: YAML, CSV, the v1 transformer — about 20 MB
 * a thread) that only the main thread needs.
 */

/** `count` rows cycling through `rows` from the first. */
export function cycleRows<Row>(rows: readonly Row[], count: number): Row[] {
  return Array.from({ length: count }, (_, i) => rows[i % rows.length]);
}
