import { parseDocument } from 'yaml';
import { findExcessNesting, MAX_JSON_DEPTH } from './parse-json.js';

/**
 * yaml's own first stop against alias bombs (`maxAliasCount`: how often an anchor may be
 * expanded, weighted by the aliases inside it); YAML_EXPANSION_FACTOR is the bound that holds.
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
 */
export function parseYamlText(text: string, options: YamlParseOptions = {}): { value: unknown; errors: string[] } {
  // Flow collections nest with JSON's brackets: as deep, the parser (and whatever walks the value) overflows the stack.
  const deep = findExcessNesting(text);
  if (deep) return { value: undefined, errors: [`nested more than ${MAX_JSON_DEPTH} levels deep at line ${deep.line}, column ${deep.column}`] };
  const document = parseDocument(text, { uniqueKeys: options.uniqueKeys ?? true, prettyErrors: true });
  const errors = document.errors.slice(0, options.maxErrors ?? 3).map((error) => {
    const at = error.linePos?.[0];
    // The first line only: prettyErrors appends an excerpt of the text.
    const what = error.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
    return `not valid YAML${at ? ` at line ${at.line}, column ${at.col}` : ''}: ${what}`;
  });
  if (errors.length > 0) return { value: undefined, errors };
  const bomb = (what: string) => ({ value: undefined, errors: [`its aliases (*name) ${what} (an alias bomb?): debug502 reads YAML only below that`] });
  let value: unknown;
  try {
    value = document.toJS({ maxAliasCount: MAX_YAML_ALIASES });
  } catch (error) {
    if (error instanceof ReferenceError && /alias/i.test(error.message)) return bomb(`are expanded more than ${MAX_YAML_ALIASES.toLocaleString('en-US')} times`);
    return { value: undefined, errors: [`not valid YAML: ${(error as Error).message.split('\n')[0]}`] };
  }
  if (exceedsSize(value, Math.max(YAML_EXPANSION_FLOOR, YAML_EXPANSION_FACTOR * text.length))) return bomb(`expand it to more than ${YAML_EXPANSION_FACTOR} times its size`);
  return { value, errors: [] };
}

/**
 * True when `value`, walked as JSON.stringify would (shared objects once per place they appear,
 * so a cycle counts for ever), is bigger than `limit`: one per node plus the length of every key
 * and string. Stops as soon as it is.
 */
function exceedsSize(value: unknown, limit: number): boolean {
  let size = 0;
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const next = stack.pop();
    size += 1;
    if (typeof next === 'string') size += next.length;
    else if (Array.isArray(next)) for (const child of next) stack.push(child);
    else if (next !== null && typeof next === 'object') {
      for (const [key, child] of Object.entries(next)) {
        size += key.length;
        stack.push(child);
      }
    }
    if (size > limit) return true;
  }
  return false;
}
