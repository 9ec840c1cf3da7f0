/**
 * The ramp's reports: `RampReport` (src/model.ts) in, files out. Reporters are pure
 * (`render(report) → ReportFile[]`), the kit's one writer writes, one reader validates ramp.json.
 */
import type { RampReport } from '../../model.js';
import { defineReporters, parseReporterNames, renderReporterFiles } from '../registry.js';
import type { ReportFile } from '../report-file.js';
import { writeReportFiles } from '../write-report-files.js';
import { RAMP_HTML_FILE, renderHtml } from './html.js';
import { RAMP_JSON_FILE, renderJson } from './json.js';
import { RAMP_JUNIT_FILE, renderJunit } from './junit.js';
import { RAMP_MARKDOWN_FILE, renderMarkdown } from './markdown.js';

/**
 * Every ramp reporter by name, in the order files are written. `cli` is the terminal summary,
 * which ramp and report always print once the files are written (it names them): the name is
 * there so that newman's `-r cli,junit` means on a ramp what it means on run.
 */
export const RAMP_REPORTERS = defineReporters<RampReport, 'cli' | 'json' | 'html' | 'markdown' | 'junit'>('ramp', {
  cli: { print: () => '' },
  json: { render: renderJson, files: [RAMP_JSON_FILE] },
  html: { render: renderHtml, files: [RAMP_HTML_FILE] },
  markdown: { render: renderMarkdown, files: [RAMP_MARKDOWN_FILE] },
  junit: { render: renderJunit, files: [RAMP_JUNIT_FILE] },
});

export type RampReporterName = (typeof RAMP_REPORTERS.names)[number];
export const RAMP_REPORTER_NAMES: readonly RampReporterName[] = RAMP_REPORTERS.names;

/** Validates ramp reporter names (`md` is `markdown`); InputError naming the unknown ones. */
export function parseRampReporters(names: readonly string[], optionName = '--reporters'): RampReporterName[] {
  return parseReporterNames(RAMP_REPORTERS, names, optionName);
}

/** Renders the report with each reporter, in the order given. Pure: nothing is written. */
export function renderRampReport(report: RampReport, names: readonly RampReporterName[] = RAMP_REPORTER_NAMES): ReportFile[] {
  return renderReporterFiles(RAMP_REPORTERS, report, names);
}

/**
 * Renders `report` with `names` (default: all) and writes the files into `dir`; returns their paths.
 * With `stepSummaryPath` (GitHub's `$GITHUB_STEP_SUMMARY`) and `markdown` among the names, the
 * Markdown is also appended there. What the ramp calls at its end (also after a safety stop or
 * Ctrl-C) and `debug502 report` calls.
 */
export async function writeRampReport(
  report: RampReport,
  dir: string,
  names: readonly RampReporterName[] = RAMP_REPORTER_NAMES,
  options: { stepSummaryPath?: string } = {},
): Promise<string[]> {
  return writeReportFiles(dir, renderRampReport(report, names), { stepSummary: { path: options.stepSummaryPath, fileName: RAMP_MARKDOWN_FILE } });
}

export { parseRampReport, readRampReport } from './read-ramp-report.js';
export { RAMP_SCHEMA_VERSION, rampReportSchema } from './ramp-report-schema.js';
export { RAMP_JSON_FILE, renderJson } from './json.js';
export { RAMP_HTML_FILE, renderHtml } from './html.js';
export { RAMP_MARKDOWN_FILE, renderMarkdown } from './markdown.js';
export { RAMP_JUNIT_FILE, renderJunit } from './junit.js';
