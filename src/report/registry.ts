import { InputError } from '../errors.js';
import type { RampReport } from '../model.js';
import type { RenderReport, ReportFile } from './report-file.js';
import { renderHtml } from './reporters/html.js';
import { renderJson } from './reporters/json.js';
import { renderJunit } from './reporters/junit.js';
import { renderMarkdown } from './reporters/markdown.js';

/** Every reporter by the name `--formats` takes, in the order files are written. */
export const REPORTERS = {
  json: renderJson,
  html: renderHtml,
  md: renderMarkdown,
  junit: renderJunit,
} as const satisfies Record<string, RenderReport>;

export type ReportFormat = keyof typeof REPORTERS;
export const REPORT_FORMATS = Object.keys(REPORTERS) as ReportFormat[];

/** True when `name` is one of REPORT_FORMATS. */
export function isReportFormat(name: string): name is ReportFormat {
  return Object.hasOwn(REPORTERS, name);
}

/**
 * Validates format names (from `--formats json,md`): trims, lower-cases, drops duplicates, keeps the
 * caller's order. Throws an InputError naming every unknown one and listing the valid ones.
 */
export function parseReportFormats(names: readonly string[], optionName = '--formats'): ReportFormat[] {
  const wanted = [...new Set(names.map((n) => n.trim().toLowerCase()).filter(Boolean))];
  const unknown = wanted.filter((name) => !isReportFormat(name));
  if (unknown.length > 0) {
    throw new InputError(
      `${optionName}: unknown report format${unknown.length > 1 ? 's' : ''} ${unknown.map((n) => `"${n}"`).join(', ')}`,
      [],
      `valid formats: ${REPORT_FORMATS.join(', ')} (comma-separated, e.g. ${optionName} html,md)`,
    );
  }
  if (wanted.length === 0) throw new InputError(`${optionName}: no report format given`, [], `valid formats: ${REPORT_FORMATS.join(', ')}`);
  return wanted as ReportFormat[];
}

/** Renders the report in each format, in the order given. Pure: nothing is written. */
export function renderReport(report: RampReport, formats: readonly ReportFormat[] = REPORT_FORMATS): ReportFile[] {
  return formats.flatMap((format) => REPORTERS[format](report));
}
