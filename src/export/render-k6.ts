/**
 * The k6 script of an export: pure. User text enters it only as JSON literals; secrets only as the
 * names of the environment variables (`-e NAME=value`) the script reads.
 */
import type { ExportSuite } from './describe-targets.js';
import type { LoadTestOptions } from './options.js';
import { buildScriptView } from './script-view.js';
import { renderExportTemplate } from './templates.js';

export const K6_SCRIPT_NAME = 'k6-script.js';

export function renderK6Script(suite: ExportSuite, options: LoadTestOptions): string {
  return renderExportTemplate('k6-script.js.hbs', { ...buildScriptView(suite, options), timeout: `${options.timeoutRequestMs}ms` });
}
