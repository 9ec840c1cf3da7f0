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
}

/** What every command of the library gives back: its report, the files it wrote, its exit code. */
export interface CommandResult<Report> {
  report: Report;
  /** Absolute paths written (reports, exports, the step summary when appended to). */
  files: string[];
  /** 0 ok · 1 checks failed / policy gate · 3 runtime abort · 130 interrupted (bad input throws). */
  exitCode: number;
}
