/**
 * The run's reporters by name. `cli` prints to the terminal; the others render files into the
 * report directory (run.json is canonical, the rest are projections of it: JUnit, Markdown, the
 * kit's HTML page).
 */
import type { RunReport } from '../../model.js';
import { defineReporters, parseReporterNames, renderReporterFiles } from '../registry.js';
import type { ReportFile } from '../report-file.js';
import { renderRunSummary } from './cli-summary.js';
import { RUN_JSON_FILE, renderRunJson } from './json.js';
import { RUN_JUNIT_FILE, renderRunJunit } from './junit.js';
import { RUN_MARKDOWN_FILE, renderRunMarkdownFile } from './markdown.js';
import { RUN_HTML_FILE, renderRunHtml } from './html.js';

export const RUN_REPORTERS = defineReporters<RunReport, 'cli' | 'json' | 'junit' | 'markdown' | 'html'>('run', {
  cli: { print: renderRunSummary },
  json: { render: renderRunJson, files: [RUN_JSON_FILE] },
  junit: { render: renderRunJunit, files: [RUN_JUNIT_FILE] },
  markdown: { render: renderRunMarkdownFile, files: [RUN_MARKDOWN_FILE] },
  html: { render: renderRunHtml, files: [RUN_HTML_FILE] },
});

export type RunReporterName = (typeof RUN_REPORTERS.names)[number];
export const RUN_REPORTER_NAMES: readonly RunReporterName[] = RUN_REPORTERS.names;

/** Checks reporter names (case-insensitive, each once, `md` is `markdown`); InputError listing the valid ones otherwise. */
export function parseRunReporters(names: readonly string[], optionName = '--reporters'): RunReporterName[] {
  return parseReporterNames(RUN_REPORTERS, names, optionName);
}

/** Renders the files of the chosen reporters (`cli` has none). Pure. */
export function renderRunFiles(report: RunReport, reporters: readonly RunReporterName[]): ReportFile[] {
  return renderReporterFiles(RUN_REPORTERS, report, reporters);
}

