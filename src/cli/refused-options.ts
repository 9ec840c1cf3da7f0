import type { Argv } from 'yargs';
import { InputError } from '../errors.js';

/** A newman flag a command does not take: its short form, whether it is a bare flag, and why it is not taken. */
export interface RefusedOption {
  alias?: string;
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
