/**
 * The run's reports: `RunReport` (src/model.ts) in, files and terminal text out; `writeRunReports`
 * writes them with the kit's one writer.
 */
export { RUN_REPORTERS, RUN_REPORTER_NAMES, parseRunReporters, renderRunFiles, type RunReporterName } from './registry.js';
export { writeRunReports, type WriteRunReportsOptions } from './write-reports.js';
export { runPassed } from './cells.js';
export { renderRunSummary, MAX_TERMINAL_ROWS } from './cli-summary.js';
export { describeRunAnswer } from './answer.js';
export { RUN_JSON_FILE, renderRunJson } from './json.js';
export { RUN_JUNIT_FILE, renderRunJunit } from './junit.js';
export { RUN_MARKDOWN_FILE, renderRunMarkdown } from './markdown.js';
export { RUN_HTML_FILE, renderRunHtml } from './html.js';
