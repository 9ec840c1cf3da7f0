import type { Io } from '../io.js';

export type { Io };

/** The Io of a real process; the signal fires on the first SIGINT/SIGTERM. */
export function processIo(): Io {
  const controller = new AbortController();
  const onSignal = (name: NodeJS.Signals) => {
    // A second Ctrl-C means now: the 'exit' handlers of writes in progress remove what they staged (fs/undo-on-exit.ts).
    if (controller.signal.aborted) process.exit(130);
    // Commands decide what stopping means (a ramp writes its partial report, generate writes nothing, the lab shuts down).
    process.stderr.write(`\n${name}: stopping — requests in flight are cut, what finished is reported, nothing is left half-written (Ctrl-C again to quit at once)…\n`);
    controller.abort(name);
  };
  process.once('SIGINT', () => { onSignal('SIGINT'); process.on('SIGINT', () => process.exit(130)); });
  process.once('SIGTERM', () => { onSignal('SIGTERM'); process.on('SIGTERM', () => process.exit(130)); });
  return {
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    isTTY: Boolean(process.stdout.isTTY),
    env: process.env,
    cwd: process.cwd(),
    signal: controller.signal,
    stdin: process.stdin,
  };
}

/** An Io that records output, for tests that call `main` in-process. */
export function captureIo(overrides: Partial<Io> = {}): Io & { out: string[]; err: string[]; text(): string } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    stdout: (t) => void out.push(t),
    stderr: (t) => void err.push(t),
    isTTY: false,
    env: {},
    cwd: process.cwd(),
    signal: new AbortController().signal,
    ...overrides,
    out,
    err,
    text: () => out.join('') + err.join(''),
  };
}
