import { basename, resolve } from 'node:path';
import { InputError } from '../errors.js';
import { readInputText } from '../fs/read-input.js';
import type { RampReport } from '../model.js';
import { buildLocustReport, HISTORY_COLUMNS, LOCUST_HINT, type LocustImportOptions } from './import-locust.js';
import { readCsvTable } from './parse-csv.js';

/**
 * Reads `PREFIX_stats_history.csv` (and `PREFIX_stats.csv`, to tell when the history lost its last
 * seconds) and builds the report. InputError naming the file when it is missing or not such a CSV.
 */
export async function importLocustRun(prefix: string, options: LocustImportOptions & { cwd?: string } = {}): Promise<{ report: RampReport; notes: string[] }> {
  const base = resolve(options.cwd ?? process.cwd(), prefix);
  const historyFile = `${base}_stats_history.csv`;
  const text = await readCsvFile(historyFile, prefix);
  const { rows, missing } = readCsvTable(text, HISTORY_COLUMNS);
  if (missing.length > 0) throw new InputError(`${basename(historyFile)}: not a Locust stats history (missing column${missing.length === 1 ? '' : 's'} ${missing.join(', ')})`, [], LOCUST_HINT);
  // The rows are read once, as the report is built (a long run's history is hundreds of MB): what
  // the checks below need is noted on the way.
  const seen = { named: false, historyTotal: 0 };
  function* noted(): Generator<Record<string, string>> {
    for (const row of rows) {
      if (row['Name'] === 'Aggregated') seen.historyTotal = Number(row['Total Request Count']) || 0;
      else seen.named = true;
      yield row;
    }
  }
  let built: { report: RampReport; notes: string[] };
  try {
    built = buildLocustReport(noted(), { ...options, label: options.label ?? `Locust run ${prefix}`, source: basename(historyFile) });
  } catch (error) {
    if (!seen.named) throw new InputError(`${basename(historyFile)}: only "Aggregated" rows — the run was written without --csv-full-history`, [], LOCUST_HINT);
    throw error;
  }
  built.report.meta.source!.files = [historyFile];
  const totals = await readFinalTotal(`${base}_stats.csv`);
  if (totals !== undefined) {
    built.report.meta.source!.files.push(`${base}_stats.csv`);
    if (totals > seen.historyTotal) built.notes.push(`the history stops ${totals - seen.historyTotal} requests before the run's end (Locust flushes it every 10 s; the last step may be shorter than it ran)`);
  }
  return built;
}

async function readCsvFile(file: string, prefix: string): Promise<string> {
  return readInputText(file, { kind: 'loadTestResults', label: `--from-locust ${prefix}`, notFound: `no file ${basename(file)}`, hint: LOCUST_HINT });
}

async function readFinalTotal(file: string): Promise<number | undefined> {
  let text: string;
  try {
    text = await readCsvFile(file, file);
  } catch {
    return undefined;
  }
  for (const row of readCsvTable(text, []).rows) if (row['Name'] === 'Aggregated') return Number(row['Request Count']) || 0;
  return undefined;
}
