/** A rectangle in chart coordinates (y grows downwards, as in SVG). */
export interface Box { x: number; y: number; width: number; height: number }

/** A drawn series: the polyline through its points, sorted by x. */
export type Polyline = { x: number; y: number }[];

/**
 * Index of the candidate box that the series lines cross least (sampled every 4 px across the box),
 * the first candidate on a tie, so callers list their preferred places first. Pure; used to keep
 * the breaking-point label and the chart note off the lines.
 */
export function pickClearestBox(candidates: Box[], lines: Polyline[]): number {
  let best = 0;
  let bestHits = Infinity;
  candidates.forEach((box, index) => {
    const hits = lines.reduce((sum, line) => sum + countCrossings(box, line), 0);
    if (hits < bestHits) {
      best = index;
      bestHits = hits;
    }
  });
  return best;
}

function countCrossings(box: Box, line: Polyline): number {
  let hits = 0;
  const margin = 4;
  for (let x = box.x; x <= box.x + box.width; x += 4) {
    const y = interpolate(line, x);
    if (y !== null && y >= box.y - margin && y <= box.y + box.height + margin) hits++;
  }
  return hits;
}

/** The polyline's y at `x`, or null outside its x range. */
function interpolate(line: Polyline, x: number): number | null {
  if (line.length === 0 || x < line[0].x || x > line[line.length - 1].x) return null;
  if (line.length === 1) return line[0].y;
  for (let i = 1; i < line.length; i++) {
    const a = line[i - 1];
    const b = line[i];
    if (x <= b.x) return b.x === a.x ? b.y : a.y + ((x - a.x) / (b.x - a.x)) * (b.y - a.y);
  }
  return null;
}
