/**
 * The other variable sources newman takes besides the environment, loaded the way newman reads
 * them: `-g/--globals FILE` (a Postman globals export, `{ "values": [...] }`) with `--global-var`
 * overrides, and `-d/--iteration-data FILE` (a JSON array of objects, or CSV with a header row: one
 * iteration per row). Every problem is an InputError naming the file (exit 2).
 */
import { resolve } from 'node:path';
import csvParse from 'csv-parse/lib/sync.js';
import { InputError } from '../errors.js';
import { readInputText } from '../fs/read-input.js';
import { parseEnvVars } from './env-var-list.js';
import type { ClientTlsOptions } from './client-tls.js';
import { applyEnvVars, loadEnvironment, type InputReadOptions, type PostmanEnvironment } from './load.js';

/** One iteration's data: column (or key) → value. */
export type IterationRow = Record<string, unknown>;

/** What run and ramp take to know what to send, in newman's terms (the files as paths, as a caller has them). */
export interface CollectionInputOptions {
  collection: string;
  environment?: string;
  /** `--env-var key=value`, in order (a later key wins). */
  envVars?: readonly string[];
  /** `-g FILE`: Postman globals; `--global-var key=value` on top. */
  globals?: string;
  globalVars?: readonly string[];
  /** `-d FILE`: CSV or JSON, one iteration per row. */
  iterationData?: string;
  /** `--working-dir DIR`, `--insecure-file-read` / `--no-insecure-file-read`: the files requests send (see CollectionReadOptions). */
  workingDir?: string;
  insecureFileRead?: boolean;
  /** `--ssl-client-cert`, `--ssl-client-key`, `--ssl-client-passphrase`, `--ssl-client-cert-list`, `--ssl-extra-ca-certs` (paths as given; see client-tls.ts). */
  tls?: ClientTlsOptions;
}

/** Loads `-g FILE` (when given) and applies `--global-var key=value` on top; undefined when neither is given. */
export async function loadGlobals(file: string | undefined, globalVars: readonly string[] | undefined, cwd?: string, options: InputReadOptions = {}): Promise<PostmanEnvironment | undefined> {
  if (file === undefined && (globalVars ?? []).length === 0) return undefined;
  const loaded = file === undefined ? undefined : await loadEnvironment(file, cwd, options);
  const bad = (globalVars ?? []).find((text) => !/^\s*[^=\s][^=]*=/.test(text));
  if (bad !== undefined) throw new InputError(`--global-var "${bad}": expected key=value`, [], 'e.g. --global-var api_token=abc');
  const overrides = parseEnvVars(globalVars);
  return { ...applyEnvVars(loaded ?? { name: 'globals', values: [] }, overrides), _postman_variable_scope: 'globals' };
}

/**
 * Loads `-d FILE`: `.json` (or content starting with `[`) as a JSON array of objects, anything
 * else as CSV with a header row, as newman does. At least one row.
 */
export async function loadIterationData(file: string, cwd = process.cwd(), options: InputReadOptions = {}): Promise<IterationRow[]> {
  const hint = 'a JSON array of objects ([{"user":"a"}]) or a CSV file with a header row; one iteration per row';
  const text = await readInputText(resolve(cwd, file), { kind: 'iterationData', label: `--iteration-data ${file}`, hint, signal: options.signal });
  let rows: unknown;
  if (/\.json$/i.test(file) || text.trimStart().startsWith('[')) {
    try {
      rows = JSON.parse(text);
    } catch (error) {
      throw new InputError(`--iteration-data ${file}: not valid JSON (${(error as Error).message})`, [], hint);
    }
    if (!Array.isArray(rows) || rows.some((row) => row === null || typeof row !== 'object' || Array.isArray(row))) {
      throw new InputError(`--iteration-data ${file}: expected a JSON array of objects`, [], hint);
    }
  } else {
    try {
      rows = csvParse(text.replace(/^\uFEFF/, ''), { columns: true, skip_empty_lines: true, trim: true });
    } catch (error) {
      throw new InputError(`--iteration-data ${file}: not valid CSV (${(error as Error).message})`, [], hint);
    }
  }
  const list = rows as IterationRow[];
  if (list.length === 0) throw new InputError(`--iteration-data ${file}: no rows`, [], hint);
  return list;
}
