/**
 * What a write in progress must undo if the process exits before it finishes — a second Ctrl-C
 * calls process.exit(130) at once, mid-write. Each writer registers a synchronous undo (remove its
 * staging directory, put back what it had replaced) for as long as it runs; one 'exit' listener,
 * present only while something is registered, runs them all: no `.debug502-staging-*` directory or
 * half-replaced set of files outlives the process, whatever the exit.
 */
const pending = new Set<() => void>();

function undoAll(): void {
  for (const undo of [...pending]) {
    try {
      undo();
    } catch {
      // Exiting: the other undos still run; there is no one left to tell.
    }
  }
  pending.clear();
}

/**
 * Registers `undo` (synchronous: it runs inside process 'exit', where nothing async completes)
 * until the returned release is called, when the write has finished or cleaned up after itself.
 */
export function undoOnExit(undo: () => void): () => void {
  if (pending.size === 0) process.on('exit', undoAll);
  pending.add(undo);
  return () => {
    if (!pending.delete(undo)) return;
    if (pending.size === 0) process.off('exit', undoAll);
  };
}
