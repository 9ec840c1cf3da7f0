import { existsSync, renameSync, rmSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { interruptedError } from '../interrupt.js';
import type { AtomicWriteOptions } from './atomic-write.js';
import { undoOnExit } from './undo-on-exit.js';

/** One file of a directory tree: its path inside the tree ("/"-separated) and its whole content. */
export interface TreeFile {
  path: string;
  data: string | Uint8Array;
}

/**
 * Makes `dir` hold exactly `files` and nothing else — a file left from an earlier version (a
 * renamed request) would otherwise live on. The whole tree is written to a temp directory beside
 * `dir` first; only then is the old `dir` moved aside, the new one renamed into place and the old
 * one removed. A failure while writing removes the temp tree and leaves `dir` as it was; readers
 * see the old tree or the new one, except between the two renames, when `dir` is briefly absent.
 * With `signal`, Ctrl-C while the tree is written removes it and throws InterruptedError (exit
 * 130); an exit mid-way (a second Ctrl-C) removes it too and puts the old `dir` back (undoOnExit).
 */
export async function replaceDirectory(dir: string, files: readonly TreeFile[], options: AtomicWriteOptions = {}): Promise<void> {
  const { signal } = options;
  if (signal?.aborted) throw interruptedError(signal, 'before writing');
  const parent = dirname(dir);
  const stamp = `${process.pid}.${Date.now()}`;
  const staging = join(parent, `.${basename(dir)}.${stamp}.tmp`);
  const retired = join(parent, `.${basename(dir)}.${stamp}.old`);
  await mkdir(parent, { recursive: true });
  let committed = false;
  const release = undoOnExit(() => {
    if (!committed && existsSync(retired)) {
      // The new tree may already be in place (the second rename done): the old one goes back.
      if (!existsSync(staging)) rmSync(dir, { recursive: true, force: true });
      renameSync(retired, dir);
    }
    rmSync(staging, { recursive: true, force: true });
    rmSync(retired, { recursive: true, force: true });
  });
  try {
    for (const file of files) {
      if (signal?.aborted) throw interruptedError(signal, 'while writing');
      const target = join(staging, ...file.path.split('/'));
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, file.data, { signal });
    }
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    release();
    if (signal?.aborted) throw interruptedError(signal, 'while writing');
    throw error;
  }
  let moved = false;
  try {
    await rename(dir, retired);
    moved = true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      await rm(staging, { recursive: true, force: true });
      release();
      throw error;
    }
  }
  try {
    await rename(staging, dir);
    committed = true;
  } catch (error) {
    if (moved) await rename(retired, dir);
    await rm(staging, { recursive: true, force: true });
    release();
    throw error;
  }
  if (moved) await rm(retired, { recursive: true, force: true });
  release();
}
