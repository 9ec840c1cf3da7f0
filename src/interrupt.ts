/**
 * Obeying Ctrl-C / SIGTERM in commands that have nothing partial to keep. The signal handler
 * (cli/io.ts) runs only when the event loop polls — never inside synchronous work, nor between
 * microtasks — so a long command yields a macrotask turn between its phases and stops there.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import { InterruptedError } from './errors.js';

/** The InterruptedError for `signal`: `interrupted (SIGINT) <while>: nothing was written`. */
export function interruptedError(signal: AbortSignal, while_: string): InterruptedError {
  const name = typeof signal.reason === 'string' ? signal.reason : 'Ctrl-C / SIGTERM';
  return new InterruptedError(`interrupted (${name}) ${while_}: nothing was written`);
}

/** Throws an InterruptedError (exit 130) when `signal` has fired; `while_` says where (`while reading the config`). */
export function throwIfInterrupted(signal: AbortSignal | undefined, while_: string): void {
  if (signal?.aborted) throw interruptedError(signal, while_);
}

/**
 * Lets a signal that arrived during the synchronous work before reach its handler, then
 * throwIfInterrupted. Called between the long phases of a command (after parsing a big input,
 * before rendering, before writing). Two immediates: the first runs in this loop iteration's
 * check phase, before the next poll; the second after it — and the poll is where the signal is read.
 */
export async function checkInterrupted(signal: AbortSignal | undefined, while_: string): Promise<void> {
  if (!signal) return;
  await nextTurn();
  await nextTurn();
  throwIfInterrupted(signal, while_);
}
