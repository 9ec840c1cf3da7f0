import type { RampReport } from '../../model.js';
import { orderKeysLike } from '../canonical-json.js';
import { rampReportSchema } from './ramp-report-schema.js';
import type { ReportFile } from '../report-file.js';

export const RAMP_JSON_FILE = 'ramp.json';

/**
 * The canonical report: `ramp.json`, two-space indented, keys in schema order (see
 * ramp-report-schema.ts) whatever order the report was built in, ending with a newline. Every other
 * format can be re-rendered from this file.
 */
export function renderJson(report: RampReport): ReportFile[] {
  const ordered = orderKeysLike(report, rampReportSchema);
  return [{ name: RAMP_JSON_FILE, content: JSON.stringify(ordered, null, 2) + '\n' }];
}
