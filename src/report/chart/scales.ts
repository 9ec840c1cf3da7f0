/** Pure scale helpers for the report charts: a log2 load-level axis and "nice" linear value axes. */

/** A linear axis from 0 to `top` in `intervals` equal steps of `step`. */
export interface LinearAxis { step: number; intervals: number; top: number }

/** The smallest of 1, 2, 2.5, 5 × 10^k that is at least `raw` (raw > 0). */
export function niceStep(raw: number): number {
  const power = 10 ** Math.floor(Math.log10(raw));
  for (const multiple of [1, 2, 2.5, 5, 10]) if (multiple * power >= raw - 1e-12) return multiple * power;
  return 10 * power;
}

/** An axis from 0 that covers `max` in at most `maxIntervals` nice steps; `floor` is the least top. */
export function fitLinearAxis(max: number, maxIntervals: number, floor: number): LinearAxis {
  const target = Math.max(max, floor);
  const step = niceStep(target / maxIntervals);
  const intervals = Math.max(1, Math.ceil(target / step - 1e-9));
  return { step, intervals, top: step * intervals };
}

/** An axis with exactly `intervals` nice steps that covers `max`, so its ticks line up with another's. */
export function fitAlignedAxis(max: number, intervals: number, floor: number): LinearAxis {
  const step = niceStep(Math.max(max, floor) / intervals);
  return { step, intervals, top: step * intervals };
}

/** The log2 domain shown for concurrencies from `min` to `max`, with room around the end points. */
export function log2Domain(min: number, max: number): [number, number] {
  const low = Math.log2(Math.max(1, min));
  const high = Math.log2(Math.max(1, max));
  const pad = high - low < 1e-9 ? 1 : Math.max(0.4, (high - low) * 0.06);
  return [low - pad, high + pad];
}

/** Powers of two inside the domain, thinned to at most `maxTicks` (every 2nd, 4th, …). */
export function powerOfTwoTicks(domain: [number, number], maxTicks: number): number[] {
  const exponents: number[] = [];
  for (let e = Math.max(0, Math.ceil(domain[0])); e <= Math.floor(domain[1]); e++) exponents.push(e);
  let stride = 1;
  while (exponents.length / stride > maxTicks) stride *= 2;
  return exponents.filter((e) => e % stride === 0).map((e) => 2 ** e);
}

/** Rounds a pixel coordinate to 0.1 so the SVG stays small and deterministic. */
export const px = (value: number): number => Math.round(value * 10) / 10;

/** "0.25", "5", "12.5": a tick value without float noise. */
export function formatTickValue(value: number): string {
  return String(Number(value.toFixed(3)));
}

/** A rough width of `text` in the chart's 12px sans-serif, to place labels without measuring. */
export function estimateTextWidth(text: string, fontSizePx = 12): number {
  return text.length * fontSizePx * 0.58;
}
