import { spawn } from 'node:child_process';

export interface OrphanGuard {
  /** The group was stopped properly: the guard goes away without touching it. */
  release(): void;
}

/**
 * Makes sure a process group we started (nginx's master and workers) dies with this process, even
 * when this process is killed by a signal and no 'exit' handler runs (a test runner ending its
 * workers, a SIGKILL). A detached `sh` blocks reading a pipe from us; the pipe closes only when we
 * are gone, and then it SIGKILLs the group (and removes `removeDir`, the group's temp dir). Linux has PR_SET_PDEATHSIG for this, Node does not.
 */
export function guardProcessGroup(pgid: number, removeDir?: string): OrphanGuard {
  guardedGroups.add(pgid);
  if (guardedGroups.size === 1) process.once('exit', killGuardedGroups);
  // Arguments, not interpolation: the dir path never becomes shell code.
  const script = 'read _line; kill -s KILL -- "-$1" 2>/dev/null; [ -n "$2" ] && rm -rf -- "$2"';
  const watchdog = spawn('sh', ['-c', script, 'debug502-guard', String(pgid), removeDir ?? ''], {
    detached: true,
    stdio: ['pipe', 'ignore', 'ignore'],
  });
  watchdog.on('error', () => {}); // no sh: only the 'exit' handler guards
  // Neither the watchdog nor its pipe may keep this process alive.
  watchdog.unref();
  (watchdog.stdin as unknown as { unref?: () => void } | null)?.unref?.();
  return {
    release: () => {
      guardedGroups.delete(pgid);
      if (guardedGroups.size === 0) process.removeListener('exit', killGuardedGroups);
      if (watchdog.exitCode === null && watchdog.pid !== undefined) {
        try {
          process.kill(watchdog.pid, 'SIGKILL');
        } catch {
          /* already gone */
        }
      }
    },
  };
}

/**
 * The groups still guarded, killed by one 'exit' listener: a lab with Varnish guards three groups
 * (varnishd, varnishncsa, varnishlog), and parallel labs many more than Node's 10 listeners.
 */
const guardedGroups = new Set<number>();

function killGuardedGroups(): void {
  for (const pgid of guardedGroups) killGroup(pgid);
}

function killGroup(pgid: number): void {
  try {
    process.kill(-pgid, 'SIGKILL');
  } catch {
    /* already gone */
  }
}
