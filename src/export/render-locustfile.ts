/**
 * `locustfile.py` from the export's requests and options: pure. User text (names, URLs, headers,
 * bodies) enters the file only as Python string literals; secrets only as the names of the OS
 * environment variables the script reads.
 */
import type { RampTarget } from '../model.js';
import type { ExportSuite } from './describe-targets.js';
import { SETTLE_MS, TARGET_DRAIN_MS, targetsOf, type LoadTestOptions } from './options.js';
import { buildScriptView } from './script-view.js';
import { renderExportTemplate } from './templates.js';

export const LOCUSTFILE_NAME = 'locustfile.py';

const CLASS_NAME: Record<RampTarget, string> = { gateway: 'GatewayUser', backend: 'BackendUser' };

export function renderLocustfile(suite: ExportSuite, options: LoadTestOptions): string {
  return renderExportTemplate('locustfile.py.hbs', {
    ...buildScriptView(suite, options),
    windowSeconds: (options.stepDurationMs - SETTLE_MS) / 1000,
    settleSeconds: SETTLE_MS / 1000,
    drainSeconds: TARGET_DRAIN_MS / 1000,
    timeoutSeconds: options.timeoutRequestMs / 1000,
    userClasses: targetsOf(options.target).map((target) => ({ target, className: CLASS_NAME[target] })),
  });
}
