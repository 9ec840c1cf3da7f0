import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

/** How long a gateway gets between its stop signal and SIGKILL. */
export const STOP_GRACE_MS = 3000;

/** SIGKILL to the child's whole process group (it leads its own: spawned detached), then waits for it to exit. */
export async function killGroup(child: ChildProcess): Promise<void> {
  try {
    process.kill(-child.pid!, 'SIGKILL');
  } catch {
    /* already gone */
  }
  await waitForExit(child, STOP_GRACE_MS);
}

/** Resolves true once `child` has exited, false after `timeoutMs`. */
export function waitForExit(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/** Sends `signal`, then SIGKILLs the group after STOP_GRACE_MS, and waits until no process of the group is left. */
export async function stopGroup(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    child.kill(signal);
    if (!(await waitForExit(child, STOP_GRACE_MS))) await killGroup(child);
  }
  await waitForGroupGone(child.pid!);
}

/** Waits until no process of group `pgid` (a master and its workers) is left; SIGKILLs stragglers. */
export async function waitForGroupGone(pgid: number): Promise<void> {
  for (let i = 0; i < 100; i += 1) {
    try {
      process.kill(-pgid, i === 50 ? 'SIGKILL' : 0);
    } catch {
      return;
    }
    await sleep(20);
  }
}

/** Resolves true once `path` exists, false when `gaveUp()` turns true or about 5 s pass. */
export async function waitForFile(path: string, gaveUp: () => boolean): Promise<boolean> {
  for (let i = 0; i < 250; i += 1) {
    if (existsSync(path)) return true;
    if (gaveUp()) return false;
    await sleep(20);
  }
  return false;
}
