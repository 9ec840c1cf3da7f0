import { appendFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { RuntimeError } from '../errors.js';
import { writeFileAtomic } from '../fs/atomic-write.js';
import type { ReportFile } from './report-file.js';

/** Where a rendered Markdown summary goes besides the report directory. */
export interface StepSummary {
  /** `$GITHUB_STEP_SUMMARY`; nothing is appended when undefined or empty. */
  path: string | undefined;
  /** The file among those written whose content is appended (e.g. `run.md`); none written, nothing appended. */
  fileName: string;
}

/**
 * The one writer of report files: writes each file into `dir` (created if missing) atomically —
 * temp file + rename, so a reader or a Ctrl-C never leaves a half-written report — and returns the
 * absolute paths written, in order. File names must be bare names; anything with a directory part
 * is rejected rather than written elsewhere. With `stepSummary`, the named file's content is also
 * appended to the step summary — appended, not replaced: other steps of the job write their own
 * parts — and that path is not among those returned. `exportPaths` sends a file elsewhere by its
 * name (`--reporter-junit-export`: `{ "run.junit.xml": "/abs/junit.xml" }`). A file that cannot be written is a
 * RuntimeError (exit 3) naming the place.
 */
export async function writeReportFiles(
  dir: string,
  files: readonly ReportFile[],
  options: { stepSummary?: StepSummary; exportPaths?: Readonly<Record<string, string>> } = {},
): Promise<string[]> {
  for (const file of files) {
    if (file.name !== basename(file.name) || file.name === '' || file.name === '.' || file.name === '..') {
      throw new Error(`report file name must be a bare file name, got "${file.name}"`);
    }
  }
  const paths: string[] = [];
  try {
    for (const file of files) {
      const path = options.exportPaths?.[file.name] ?? resolve(join(dir, file.name));
      await writeFileAtomic(path, file.content);
      paths.push(path);
    }
  } catch (error) {
    throw new RuntimeError(`cannot write the reports into ${dir}: ${(error as Error).message}`, 'choose a writable --report-dir', { cause: error });
  }
  const summaryPath = options.stepSummary?.path;
  const summary = files.find((file) => file.name === options.stepSummary?.fileName);
  if (summaryPath && summary) {
    try {
      await appendFile(summaryPath, summary.content);
    } catch (error) {
      throw new RuntimeError(`cannot append to GITHUB_STEP_SUMMARY (${summaryPath}): ${(error as Error).message}`, undefined, { cause: error });
    }
  }
  return paths;
}
