import type { Polyline } from './place-label.js';

/**
 * Keeps a chart's SVG a few thousand elements at most whatever the report holds: a hand-made or
 * imported report can have 100,000 levels, 100 to a pixel. Pure; a real ramp (a few dozen levels)
 * passes through unchanged.
 */

/**
 * Drops the marks that fall in a pixel column an earlier one took: they would draw over it. Only a
 * report with levels closer than a pixel apart (thousands of them) loses any.
 */
export function onePerPixel<T extends { x: number }>(marks: T[]): T[] {
  const taken = new Set<number>();
  return marks.filter(({ x }) => !taken.has(Math.round(x)) && Boolean(taken.add(Math.round(x))));
}

/** A line through more points than this is thinned (thinLine); no real ramp has that many levels. */
const MAX_LINE_POINTS = 2000;

/**
 * The line as drawn: past MAX_LINE_POINTS, per pixel column only its first, lowest, highest and last
 * point, in order — the same picture (every peak and dip stays) with a few thousand points at most.
 */
export function thinLine(line: Polyline): Polyline {
  if (line.length <= MAX_LINE_POINTS) return line;
  const thinned: Polyline = [];
  for (let start = 0; start < line.length;) {
    const column = Math.round(line[start].x);
    let end = start;
    let low = start;
    let high = start;
    while (end + 1 < line.length && Math.round(line[end + 1].x) === column) {
      end++;
      if (line[end].y < line[low].y) low = end;
      if (line[end].y > line[high].y) high = end;
    }
    for (const index of [...new Set([start, low, high, end])].sort((a, b) => a - b)) thinned.push(line[index]);
    start = end + 1;
  }
  return thinned;
}

