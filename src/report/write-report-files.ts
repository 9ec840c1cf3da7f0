import { appendFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { InterruptedError, RuntimeError } from '../errors.js';
import { writeFilesAtomic } from '../fs/atomic-write.js';
import { joinChunks } from '../text/chunks.js';
import { escapeControlChars } from '../text/escape-control.js';
import { checkOutputDirectory, checkOutputFile } from '../fs/check-output.js';
import type { ReportFile } from './report-file.js';

/** Where a rendered Markdown summary goes besides the report directory. */
export interface StepSummary {
  /** `$GITHUB_STEP_SUMMARY`; nothing is appended when undefined or empty. */
  path: string | undefined;
  /** The file among those written whose content is appended (e.g. `run.md`); none written, nothing appended. */
  fileName: string;
}

/**
 * The one writer of report files: writes every file into `dir` (created if missing) as one step —
 * all of them or none (writeFilesAtomic: staged beside the targets, then renamed; a failure puts
 * back what was there), so a reader, a full disk or a Ctrl-C never leaves a half-written or
 * half-updated report — and returns the absolute paths written, in order. File names must be bare
 * names; anything with a directory part is rejected rather than written elsewhere. With
 * `stepSummary`, the named file's content (or its own bounded copy, ReportFile.stepSummary) is also
 * appended to the step summary — appended, not replaced: other steps of the job write their own
 * parts — and that path is not among those returned. A file that cannot be written is a
 * RuntimeError (exit 3) naming the place; callers check the place before their work with
 * checkReportOutput, so that is rare. With `signal` (a command with nothing partial to keep:
 * report), Ctrl-C while the files are staged removes them and throws InterruptedError (exit 130),
 * the step summary untouched; commands that write the report of what finished after a Ctrl-C pass none.
 */
export async function writeReportFiles(
  dir: string,
  files: readonly ReportFile[],
  options: { stepSummary?: StepSummary; exportPaths?: Readonly<Record<string, string>>; signal?: AbortSignal } = {},
): Promise<string[]> {
  for (const file of files) {
    if (file.name !== basename(file.name) || file.name === '' || file.name === '.' || file.name === '..') {
      throw new Error(`report file name must be a bare file name, got "${file.name}"`);
    }
  }
  const paths = files.map((file) => options.exportPaths?.[file.name] ?? resolve(join(dir, file.name)));
  try {
    await writeFilesAtomic(files.map((file, i) => ({ path: paths[i], data: escapeReportText(file) })), { signal: options.signal });
  } catch (error) {
    if (error instanceof InterruptedError) throw error;
    throw new RuntimeError(`cannot write the reports into ${dir}: ${(error as Error).message}`, 'choose a writable --report-dir', { cause: error });
  }
  const summaryPath = options.stepSummary?.path;
  const summary = files.find((file) => file.name === options.stepSummary?.fileName);
  if (summaryPath && summary) {
    try {
      const text = summary.stepSummary ? escapeControlChars(summary.stepSummary()) : joinChunks(escapeReportText(summary));
      await appendFile(summaryPath, text);
    } catch (error) {
      throw new RuntimeError(`cannot append to GITHUB_STEP_SUMMARY (${summaryPath}): ${(error as Error).message}`, undefined, { cause: error });
    }
  }
  return paths;
}

/**
 * The preflight of writeReportFiles, run before any request: `dir` must be (or can become) a
 * writable directory, none of `fileNames` in it a directory, and the step summary, when set, an
 * appendable file in an existing directory. InputError (exit 2) naming `option` (default
 * `--report-dir`) or GITHUB_STEP_SUMMARY; nothing is written.
 */
export async function checkReportOutput(dir: string, fileNames: readonly string[], options: { option?: string; stepSummaryPath?: string } = {}): Promise<void> {
  await checkOutputDirectory(dir, options.option ?? '--report-dir', fileNames);
  if (options.stepSummaryPath) await checkOutputFile(options.stepSummaryPath, 'GITHUB_STEP_SUMMARY', { append: true });
}

/**
 * A report's text as written: control characters that an input brought in (a NUL or ESC in an item
 * name, a log line) become visible escapes in every human-facing file (Markdown, HTML, JUnit XML,
 * where they would also make the XML ill-formed). JSON is left as rendered: JSON.stringify already
 * escapes them, and `\x` is no JSON escape.
 */
function escapeReportText(file: ReportFile): string | Iterable<string> {
  const json = file.name.endsWith('.json');
  const { chunks } = file;
  if (chunks === undefined) return json ? file.content : escapeControlChars(file.content);
  // Escaping is per character, so escaping chunk by chunk is escaping the whole.
  return {
    *[Symbol.iterator]() {
      for (const chunk of chunks()) yield json ? chunk : escapeControlChars(chunk);
    },
  };
}
