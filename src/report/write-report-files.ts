import { appendFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { writeFileAtomic } from '../fs/atomic-write.js';
import type { RampReport } from '../model.js';
import { REPORT_FORMATS, renderReport, type ReportFormat } from './registry.js';
import type { ReportFile } from './report-file.js';
import { RAMP_MARKDOWN_FILE } from './reporters/markdown.js';

/**
 * The one writer of report files: writes each file into `dir` (created if missing) atomically —
 * temp file + rename, so a reader or a Ctrl-C never leaves a half-written report — and returns the
 * absolute paths written, in order. File names must be bare names; anything with a directory part
 * is rejected rather than written elsewhere.
 */
export async function writeReportFiles(dir: string, files: readonly ReportFile[]): Promise<string[]> {
  for (const file of files) {
    if (file.name !== basename(file.name) || file.name === '' || file.name === '.' || file.name === '..') {
      throw new Error(`report file name must be a bare file name, got "${file.name}"`);
    }
  }
  const paths: string[] = [];
  for (const file of files) {
    const path = resolve(join(dir, file.name));
    await writeFileAtomic(path, file.content);
    paths.push(path);
  }
  return paths;
}

/**
 * Renders `report` in `formats` (default: all) and writes the files into `dir`; returns their paths.
 * With `stepSummaryPath` (GitHub's `$GITHUB_STEP_SUMMARY`) and `md` among the formats, the Markdown
 * is also appended there — appended, not replaced: other steps of the job write their own parts.
 * What the ramp calls at its end (also after a safety stop or Ctrl-C) and `debug502 report` calls.
 */
export async function writeRampReport(
  report: RampReport,
  dir: string,
  formats: readonly ReportFormat[] = REPORT_FORMATS,
  options: { stepSummaryPath?: string } = {},
): Promise<string[]> {
  const files = renderReport(report, formats);
  const paths = await writeReportFiles(dir, files);
  const markdown = files.find((file) => file.name === RAMP_MARKDOWN_FILE);
  if (options.stepSummaryPath && markdown) await appendFile(options.stepSummaryPath, markdown.content);
  return paths;
}
