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
  if (!rows.some((r) => r['Name'] !== 'Aggregated')) {
    throw new InputError(`${basename(historyFile)}: only "Aggregated" rows — the run was written without --csv-full-history`, [], LOCUST_HINT);
  }
  const built = buildLocustReport(rows, { ...options, label: options.label ?? `Locust run ${prefix}`, source: basename(historyFile) });
  built.report.meta.source!.files = [historyFile];
  const totals = await readFinalTotal(`${base}_stats.csv`);
  const historyTotal = lastAggregatedTotal(rows);
  if (totals !== undefined) {
    built.report.meta.source!.files.push(`${base}_stats.csv`);
    if (totals > historyTotal) built.notes.push(`the history stops ${totals - historyTotal} requests before the run's end (Locust flushes it every 10 s; the last step may be shorter than it ran)`);
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
  const { rows } = readCsvTable(text, []);
  const aggregated = rows.find((r) => r['Name'] === 'Aggregated');
  return aggregated ? Number(aggregated['Request Count']) || 0 : undefined;
}

function lastAggregatedTotal(rows: Record<string, string>[]): number {
  const aggregated = rows.filter((r) => r['Name'] === 'Aggregated');
  return Number(aggregated[aggregated.length - 1]?.['Total Request Count']) || 0;
}
