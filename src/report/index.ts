/**
 * The report kit, shared by run, ramp and diagnose: `ReportFile`, the one atomic writer (step
 * summary included), the escapers, the formatters, and one typed registry of reporters per report
 * kind (`report/run`, `report/ramp`, `report/diagnose`). Reporters are pure
 * (`render(report) → ReportFile[]`, `print(report) → text`); only the writer writes.
 */
export type { RenderReport, ReportFile } from './report-file.js';
export { defineReporters, describeReporterNames, parseReporterNames, printReporters, renderReporterFiles, reporterFileNames, type PrintContext, type Reporter, type ReporterRegistry } from './registry.js';
export { checkReportOutput, writeReportFiles, type StepSummary } from './write-report-files.js';
export { escapeXml, escapeXmlAttribute } from './escape-xml.js';
export { escapeMarkdown } from './escape-markdown.js';
export * from './ramp/index.js';
export * from './run/index.js';
export * from './diagnose/index.js';
