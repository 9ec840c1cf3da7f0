/**
 * The diagnosis's reports by name: `cli` prints the ranked findings on the terminal, `json`,
 * `markdown`, `junit` and `html` render `diagnose.json` / `diagnose.md` / `diagnose.junit.xml` /
 * `diagnose.html` (the report kit's page).
 */
import type { DiagnoseReport } from '../../model.js';
import { defineReporters, parseReporterNames, renderReporterFiles } from '../registry.js';
import type { ReportFile } from '../report-file.js';
import { DIAGNOSE_HTML_FILE, renderDiagnoseHtml } from './html.js';
import { DIAGNOSE_JUNIT_FILE, renderDiagnoseJunit } from './junit.js';
import { renderDiagnoseMarkdown } from './render-markdown.js';
import { renderDiagnoseText } from './render-text.js';
import { toDiagnoseJson } from './to-json.js';

export const DIAGNOSE_JSON_FILE = 'diagnose.json';
export const DIAGNOSE_MARKDOWN_FILE = 'diagnose.md';

/** `diagnose.json`: the documented DiagnoseJson shape, two-space indented, newline-terminated. */
export function renderDiagnoseJson(report: DiagnoseReport): ReportFile[] {
  return [{ name: DIAGNOSE_JSON_FILE, content: JSON.stringify(toDiagnoseJson(report), null, 2) + '\n' }];
}

export const DIAGNOSE_REPORTERS = defineReporters<DiagnoseReport, 'cli' | 'json' | 'markdown' | 'junit' | 'html'>('diagnose', {
  cli: { print: renderDiagnoseText },
  json: { render: renderDiagnoseJson, files: [DIAGNOSE_JSON_FILE] },
  markdown: { render: (report) => [{ name: DIAGNOSE_MARKDOWN_FILE, content: renderDiagnoseMarkdown(report) }], files: [DIAGNOSE_MARKDOWN_FILE] },
  junit: { render: renderDiagnoseJunit, files: [DIAGNOSE_JUNIT_FILE] },
  html: { render: renderDiagnoseHtml, files: [DIAGNOSE_HTML_FILE] },
});

export type DiagnoseReporterName = (typeof DIAGNOSE_REPORTERS.names)[number];
export const DIAGNOSE_REPORTER_NAMES: readonly DiagnoseReporterName[] = DIAGNOSE_REPORTERS.names;

/** Checks diagnose reporter names (`md` is `markdown`); InputError listing the valid ones otherwise. */
export function parseDiagnoseReporters(names: readonly string[], optionName = '--reporters'): DiagnoseReporterName[] {
  return parseReporterNames(DIAGNOSE_REPORTERS, names, optionName);
}

/** Renders the files of the chosen reporters (`cli` has none). Pure. */
export function renderDiagnoseFiles(report: DiagnoseReport, names: readonly DiagnoseReporterName[]): ReportFile[] {
  return renderReporterFiles(DIAGNOSE_REPORTERS, report, names);
}

export { DIAGNOSE_JUNIT_FILE, renderDiagnoseJunit } from './junit.js';
export { DIAGNOSE_HTML_FILE, renderDiagnoseHtml } from './html.js';
export { renderDiagnoseMarkdown } from './render-markdown.js';
export { renderDiagnoseText } from './render-text.js';
export { toDiagnoseJson, type DiagnoseJson } from './to-json.js';
