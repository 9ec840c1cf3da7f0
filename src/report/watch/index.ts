/**
 * The watch's reports by name: `cli` prints the verdict and totals, `json` (canonical), `html` (the
 * time chart), `markdown` and `junit` render files.
 */
import type { WatchReport } from '../../model.js';
import { defineReporters, parseReporterNames, renderReporterFiles } from '../registry.js';
import type { ReportFile } from '../report-file.js';
import { renderWatchHtml, WATCH_HTML_FILE } from './html.js';
import { renderWatchJunit, WATCH_JUNIT_FILE } from './junit.js';
import { renderWatchMarkdown, renderWatchText } from './text.js';

export const WATCH_JSON_FILE = 'watch.json';
export const WATCH_MARKDOWN_FILE = 'watch.md';

export const WATCH_REPORTERS = defineReporters<WatchReport, 'cli' | 'json' | 'html' | 'markdown' | 'junit'>('watch', {
  cli: { print: renderWatchText },
  json: { render: (report) => [{ name: WATCH_JSON_FILE, content: JSON.stringify(report, null, 2) + '\n' }], files: [WATCH_JSON_FILE] },
  html: { render: renderWatchHtml, files: [WATCH_HTML_FILE] },
  markdown: { render: (report) => [{ name: WATCH_MARKDOWN_FILE, content: renderWatchMarkdown(report) }], files: [WATCH_MARKDOWN_FILE] },
  junit: { render: renderWatchJunit, files: [WATCH_JUNIT_FILE] },
});

export type WatchReporterName = (typeof WATCH_REPORTERS.names)[number];

/** Checks watch reporter names (`md` is `markdown`); InputError listing the valid ones otherwise. */
export function parseWatchReporters(names: readonly string[], optionName = '--reporters'): WatchReporterName[] {
  return parseReporterNames(WATCH_REPORTERS, names, optionName);
}

/** Renders the chosen reporters' files (`cli` has none). Pure. */
export function renderWatchFiles(report: WatchReport, names: readonly WatchReporterName[]): ReportFile[] {
  return renderReporterFiles(WATCH_REPORTERS, report, names);
}

export { renderWatchText, renderWatchMarkdown, formatWindowLine } from './text.js';
export { renderWatchJunit } from './junit.js';
export { renderWatchHtml } from './html.js';
export { buildWatchCharts } from './charts.js';
export { describeWatchAnswer } from './answer.js';
