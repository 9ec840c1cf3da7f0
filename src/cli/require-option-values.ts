import type { Argv } from 'yargs';
import { InputError } from '../errors.js';

interface ParserOptions {
  boolean: string[];
  count: string[];
  string: string[];
  number: string[];
  array: string[];
  default: Record<string, unknown>;
}

/** Options whose values are secrets: never quoted in a message. */
const SECRET_OPTION = /passphrase|api-key|password|secret|token/;

/** Options whose value newman makes optional (`--bail [modifiers]`): given bare, they are '' and not refused here. */
export const OPTIONAL_VALUE_OPTIONS: ReadonlySet<string> = new Set(['bail']);

/**
 * Makes every option of a command that takes a value (string, number, array) refuse to be given
 * without one: `--max` at the end of the line, or followed by another option, is an error instead
 * of silently taking the default, and `--report-dir=` (an empty value) is one too. It also keeps
 * `--max-duration -5m` from being read as the options `-5` and `-m`. Booleans are left alone.
 * `argv` is the command line as given: yargs lets an array option with a default (`--formats`)
 * go without a value, so those are checked on it. An option that takes one value given twice
 * (`-e a.json -e b.json`) is refused too, naming both: yargs would hand on an array where one
 * path is expected (it ended in a stack trace), and newman takes one environment.
 */
export function requireOptionValues<T>(yargs: Argv<T>, argv: readonly string[]): Argv<T> {
  const options = (yargs as unknown as { getOptions(): unknown }).getOptions() as ParserOptions;
  const flags = new Set([...options.boolean, ...options.count]);
  const valued = [...new Set([...options.string, ...options.number, ...options.array])].filter((key) => !flags.has(key) && key !== '_' && !OPTIONAL_VALUE_OPTIONS.has(key));
  const single = [...new Set([...options.string, ...options.number, ...OPTIONAL_VALUE_OPTIONS])].filter((key) => !options.array.includes(key) && !flags.has(key) && key.length > 1);
  if (valued.length === 0) return yargs;
  const defaultedArrays = options.array.filter((key) => options.default[key] !== undefined);
  return yargs.requiresArg(valued).check((parsed) => {
    const bare = defaultedArrays.filter((key) => {
      const at = argv.indexOf(`--${key}`);
      return at >= 0 && (at === argv.length - 1 || argv[at + 1].startsWith('--'));
    });
    if (bare.length > 0) throw new InputError(describeMissingValue(`Not enough arguments following: ${bare[0]}`)!, [], MISSING_HINT);
    const twice = single.find((key) => Array.isArray(parsed[key]));
    if (twice !== undefined) {
      // A secret's values are not repeated back (they would land in a CI log).
      const values = SECRET_OPTION.test(twice) ? '' : ` (${(parsed[twice] as unknown[]).map((value) => JSON.stringify(String(value))).join(', ')})`;
      throw new InputError(`--${twice} given ${(parsed[twice] as unknown[]).length} times${values}: it takes one`, [], twice === 'environment'
        ? 'give one environment, as newman takes one; set single variables on top of it with --env-var key=value'
        : `give --${twice} once`);
    }
    const empty = valued.filter((key) => {
      const value = parsed[key];
      return value === '' || (Array.isArray(value) && value.some((v) => v === ''));
    });
    if (empty.length > 0) throw new InputError(`${empty.map((key) => `--${key}`).join(', ')}: given an empty value`, [], 'give the option a value, or leave it out to take its default');
    return true;
  });
}

export const MISSING_HINT = 'give the option its value, e.g. --max 32; "debug502 <command> --help" lists them';

/** yargs' "Not enough arguments following: max" in our words, naming the option. */
export function describeMissingValue(message: string): string | undefined {
  const match = /^Not enough arguments following: (.+)$/.exec(message);
  return match ? `--${match[1]}: needs a value (it was given without one)` : undefined;
}
