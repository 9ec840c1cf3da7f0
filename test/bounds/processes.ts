/** The bin as a real process (real signals), for the bounds tests: spawn it, wait for a condition. */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = fileURLToPath(new URL('../../', import.meta.url));
export const BIN = join(REPO, 'dist', 'cli', 'bin.js');

export interface SpawnedBin {
  child: ChildProcess;
  /** stdout and stderr so far. */
  output(): string;
  /** Its exit code and when it came (performance.now()); SIGKILLed after 40 s. */
  exit: Promise<{ code: number | null; atMs: number }>;
}

export function spawnBin(args: string[], cwd: string): SpawnedBin {
  const child = spawn(process.execPath, [BIN, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  child.stdout!.on('data', (chunk) => (text += chunk));
  child.stderr!.on('data', (chunk) => (text += chunk));
  const exit = new Promise<{ code: number | null; atMs: number }>((resolve) => {
    const guard = setTimeout(() => child.kill('SIGKILL'), 40_000);
    child.on('exit', (code) => {
      clearTimeout(guard);
      resolve({ code, atMs: performance.now() });
    });
  });
  return { child, output: () => text, exit };
}

/** Resolves once `predicate()` holds; rejects after `timeoutMs`. */
export async function waitFor(predicate: () => boolean, timeoutMs = 20_000): Promise<void> {
  const until = performance.now() + timeoutMs;
  while (!predicate()) {
    if (performance.now() > until) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
