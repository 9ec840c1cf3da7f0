/**
 * The k6 script of an export: pure. User text enters it only as JSON literals; secrets only as the
 * names of the environment variables (`-e NAME=value`) the script reads. The closed model is a
 * ramping-vus scenario per target; the open model a ramping-arrival-rate one whose stages hold
 * each planned rate for the step duration, at most --max-vus in flight (pre-allocated, so k6
 * drops — and counts — an arrival that finds every VU busy, as the local ramp does).
 */
import type { ExportSuite } from './describe-targets.js';
import { loadTestRateSteps, type LoadTestOptions } from './options.js';
import { buildScriptView } from './script-view.js';
import { renderExportTemplate } from './templates.js';

export const K6_SCRIPT_NAME = 'k6-script.js';

export function renderK6Script(suite: ExportSuite, options: LoadTestOptions): string {
  const view = buildScriptView(suite, options);
  const rate = options.mode === 'rate';
  return renderExportTemplate('k6-script.js.hbs', {
    ...view,
    timeout: `${options.timeoutRequestMs}ms`,
    mode: options.mode,
    maxVus: rate ? options.maxVus! : null,
    // Arrivals each step offers (rate × duration, as the local ramp plans them): the import's yardstick for dropped ones.
    arrivals: rate ? loadTestRateSteps(options).map((s) => s.requests) : null,
    scheduleText: rate ? `ramping-arrival-rate stages at ${view.levelText} requests per second` : `ramping-vus stages at ${view.levelText} virtual users`,
    scheduleDetail: rate ? `(each arrival one request, the folder's requests in turn; at most ${options.maxVus} in flight)` : '(each a loop over the folder\'s requests)',
  });
}
