import type { Argv } from 'yargs';
import type { Io } from './io.js';

/**
 * One CLI command: yargs options in `builder`, work in `handler`, which returns the exit code.
 * Handlers call the library and format its results; they never call process.exit.
 */
export interface CommandDefinition<Args = any> {
  command: string;
  describe: string;
  builder: (yargs: Argv) => Argv<Args>;
  handler: (args: Args, io: Io) => Promise<number>;
}

/** `--a x --a y,z` → ['x','y','z']; yargs gives strings or arrays. */
export function splitList(value: unknown): string[] {
  const items = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return items.flatMap((v) => String(v).split(',')).map((s) => s.trim()).filter(Boolean);
}

/**
 * `--folder NAME` (repeatable) and `-k` / `--insecure`, as run, ramp and diagnose take them — the
 * names and meanings of newman's own flags. A folder name is never split at commas: names hold them.
 */
export const FOLDER_OPTION = {
  type: 'string',
  array: true,
  describe: 'Only this folder (or request) inside each route folder, e.g. "Orders" runs "Through gateway / Orders" and "Direct to backend / Orders" (repeatable; any depth; exact name)',
} as const;

export const INSECURE_OPTION = {
  alias: 'k',
  type: 'boolean',
  default: false,
  describe: 'Accept TLS certificates that do not verify (self-signed staging gateways)',
} as const;

/** The `--folder` values as given (yargs gives a string, an array or nothing). */
export function readFolders(value: unknown): string[] {
  const items = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return items.map(String).filter((name) => name !== '');
}

/**
 * The collection a command runs, given first as newman takes it (`debug502 run c.json`, as
 * `newman run c.json`) or as `--collection c.json`; the command's name declares `[collection]`.
 * Given both ways, main.ts refuses the line (refuseGivenTwice).
 */
export function collectionArgument<T>(yargs: Argv<T>, describe: string): Argv<T> {
  return yargs
    .positional('collection', { type: 'string', describe: `${describe} (or --collection FILE)` })
    .demandOption('collection', 'name the collection: first after the command, as newman run takes it, or as --collection FILE') as unknown as Argv<T>;
}
