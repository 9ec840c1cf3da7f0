import type { Argv } from 'yargs';
import { InputError } from '../errors.js';

/** A newman flag a command does not take: its short form, whether it is a bare flag, and why it is not taken. */
export interface RefusedOption {
  alias?: string;
  /** A bare flag (boolean). An option whose value newman makes optional (`--bail [modifiers]`) is a string listed in OPTIONAL_VALUE_OPTIONS. */
  flag?: boolean;
  why: string;
  /** What to do instead. */
  instead: string;
}

/**
 * Declares newman flags the command does not take as hidden options, so that a newman user's
 * muscle memory gets the reason (InputError, exit 2, nothing sent) instead of yargs' bare
 * "Unknown argument". `describeRefusedOptions` gives the lines for the command's --help.
 */
export function refuseOptions<T>(yargs: Argv<T>, command: string, refused: Record<string, RefusedOption>): Argv<T> {
  let y = yargs;
  for (const [name, option] of Object.entries(refused)) {
    y = y.option(name, { type: option.flag ? 'boolean' : 'string', hidden: true, ...(option.alias ? { alias: option.alias } : {}) }) as Argv<T>;
  }
  return y.check((args) => {
    const given = Object.keys(refused).filter((name) => args[name] !== undefined);
    if (given.length === 0) return true;
    const first = refused[given[0]];
    throw new InputError(`${command} does not take ${given.map((name) => `--${name}`).join(', ')}`, given.map((name) => `--${name}: ${refused[name].why}`), first.instead);
  });
}

/** "Not taken from newman run: --bail (why) · …", for the command's epilogue. */
export function describeRefusedOptions(refused: Record<string, RefusedOption>): string {
  return `Newman flags not taken here, and why:\n${Object.entries(refused).map(([name, option]) => `  --${name}${option.alias ? `/-${option.alias}` : ''}: ${option.why}`).join('\n')}`;
}

/** `--postman-api-key`, refused by every command: debug502 reads files only. */
export const POSTMAN_API_KEY_REFUSED: Record<string, RefusedOption> = {
  'postman-api-key': {
    why: 'debug502 reads collections and environments from files, never from the Postman API (and a key on the command line sits in shell history and CI logs)',
    instead: 'export them from the Postman app (or fetch them from the Postman API yourself) and pass the files: COLLECTION -e ENVIRONMENT',
  },
};

/**
 * newman's `--export-*` flags for a command that has nothing of the kind to write: `why` says
 * what the command's runs leave behind; `debug502 run` writes them after one pass.
 */
export function refuseExports(why: string): Record<string, RefusedOption> {
  const refusal = (flag: string): RefusedOption => ({ why, instead: `"debug502 run COLLECTION -e ENVIRONMENT --${flag} FILE" writes it after one pass` });
  return Object.fromEntries(['export-environment', 'export-globals', 'export-collection', 'export-cookie-jar'].map((flag) => [flag, refusal(flag)]));
}
