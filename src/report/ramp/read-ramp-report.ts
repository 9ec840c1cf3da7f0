import { parseJsonFile } from '../../postman/parse-json.js';
import { InputError } from '../../errors.js';
import { readInputText } from '../../fs/read-input.js';
import type { RampReport } from '../../model.js';
import { RAMP_SCHEMA_VERSION, rampReportSchema, stepResultSchema } from './ramp-report-schema.js';

const HINT = 'pass the ramp.json that "debug502 ramp" wrote (see --report-dir), or run the ramp again';

/**
 * Loads and validates a `ramp.json`. Throws an InputError naming the file — and, for content
 * problems, every bad field by its dotted path — when the file is missing, is not JSON, has another
 * `schemaVersion`, or does not match the schema. Unknown extra fields are kept.
 */
export async function readRampReport(path: string, options: { signal?: AbortSignal } = {}): Promise<RampReport> {
  const text = await readInputText(path, { kind: 'rampReport', label: `cannot read ramp report ${path}`, notFound: 'no such file', isDirectory: 'is a directory', hint: HINT, signal: options.signal });
  return parseRampReport(text, path);
}

/** Validates the text of a ramp.json; `source` names it in errors (a syntax error with its line and column). Pure. */
export function parseRampReport(text: string, source: string): RampReport {
  let data = parseJsonFile(text, source, HINT);
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
  const problems = checkRampReport(data as Record<string, unknown>);
  if (problems.length > 0) {
    const listed = problems.length > MAX_LISTED_PROBLEMS
      ? [...problems.slice(0, MAX_LISTED_PROBLEMS), `… and ${problems.length - MAX_LISTED_PROBLEMS} more`]
      : problems;
    throw new InputError(`${source} is not a valid ramp report (${problems.length} problem${problems.length === 1 ? '' : 's'})`, listed, HINT);
  }
  // The parsed JSON itself, not zod's copy: the schema transforms nothing, and zod's objects cost
  // ~10× JSON.parse's (a 100,000-step report: 640 MB instead of 60).
  return data as RampReport;
}

/** The targets the schema knows, whose steps are checked one by one. */
const TARGET_KEYS = Object.keys(rampReportSchema.shape.targets.shape);

/** A report with every step broken lists this many problems, then how many more. */
const MAX_LISTED_PROBLEMS = 50;

/**
 * Every problem of `data` against rampReportSchema, as `path: message`, in the order of the file.
 * The steps are checked one at a time, the rest without them, so validating a big report holds
 * one step's copy at a time rather than a copy of the whole report.
 */
function checkRampReport(data: Record<string, unknown>): string[] {
  const steps: [target: string, steps: unknown[]][] = [];
  let shell = data;
  const targets = data.targets;
  if (targets !== null && typeof targets === 'object' && !Array.isArray(targets)) {
    const shellTargets: Record<string, unknown> = { ...targets };
    for (const key of TARGET_KEYS) {
      const target = shellTargets[key] as { steps?: unknown } | undefined;
      if (target === null || typeof target !== 'object' || !Array.isArray(target.steps)) continue;
      steps.push([key, target.steps]);
      shellTargets[key] = { ...target, steps: [] };
    }
    shell = { ...data, targets: shellTargets };
  }
  const format = (issue: { path: readonly PropertyKey[]; message: string }, prefix: PropertyKey[] = []) =>
    `${formatPath([...prefix, ...issue.path]) || '(root)'}: ${issue.message}`;
  const problems: string[] = [];
  const result = rampReportSchema.safeParse(shell);
  const shellProblems = result.success ? [] : result.error.issues;
  // The shell's problems before the steps', except what comes after the targets in the file.
  const afterTargets = (issue: { path: readonly PropertyKey[] }) => issue.path[0] === 'verdict';
  problems.push(...shellProblems.filter((issue) => !afterTargets(issue)).map((issue) => format(issue)));
  for (const [key, list] of steps) {
    list.forEach((step, index) => {
      const checked = stepResultSchema.safeParse(step);
      if (!checked.success) problems.push(...checked.error.issues.map((issue) => format(issue, ['targets', key, 'steps', index])));
    });
  }
  problems.push(...shellProblems.filter(afterTargets).map((issue) => format(issue)));
  return problems;
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
