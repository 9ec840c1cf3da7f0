import type { Argv } from 'yargs';
import { EXIT } from '../errors.js';
import type { Io } from '../io.js';

/** The output options as yargs has them after `newmanOutputOptions` declared them. */
export interface NewmanOutputArgs {
  'suppress-exit-code'?: boolean;
  silent?: boolean;
  'disable-unicode'?: boolean;
}

/**
 * newman's output flags, one definition for run, ramp, diagnose and watch, with newman's meaning:
 * `-x/--suppress-exit-code` (a run that found failures exits 0; bad input, a runtime abort and an
 * interruption keep their codes), `--silent` (nothing on stdout; errors still on stderr, and the
 * report files are written), `--disable-unicode` (debug502's symbols in plain ASCII).
 */
export function newmanOutputOptions<T>(yargs: Argv<T>): Argv<T & NewmanOutputArgs> {
  return yargs
    .option('suppress-exit-code', { alias: 'x', type: 'boolean', describe: 'Exit 0 even when checks fail or a gate is not met, as newman\'s -x (bad input stays 2, a runtime abort 3, Ctrl-C 130)' })
    .option('silent', { type: 'boolean', describe: 'Print nothing on stdout, as newman\'s --silent (errors still go to stderr; report files are still written)' })
    .option('disable-unicode', { type: 'boolean', describe: 'Write debug502\'s symbols (— → · … × ≥ ✅ ❌ ⚠) in plain ASCII, as newman\'s --disable-unicode' }) as unknown as Argv<T & NewmanOutputArgs>;
}

/**
 * Runs a command with the output flags applied: its Io's stdout silenced or made ASCII, its
 * stderr made ASCII, and a failed check (exit 1) turned into 0 under `-x`.
 */
export async function withNewmanOutput(args: NewmanOutputArgs, io: Io, run: (io: Io) => Promise<number>): Promise<number> {
  const plain = args['disable-unicode'] ? toAscii : (text: string) => text;
  const shaped: Io = {
    ...io,
    stdout: args.silent ? () => {} : (text) => io.stdout(plain(text)),
    stderr: (text) => io.stderr(plain(text)),
    ...(io.workflowCommands ? { workflowCommands: args.silent ? () => {} : (text: string) => io.workflowCommands!(plain(text)) } : {}),
  };
  const code = await run(shaped);
  return args['suppress-exit-code'] && code === EXIT.failed ? EXIT.ok : code;
}

/** debug502's non-ASCII symbols and their plain forms (the ones its own output uses). */
const ASCII: Record<string, string> = {
  '—': '-', '–': '-', '−': '-', '→': '->', '←': '<-', '·': '-', '…': '...', '×': 'x', '≥': '>=', '≤': '<=', '≠': '!=',
  '✅': '[ok]', '❌': '[x]', '⚠️': '[!]', '⚠': '[!]', '✓': 'ok', '✗': 'x', '’': "'", '‘': "'", '“': '"', '”': '"',
  '₀': '0', '₁': '1', '₂': '2', 'Σ': 'sum', '§': 'S', '∫': 'int',
};
const SYMBOLS = new RegExp(Object.keys(ASCII).sort((a, b) => b.length - a.length).map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'gu');

/** `text` with debug502's symbols in ASCII (see ASCII); anything else (a name's own letters) is kept. Pure. */
export function toAscii(text: string): string {
  return text.replace(SYMBOLS, (symbol) => ASCII[symbol]);
}
