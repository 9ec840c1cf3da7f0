/**
 * The run reporters by name. `cli` prints to the terminal; the others render files into the
 * report directory (run.json is canonical, the rest are projections of it).
 */
import { InputError } from '../../errors.js';
import type { RunReport } from '../../model.js';
import type { ReportFile } from '../../report/report-file.js';
import { renderRunJson } from './json.js';
import { renderRunJunit } from './junit.js';
import { renderRunMarkdownFile } from './markdown.js';

export const RUN_REPORTERS = ['cli', 'json', 'junit', 'markdown'] as const;
export type RunReporterName = (typeof RUN_REPORTERS)[number];

/** The file reporters; `cli` is not among them (it writes to stdout). */
export const RUN_FILE_REPORTERS: Readonly<Record<Exclude<RunReporterName, 'cli'>, (report: RunReport) => ReportFile[]>> = {
  json: renderRunJson,
  junit: renderRunJunit,
  markdown: renderRunMarkdownFile,
};

/** Checks reporter names (case-insensitive, each once); InputError listing the valid ones otherwise. */
export function parseRunReporters(names: string[]): RunReporterName[] {
  const wanted = names.map((n) => n.trim().toLowerCase()).filter(Boolean);
  const unknown = wanted.filter((n) => !(RUN_REPORTERS as readonly string[]).includes(n));
  if (unknown.length > 0) {
    throw new InputError(
      `--reporters: unknown reporter${unknown.length > 1 ? 's' : ''} ${unknown.map((n) => `"${n}"`).join(', ')}`,
      [],
      `valid reporters: ${RUN_REPORTERS.join(', ')} (e.g. --reporters cli,junit)`,
    );
  }
  if (wanted.length === 0) throw new InputError('--reporters: name at least one reporter', [], `valid reporters: ${RUN_REPORTERS.join(', ')}`);
  return [...new Set(wanted)] as RunReporterName[];
}

/** Renders the files of the chosen reporters. Pure. */
export function renderRunFiles(report: RunReport, reporters: readonly RunReporterName[]): ReportFile[] {
  return reporters.flatMap((name) => (name === 'cli' ? [] : RUN_FILE_REPORTERS[name](report)));
}
