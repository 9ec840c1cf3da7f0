import { existsSync, renameSync, rmSync } from 'node:fs';
import { lstat, mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, parse, relative, resolve, sep } from 'node:path';
import { interruptedError } from '../interrupt.js';
import { undoOnExit } from './undo-on-exit.js';

/** One file to write: where, and its whole content. */
export interface FileToWrite {
  path: string;
  /**
   * The content, or the text in chunks (re-iterable: a file written more than once is iterated
   * again), for content too big to hold as one string: it is written as it comes.
   */
  data: string | Uint8Array | Iterable<string>;
}

/** The prefix of the staging directories: a crash can leave one behind, and its name says whose it is. */
export const STAGING_PREFIX = '.debug502-staging-';

/** How a write may be stopped. */
export interface AtomicWriteOptions {
  /**
   * Ctrl-C / SIGTERM: while the files are being staged, the write stops, the staging directory is
   * removed and an InterruptedError (exit 130) is thrown — nothing written. Once the renames
   * have begun (milliseconds) they finish, so the set is whole.
   */
  signal?: AbortSignal;
}

/**
 * Writes `data` to `path` so that readers see either the old file or the whole new one, never a
 * half-written one (see writeFilesAtomic).
 */
export async function writeFileAtomic(path: string, data: FileToWrite['data'], options: AtomicWriteOptions = {}): Promise<void> {
  await writeFilesAtomic([{ path, data }], options);
}

/**
 * Writes several files as one step: all of them or none. Every file is first written whole into a
 * staging directory beside the targets (same file system, so renames are atomic); only then are
 * the targets replaced, one rename each, the old file kept aside in the staging directory. When
 * anything fails — a target that is a directory, a full disk, a parent that is a file — the
 * targets already replaced get their old content back, new files and the directories made for
 * them are removed, and the error is rethrown: the file system is as it was. The same undo runs
 * when the process exits mid-way (process.exit on a second Ctrl-C: undoOnExit); only a crash that
 * runs no exit handler (SIGKILL, a power cut) can leave `.debug502-staging-*` behind — never a
 * half-written target.
 */
export async function writeFilesAtomic(files: readonly FileToWrite[], options: AtomicWriteOptions = {}): Promise<void> {
  if (files.length === 0) return;
  const { signal } = options;
  if (signal?.aborted) throw interruptedError(signal, 'before writing');
  const targets = files.map((file) => resolve(file.path));
  if (new Set(targets).size !== targets.length) throw new Error(`writeFilesAtomic: the same path twice in ${targets.join(', ')}`);
  for (const target of targets) {
    const stat = await lstat(target).catch(() => undefined);
    if (stat?.isDirectory()) throw Object.assign(new Error(`EISDIR: ${target} is a directory, not a file`), { code: 'EISDIR', path: target });
  }
  const madeDirs: string[] = [];
  const makeDir = async (dir: string) => {
    const first = await mkdir(dir, { recursive: true });
    if (first) madeDirs.push(first);
  };
  const undoDirs = async () => {
    for (const dir of madeDirs.reverse()) await rm(dir, { recursive: true, force: true });
  };
  const root = commonDirectory(targets.map((target) => dirname(target)));
  let staging: string;
  try {
    await makeDir(root);
    staging = await mkdtemp(join(root, STAGING_PREFIX));
  } catch (error) {
    await undoDirs();
    throw error;
  }
  // Each target is listed before its renames start: an exit between two syscalls still finds it.
  const replaced: { target: string; kept: string; fresh: string }[] = [];
  let committed = false;
  const release = undoOnExit(() => {
    if (!committed) {
      for (const { target, kept, fresh } of [...replaced].reverse()) {
        if (existsSync(kept)) renameSync(kept, target);
        else if (!existsSync(fresh)) rmSync(target, { force: true });
      }
    }
    rmSync(staging, { recursive: true, force: true });
    for (const dir of [...madeDirs].reverse()) if (!committed) rmSync(dir, { recursive: true, force: true });
  });
  try {
    for (const [index, file] of files.entries()) await writeFile(join(staging, `${index}.new`), file.data, { signal });
    for (const target of targets) await makeDir(dirname(target));
    for (const [index, target] of targets.entries()) {
      const entry = { target, kept: join(staging, `${index}.old`), fresh: join(staging, `${index}.new`) };
      replaced.push(entry);
      await rename(target, entry.kept).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'ENOENT') throw error;
      });
      await rename(entry.fresh, target);
    }
    committed = true;
  } catch (error) {
    for (const { target, kept, fresh } of replaced.reverse()) {
      if (existsSync(kept)) await rename(kept, target).catch(() => undefined);
      else if (!existsSync(fresh)) await rm(target, { force: true }).catch(() => undefined);
    }
    await rm(staging, { recursive: true, force: true });
    await undoDirs();
    release();
    if (signal?.aborted) throw interruptedError(signal, 'while writing');
    throw error;
  }
  await rm(staging, { recursive: true, force: true });
  release();
}

/** The deepest directory that holds every one of `dirs` (absolute paths). */
function commonDirectory(dirs: readonly string[]): string {
  const { root } = parse(dirs[0]);
  let common = dirs[0];
  for (const dir of dirs.slice(1)) {
    while (common !== root && relative(common, dir).split(sep)[0] === '..') common = dirname(common);
  }
  return common;
}
