import jsYaml from 'js-yaml';
import { parseDocument } from 'yaml';
import { findExcessNesting, MAX_JSON_DEPTH } from './parse-json.js';

/**
 * How often the value's shared parts (what aliases point at) may be met again when it is walked:
 * the first stop against alias bombs ("billion laughs"); YAML_EXPANSION_FACTOR is the bound that holds.
 */
export const MAX_YAML_ALIASES = 10_000;

/**
 * What the aliases of a document may expand it to: its value, counted a node and a character at a
 * time, may be at most this many times the size of its text — or YAML_EXPANSION_FLOOR, whichever
 * is more. Without aliases a value is never larger than its text; "billion laughs" (9 aliases of 9
 * aliases, 9 levels deep: 387 million strings from 1 KB) is refused, and so is 1 MB aliased a
 * thousand times, which yaml's alias count lets through.
 */
export const YAML_EXPANSION_FACTOR = 10;
export const YAML_EXPANSION_FLOOR = 1_000_000;

export interface YamlParseOptions {
  /** Duplicate keys are an error (default true: Postman's lint, debug502's config). */
  uniqueKeys?: boolean;
  /** How many errors to return at most (default 3). */
  maxErrors?: number;
}

/**
 * Parses YAML text — every YAML debug502 reads goes through here: configs, YAML environments, v3
 * collection files, OpenAPI documents. Returns the value, or problems each worded to follow the
 * file's name (`not valid YAML at line L, column C: what`, `nested more than 512 levels deep at …`,
 * `its aliases expand …`); never throws, and never quotes the text.
 *
 * The value comes from js-yaml with its core schema (YAML 1.2's: no timestamps, no `<<` merges —
 * what `yaml`'s default reads), because `yaml` builds a whole document tree first: a 90,000-endpoint
 * config (12 MB) took 981 MB and 16 s with `yaml`, 139 MB and 0.9 s with js-yaml. js-yaml shares
 * an anchor's value between its aliases instead of copying it, so the bounds below walk the value as
 * JSON.stringify would. Only a text that does not parse goes through `yaml` too, for its worded errors.
 */
export function parseYamlText(text: string, options: YamlParseOptions = {}): { value: unknown; errors: string[] } {
  // Flow collections nest with JSON's brackets: as deep, the parser (and whatever walks the value) overflows the stack.
  const deep = findExcessNesting(text);
  if (deep) return { value: undefined, errors: [`nested more than ${MAX_JSON_DEPTH} levels deep at line ${deep.line}, column ${deep.column}`] };
  let value: unknown;
  try {
    // `json: true` is js-yaml's switch for duplicate keys (the last one wins, as `yaml` with uniqueKeys off).
    value = jsYaml.load(text, { schema: jsYaml.CORE_SCHEMA, json: options.uniqueKeys === false });
  } catch (error) {
    return { value: undefined, errors: describeYamlErrors(text, options, error) };
  }
  const bomb = (what: string) => ({ value: undefined, errors: [`its aliases (*name) ${what} (an alias bomb?): debug502 reads YAML only below that`] });
  const size = measureExpansion(value, Math.max(YAML_EXPANSION_FLOOR, YAML_EXPANSION_FACTOR * text.length));
  if (size === 'aliases') return bomb(`are expanded more than ${MAX_YAML_ALIASES.toLocaleString('en-US')} times`);
  if (size === 'size') return bomb(`expand it to more than ${YAML_EXPANSION_FACTOR} times its size`);
  return { value, errors: [] };
}

/** The problems of a text js-yaml refused, worded by `yaml` (every error, line and column), else by js-yaml's own mark. */
function describeYamlErrors(text: string, options: YamlParseOptions, error: unknown): string[] {
  const document = parseDocument(text, { uniqueKeys: options.uniqueKeys ?? true, prettyErrors: true });
  const errors = document.errors.slice(0, options.maxErrors ?? 3).map((problem) => {
    const at = problem.linePos?.[0];
    // The first line only: prettyErrors appends an excerpt of the text.
    const what = problem.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
    return `not valid YAML${at ? ` at line ${at.line}, column ${at.col}` : ''}: ${what}`;
  });
  if (errors.length > 0) return errors;
  // js-yaml's reason and mark (0-based) name no text of the file; its message would quote a snippet.
  const { reason, mark } = error as { reason?: string; mark?: { line: number; column: number } };
  return [`not valid YAML${mark ? ` at line ${mark.line + 1}, column ${mark.column + 1}` : ''}: ${reason ?? 'unreadable'}`];
}

/**
 * Walks `value` as JSON.stringify would (shared objects once per place they appear, so a cycle
 * counts for ever): 'aliases' when shared objects are met again more than MAX_YAML_ALIASES times,
 * 'size' when it is bigger than `limit` (one per node plus the length of every key and string),
 * 'ok' otherwise. Stops as soon as it knows.
 */
function measureExpansion(value: unknown, limit: number): 'ok' | 'aliases' | 'size' {
  let size = 0;
  let repeats = 0;
  const seen = new WeakSet<object>();
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const next = stack.pop();
    size += 1;
    if (typeof next === 'string') size += next.length;
    else if (next !== null && typeof next === 'object') {
      if (seen.has(next) && ++repeats > MAX_YAML_ALIASES) return 'aliases';
      seen.add(next);
      if (Array.isArray(next)) for (const child of next) stack.push(child);
      else {
        for (const [key, child] of Object.entries(next)) {
          size += key.length;
          stack.push(child);
        }
      }
    }
    if (size > limit) return 'size';
  }
  return 'ok';
}
