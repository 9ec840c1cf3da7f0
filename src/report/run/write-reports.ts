import type { RunReport } from '../../model.js';
import { writeReportFiles } from '../write-report-files.js';
import { renderRunFiles, type RunReporterName } from './registry.js';
import { RUN_MARKDOWN_FILE } from './markdown.js';

export interface WriteRunReportsOptions {
  reporters: readonly RunReporterName[];
  /** Directory the files go into (created when missing). */
  reportDir: string;
  /** `$GITHUB_STEP_SUMMARY`: the Markdown summary is appended there when the markdown reporter is on. */
  stepSummaryPath?: string;
}

/**
 * Writes the chosen reporters' files into `reportDir` with the kit's one writer (atomic: temp file
 * + rename) and appends the Markdown summary to the step summary file. Returns the paths written,
 * the step summary last when it was appended to. A file that cannot be written is a RuntimeError
 * (exit 3) naming the place.
 */
export async function writeRunReports(report: RunReport, options: WriteRunReportsOptions): Promise<string[]> {
  const written = await writeReportFiles(options.reportDir, renderRunFiles(report, options.reporters), {
    stepSummary: { path: options.stepSummaryPath, fileName: RUN_MARKDOWN_FILE },
  });
  if (options.stepSummaryPath && options.reporters.includes('markdown')) written.push(options.stepSummaryPath);
  return written;
}
