import type { RampReport } from '../../model.js';
import { LazyJsonArray, stringifyJsonChunks } from '../../text/json-chunks.js';
import { orderKeysLike } from '../canonical-json.js';
import { chunkedReportFile, type ReportFile } from '../report-file.js';
import { rampReportSchema, stepResultSchema } from './ramp-report-schema.js';

export const RAMP_JSON_FILE = 'ramp.json';

/**
 * The canonical report: `ramp.json`, two-space indented, keys in schema order (see
 * ramp-report-schema.ts) whatever order the report was built in, ending with a newline. Every other
 * format can be re-rendered from this file. Written in chunks, a step at a time (a 100,000-step
 * report is never copied whole).
 */
export function renderJson(report: RampReport): ReportFile[] {
  return [chunkedReportFile(RAMP_JSON_FILE, function* () {
    yield* stringifyJsonChunks(orderReport(report));
    yield '\n';
  })];
}

/** The report with its keys in schema order, each target's steps ordered only as they are written. */
function orderReport(report: RampReport): unknown {
  const targets: Record<string, unknown> = { ...report.targets };
  const stepLists = new Map<string, unknown[]>();
  for (const [key, target] of Object.entries(targets)) {
    const steps = (target as { steps?: unknown } | undefined)?.steps;
    if (!Array.isArray(steps)) continue;
    stepLists.set(key, steps);
    targets[key] = { ...(target as object), steps: [] };
  }
  const ordered = orderKeysLike({ ...report, targets }, rampReportSchema) as { targets: Record<string, { steps: unknown }> };
  for (const [key, steps] of stepLists) {
    ordered.targets[key].steps = new LazyJsonArray(function* () {
      for (const step of steps) yield orderKeysLike(step, stepResultSchema);
    });
  }
  return ordered;
}
