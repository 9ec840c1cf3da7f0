/**
 * Reports of a ramp: `RampReport` (src/model.ts) in, files out. Reporters are pure
 * (`render(report) → ReportFile[]`), one writer writes, one reader validates ramp.json.
 */
export type { RenderReport, ReportFile } from './report-file.js';
export { REPORTERS, REPORT_FORMATS, isReportFormat, parseReportFormats, renderReport, type ReportFormat } from './registry.js';
export { writeRampReport, writeReportFiles } from './write-report-files.js';
export { parseRampReport, readRampReport } from './read-ramp-report.js';
export { RAMP_SCHEMA_VERSION, rampReportSchema } from './ramp-report-schema.js';
export { RAMP_JSON_FILE, renderJson } from './reporters/json.js';
export { RAMP_HTML_FILE, renderHtml } from './reporters/html.js';
export { RAMP_MARKDOWN_FILE, renderMarkdown } from './reporters/markdown.js';
export { RAMP_JUNIT_FILE, renderJunit } from './reporters/junit.js';
