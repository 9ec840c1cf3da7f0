import { appendFile } from 'node:fs/promises';
import { join } from 'node:path';
import { RuntimeError } from '../errors.js';
import { writeFileAtomic } from '../fs/atomic-write.js';
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
 * Writes the chosen reporters' files atomically into `reportDir` and appends the Markdown summary
 * to the step summary file. Returns the paths written. A file that cannot be written is a
 * RuntimeError (exit 3) naming it.
 */
export async function writeRunReports(report: RunReport, options: WriteRunReportsOptions): Promise<string[]> {
  const written: string[] = [];
  for (const file of renderRunFiles(report, options.reporters)) {
    const path = join(options.reportDir, file.name);
    try {
      await writeFileAtomic(path, file.content);
    } catch (error) {
      throw new RuntimeError(`cannot write ${path}: ${(error as Error).message}`, 'choose a writable --report-dir', { cause: error });
    }
    written.push(path);
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
