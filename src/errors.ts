/**
 * Typed errors. Each carries a hint (what to do) and maps to one exit code; the CLI catches them in
 * one place. A 502 onset is data in a report, never one of these.
 */
export const EXIT = { ok: 0, failed: 1, badInput: 2, runtime: 3, interrupted: 130 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export abstract class Debug502Error extends Error {
  abstract readonly exitCode: ExitCode;
  constructor(message: string, readonly hint?: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Bad input: a config, collection, environment file or option. Exit 2. */
export class InputError extends Debug502Error {
  readonly exitCode = EXIT.badInput;
  /** One line per problem, e.g. `endpoints[0].path: must start with "/"`. */
  constructor(message: string, readonly problems: string[] = [], hint?: string) {
    super(message, hint);
  }
}

/** Something failed while running: target unreachable, a safety limit, a tool missing. Exit 3. */
export class RuntimeError extends Debug502Error {
  readonly exitCode = EXIT.runtime;
}

/**
 * Ctrl-C / SIGTERM stopped a command that has no partial result to keep (generate, export, init,
 * report), or a wait before there was anything to report (e.g. on a pipe): nothing was written.
 * Exit 130. (Commands with a partial result — run, ramp, watch, diagnose — report it instead.)
 */
export class InterruptedError extends Debug502Error {
  readonly exitCode = EXIT.interrupted;
}

/** Formats any error for stderr: message, problems, hint. */
export function formatError(error: unknown): string {
  if (error instanceof Debug502Error) {
    const lines = [`error: ${error.message}`];
    if (error instanceof InputError) for (const p of error.problems) lines.push(`  - ${p}`);
    if (error.hint) lines.push(`hint: ${error.hint}`);
    return lines.join('\n');
  }
  // A failed system call (EACCES, ENOSPC, ENOTDIR…) is the machine's state, not a bug: its message says it all.
  if (error instanceof Error && typeof (error as NodeJS.ErrnoException).syscall === 'string') return `error: ${error.message}`;
  return `error: ${error instanceof Error ? error.stack ?? error.message : String(error)}`;
}
