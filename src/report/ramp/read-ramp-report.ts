import { checkJsonDepth } from '../../postman/parse-json.js';
import { readFile } from 'node:fs/promises';
import { InputError } from '../../errors.js';
import type { RampReport } from '../../model.js';
import { RAMP_SCHEMA_VERSION, rampReportSchema } from './ramp-report-schema.js';

const HINT = 'pass the ramp.json that "debug502 ramp" wrote (see --report-dir), or run the ramp again';

/**
 * Loads and validates a `ramp.json`. Throws an InputError naming the file — and, for content
 * problems, every bad field by its dotted path — when the file is missing, is not JSON, has another
 * `schemaVersion`, or does not match the schema. Unknown extra fields are kept.
 */
export async function readRampReport(path: string): Promise<RampReport> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (error as Error).message;
    throw new InputError(`cannot read ramp report ${path}: ${why}`, [], HINT);
  }
  return parseRampReport(text, path);
}

/** Validates the text of a ramp.json; `source` names it in errors. Pure. */
export function parseRampReport(text: string, source: string): RampReport {
  let data: unknown;
  checkJsonDepth(text, source, HINT);
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new InputError(`${source} is not valid JSON: ${(error as Error).message}`, [], HINT);
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new InputError(`${source} is not a ramp report: expected a JSON object`, [], HINT);
  }
  const version = (data as { schemaVersion?: unknown }).schemaVersion;
  if (version === 1) data = upgradeFromVersion1(data as Record<string, unknown>);
  else if (version !== RAMP_SCHEMA_VERSION) {
    const found = version === undefined ? 'missing' : JSON.stringify(version);
    throw new InputError(
      `${source}: schemaVersion is ${found}; this debug502 reads schemaVersion 1 and ${RAMP_SCHEMA_VERSION}`,
      [`schemaVersion: expected 1 or ${RAMP_SCHEMA_VERSION}, found ${found}`],
      typeof version === 'number' && version > RAMP_SCHEMA_VERSION
        ? 'the report was written by a newer debug502: upgrade debug502 to render it'
        : HINT,
    );
  }
  const result = rampReportSchema.safeParse(data);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${formatPath(issue.path) || '(root)'}: ${issue.message}`);
    throw new InputError(`${source} is not a valid ramp report (${problems.length} problem${problems.length === 1 ? '' : 's'})`, problems, HINT);
  }
  return result.data;
}

/**
 * A version 1 report as version 2 says it: every version 1 ramp was a closed-model (concurrency)
 * ramp, and one without `engine` ran newman, the only engine then. Nothing else changed, so the
 * rest is checked as it is. Pure: `data` is not changed.
 */
export function upgradeFromVersion1(data: Record<string, unknown>): Record<string, unknown> {
  const meta = data.meta;
  if (meta === null || typeof meta !== 'object' || Array.isArray(meta)) return { ...data, schemaVersion: RAMP_SCHEMA_VERSION };
  const options = (meta as Record<string, unknown>).options;
  const upgraded = options !== null && typeof options === 'object' && !Array.isArray(options)
    ? { mode: 'concurrency', engine: 'newman', ...(options as Record<string, unknown>) }
    : options;
  return { ...data, schemaVersion: RAMP_SCHEMA_VERSION, meta: { ...(meta as Record<string, unknown>), options: upgraded } };
}

/** ['targets', 'gateway', 'steps', 3, 'rps'] → "targets.gateway.steps[3].rps". */
function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((text, key) => (typeof key === 'number' ? `${text}[${key}]` : text ? `${text}.${String(key)}` : String(key)), '');
}
