import { createMask, NO_MASK } from './text/mask-secrets.js';
import { sanitizeTerminalText } from './text/escape-control.js';
import { createWorkflowCommandGuard } from './text/workflow-commands.js';

/** The outside world a command may touch: output streams, environment, working directory, signals. */
export interface Io {
  stdout(text: string): void;
  stderr(text: string): void;
  /** True when stdout is an interactive terminal (live progress bars instead of lines). */
  isTTY: boolean;
  env: Record<string, string | undefined>;
  cwd: string;
  /** Aborted on Ctrl-C / SIGTERM; long-running commands stop cleanly and exit 130. */
  signal: AbortSignal;
  /** Standard input, for commands that read a file given as `-` (diagnose --log -). */
  stdin?: NodeJS.ReadableStream;
  /** Secret values found in the inputs (src/postman/secret-values.ts): masked as *** from then on. */
  addSecrets?(values: readonly string[]): void;
  /**
   * debug502's own GitHub Actions workflow commands, on stdout (report/github-actions.ts formats
   * and escapes them): under `GITHUB_ACTIONS=true` the only text that may start a line with `::`.
   * Without it they go to `stdout`.
   */
  workflowCommands?(text: string): void;
}

/**
 * The Io that `main` hands to commands: everything written to stdout and stderr — progress,
 * tables, summaries, error messages — has the registered secrets masked as *** and its control
 * characters escaped (debug502's own erase-line sequence passes), whatever the input held. Under
 * `GITHUB_ACTIONS=true` no line of it is a workflow command (text/workflow-commands.ts): only
 * what comes through `workflowCommands` is.
 */
export function guardIo(io: Io): Io {
  const secrets: string[] = [];
  let mask = NO_MASK;
  const clean = (text: string) => sanitizeTerminalText(mask(text));
  // One guard per stream: the runner reads each line by line.
  const actions = io.env.GITHUB_ACTIONS === 'true';
  const out = createWorkflowCommandGuard();
  const err = createWorkflowCommandGuard();
  return {
    ...io,
    stdout: (text) => io.stdout(actions ? out.text(clean(text)) : clean(text)),
    stderr: (text) => io.stderr(actions ? err.text(clean(text)) : clean(text)),
    workflowCommands: (text) => io.stdout(actions ? out.commands(clean(text)) : clean(text)),
    addSecrets: (values) => {
      secrets.push(...values);
      mask = createMask(secrets);
      io.addSecrets?.(values);
    },
  };
}
/** What every command of the library gives back: its report, the files it wrote, its exit code. */
export interface CommandResult<Report> {
  report: Report;
  /** Absolute paths written (reports, exports, the step summary when appended to). */
  files: string[];
  /** 0 ok · 1 checks failed / policy gate · 3 runtime abort · 130 interrupted (bad input throws). */
  exitCode: number;
}
