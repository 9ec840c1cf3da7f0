import type { RunReport } from '../../model.js';
import type { ReportFile } from '../report-file.js';

export const RUN_JSON_FILE = 'run.json';

/**
 * `run.json`, the canonical run report: `{ schemaVersion: 1, meta, endpoints: [{ name, gateway,
 * backend, verdict: { code, message, next } }], totals }`, two-space indented, newline-terminated.
 * A side that was not requested is absent; a side is `{ status | error, latencyMs, failedTests, … }`.
 */
export function renderRunJson(report: RunReport): ReportFile[] {
  const { schemaVersion, meta, endpoints, totals } = report; // fixed top-level key order
  return [{ name: RUN_JSON_FILE, content: JSON.stringify({ schemaVersion, meta, endpoints, totals }, null, 2) + '\n' }];
}
