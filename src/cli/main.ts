import yargs from 'yargs';
import { Debug502Error, EXIT, formatError } from '../errors.js';
import { VERSION } from '../version.js';
import { COMMANDS } from './commands/index.js';
import type { Io } from './io.js';

/**
 * The whole CLI as a function: parses argv, runs one command, returns its exit code.
 * The only place errors are caught and turned into exit codes.
 */
export async function main(argv: string[], io: Io): Promise<number> {
  let exitCode: number = EXIT.ok;
  let usageError: string | undefined;
  const parser = yargs(argv)
    .scriptName('debug502')
    .usage('debug502 — find out why requests through a gateway come back 502 Bad Gateway,\nand at what load they start to.\n\nUsage: $0 <command> [options]')
    .version(VERSION)
    .strict()
    .demandCommand(1, 'Name a command: see the list above.')
    .recommendCommands()
    .wrap(Math.min(110, process.stdout.columns || 100))
    .epilogue('Exit codes: 0 ok · 1 checks failed / policy gate · 2 bad input · 3 runtime abort · 130 interrupted\nDocs: README.md')
    .exitProcess(false)
    .fail((message, error) => {
      if (error) throw error;
      usageError = message;
    });
  for (const def of COMMANDS) {
    parser.command(def.command, def.describe, def.builder, async (args) => {
      exitCode = await def.handler(args, io);
    });
  }
  let helpText = '';
  try {
    await parser.parseAsync(argv, {}, (_err, _argv, output) => {
      if (output) helpText = output;
    });
  } catch (error) {
    io.stderr(formatError(error) + '\n');
    return error instanceof Debug502Error ? error.exitCode : EXIT.runtime;
  }
  if (usageError !== undefined) {
    io.stderr(`${helpText ? helpText + '\n\n' : ''}error: ${usageError}\nhint: run "debug502 --help" or "debug502 <command> --help".\n`);
    return EXIT.badInput;
  }
  if (helpText) io.stdout(helpText + '\n');
  return exitCode;
}
