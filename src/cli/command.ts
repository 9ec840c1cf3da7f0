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
