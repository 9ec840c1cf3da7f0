import yargs, { type Argv } from 'yargs';
import { Debug502Error, EXIT, formatError, InputError } from '../errors.js';
import { VERSION } from '../version.js';
import { COMMANDS } from './commands/index.js';
import type { Io } from './io.js';
import { guardIo } from '../io.js';
import { withSecretListener } from '../postman/secret-scope.js';
import { describeMissingValue, MISSING_HINT, requireOptionValues } from './require-option-values.js';

const USAGE_HINT = 'run "debug502 --help" for the commands, "debug502 <command> --help" for their options';

/**
 * The whole CLI as a function: parses argv, runs one command, returns its exit code.
 * The only place errors are caught and turned into exit codes. Everything printed — the error
 * below too — goes through guardIo, which masks every secret of every input read so far (the
 * loaders tell it as they read, see postman/secret-scope.ts) and, under GitHub Actions, keeps
 * user text from being read as a workflow command.
 */
export async function main(rawArgv: string[], rawIo: Io): Promise<number> {
  const argv = joinDashValues(rawArgv);
  const io = guardIo(rawIo);
  let exitCode: number = EXIT.ok;
  let output = '';
  const parser = yargs(argv)
    .scriptName('debug502')
    .usage('debug502 — find out why requests through a gateway come back 502 Bad Gateway,\nand at what load they start to.\n\nUsage: $0 <command> [options]')
    .version(VERSION)
    .strict()
    .demandCommand(1, 'name a command (see the list above)')
    .recommendCommands()
    .wrap(Math.min(110, process.stdout.columns || 100))
    .epilogue('Exit codes: 0 ok · 1 checks failed / policy gate · 2 bad input · 3 runtime abort · 130 interrupted\nDocs: README.md')
    .exitProcess(false)
    // Throwing here (not just recording) keeps yargs from running a handler with bad options.
    .fail((message, error) => {
      // yargs' own validation errors (YError) are usage errors; anything else is ours or a bug.
      if (error && error.name !== 'YError') throw error;
      message = error?.message ?? message;
      const missing = describeMissingValue(message);
      throw missing ? new InputError(missing, [], MISSING_HINT) : new InputError(message, [], USAGE_HINT);
    });
  for (const def of COMMANDS) {
    parser.command(def.command, def.describe, (y) => refuseGivenTwice(requireOptionValues(def.builder(y), argv), def.command, argv), async (args) => {
      exitCode = await def.handler(args, io);
    });
  }
  try {
    await withSecretListener((values) => io.addSecrets?.(values), () => parser.parseAsync(argv, {}, (_err, _argv, text) => {
      if (text) output = text;
    }));
  } catch (error) {
    // A bare `debug502` gets the command list along with the error.
    if (argv.length === 0) io.stderr((await parser.getHelp()) + '\n\n');
    io.stderr(formatError(error) + '\n');
    return error instanceof Debug502Error ? error.exitCode : EXIT.runtime;
  }
  if (output) io.stdout(output + '\n'); // --help, --version
  return exitCode;
}

/**
 * A positional the command declares (`run [collection]`) that the line also gives as an option
 * (`run a.json --collection b.json`) is refused: yargs would keep one and drop the other unsaid.
 */
function refuseGivenTwice<T>(yargs: Argv<T>, command: string, argv: readonly string[]): Argv<T> {
  const positionals = [...command.matchAll(/[[<]([a-z][a-z0-9-]*)[\]>]/g)].map((match) => match[1]);
  if (positionals.length === 0) return yargs;
  return yargs.check((parsed) => {
    for (const name of positionals) {
      const at = argv.findIndex((arg) => arg === `--${name}` || arg.startsWith(`--${name}=`));
      if (at < 0) continue;
      const asOption = argv[at].includes('=') ? argv[at].slice(argv[at].indexOf('=') + 1) : argv[at + 1];
      const given = (parsed as Record<string, unknown>)[name];
      if (given !== undefined && given !== asOption) {
        throw new InputError(`${name} given twice: "${String(given)}" and --${name} "${asOption}"`, [], `give the ${name} once, either first after the command or as --${name}`);
      }
    }
    return true;
  });
}

/**
 * `--log -` → `--log=-`: yargs reads a bare `-` as a positional argument, never as an option's
 * value, yet `-` is how every Unix tool spells "standard input". Pure.
 */
function joinDashValues(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (const arg of argv) {
    const previous = out[out.length - 1];
    if (arg === '-' && previous !== undefined && /^--[a-z][a-z0-9-]*$/.test(previous)) out[out.length - 1] = `${previous}=-`;
    else out.push(arg);
  }
  return out;
}
