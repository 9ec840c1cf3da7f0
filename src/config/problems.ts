import type { z } from 'zod';

/** A key path into the config: `['endpoints', 0, 'path']`. */
export type ConfigPath = readonly PropertyKey[];

/** Finds the 1-based line of a path in the source text, when the source is known. */
export type LineLocator = (path: ConfigPath, key?: string) => number | undefined;

/**
 * `['environments', 'lab', 'gateway_url']` → `environments.lab.gateway_url`;
 * `['endpoints', 0, 'path']` → `endpoints[0].path`; keys that are not plain words are quoted.
 */
export function formatConfigPath(path: ConfigPath): string {
  let text = '';
  for (const key of path) {
    if (typeof key === 'number') text += `[${key}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(String(key))) text += `${text ? '.' : ''}${String(key)}`;
    else text += `[${JSON.stringify(String(key))}]`;
  }
  return text || '(top level)';
}

/**
 * One line per problem, `<dotted path>: <what is wrong>` (plus ` (line N)` when the locator knows
 * the line), in file order when lines are known, else in the order zod found them. An unknown key is
 * a line of its own, under its own path.
 */
export function describeConfigIssues(issues: readonly z.core.$ZodIssue[], locate?: LineLocator): string[] {
  const found: { text: string; line: number }[] = [];
  const add = (path: ConfigPath, message: string, key?: string) => {
    const line = locate?.(path, key);
    const text = `${formatConfigPath(key === undefined ? path : [...path, key])}: ${message}${line ? ` (line ${line})` : ''}`;
    found.push({ text, line: line ?? Number.MAX_SAFE_INTEGER });
  };
  for (const issue of issues) {
    switch (issue.code) {
      case 'unrecognized_keys':
        for (const key of issue.keys) add(issue.path, 'unknown key', key);
        break;
      case 'invalid_key':
        // The key itself is wrong (e.g. an environment name that cannot be a file name).
        add(issue.path, issue.issues[0]?.message ?? issue.message);
        break;
      case 'invalid_type':
        add(issue.path, describeTypeProblem(issue));
        break;
      default:
        add(issue.path, issue.message);
    }
  }
  // Array.prototype.sort is stable: problems on one line keep zod's order.
  return found.sort((a, b) => a.line - b.line).map((p) => p.text);
}

const EXPECTED: Record<string, string> = {
  string: 'must be text',
  number: 'must be a number',
  boolean: 'must be true or false',
  object: 'must be a mapping (key: value)',
  record: 'must be a mapping (key: value)',
  array: 'must be a list',
};

function describeTypeProblem(issue: z.core.$ZodIssueInvalidType): string {
  if (issue.input === undefined) return 'required';
  // zod's own wording starts "Invalid input"; a message the schema chose is kept.
  const expected = issue.message.startsWith('Invalid input') ? (EXPECTED[issue.expected] ?? `must be ${issue.expected}`) : issue.message;
  return `${expected} (got ${describeValue(issue.input)})`;
}

/** A short description of what the user wrote, for "(got …)". */
function describeValue(value: unknown): string {
  if (value === null) return 'nothing (null)';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return `text ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  return `${typeof value} ${String(value)}`;
}
