import { appendFile } from 'node:fs/promises';
import { RuntimeError } from '../errors.js';
import { writeReportFiles } from '../report/write-report-files.js';
import type { RunReport } from '../model.js';
import { renderRunFiles, type RunReporterName } from './reporters/index.js';
import { renderRunMarkdown } from './reporters/markdown.js';

export interface WriteRunReportsOptions {
  reporters: readonly RunReporterName[];
  /** Directory the files go into (created when missing). */
  reportDir: string;
  /** `$GITHUB_STEP_SUMMARY`: the Markdown summary is appended there when the markdown reporter is on. */
  stepSummaryPath?: string;
}

/**
 * Writes the chosen reporters' files into `reportDir` with the one report writer (atomic: temp file
 * + rename) and appends the Markdown summary to the step summary file. Returns the paths written.
 * A file that cannot be written is a RuntimeError (exit 3) naming the place.
 */
export async function writeRunReports(report: RunReport, options: WriteRunReportsOptions): Promise<string[]> {
  let written: string[];
  try {
    written = await writeReportFiles(options.reportDir, renderRunFiles(report, options.reporters));
  } catch (error) {
    throw new RuntimeError(`cannot write the reports into ${options.reportDir}: ${(error as Error).message}`, 'choose a writable --report-dir', { cause: error });
  }
  if (options.stepSummaryPath && options.reporters.includes('markdown')) {
    try {
      // Appended, not replaced: other steps of the job write their own parts of the summary.
      await appendFile(options.stepSummaryPath, renderRunMarkdown(report) + '\n');
    } catch (error) {
      throw new RuntimeError(`cannot append to GITHUB_STEP_SUMMARY (${options.stepSummaryPath}): ${(error as Error).message}`, undefined, { cause: error });
    }
    written.push(options.stepSummaryPath);
  }
  return written;
}
