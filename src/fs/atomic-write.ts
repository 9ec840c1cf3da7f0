import { lstat, mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, parse, relative, resolve, sep } from 'node:path';

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

/**
 * Writes `data` to `path` so that readers see either the old file or the whole new one, never a
 * half-written one (see writeFilesAtomic).
 */
export async function writeFileAtomic(path: string, data: FileToWrite['data']): Promise<void> {
  await writeFilesAtomic([{ path, data }]);
}

/**
 * Writes several files as one step: all of them or none. Every file is first written whole into a
 * staging directory beside the targets (same file system, so renames are atomic); only then are
 * the targets replaced, one rename each, the old file kept aside in the staging directory. When
 * anything fails — a target that is a directory, a full disk, a parent that is a file — the
 * targets already replaced get their old content back, new files and the directories made for
 * them are removed, and the error is rethrown: the file system is as it was. (A crash of the
 * process mid-way can leave the staging directory, `.debug502-staging-*`, behind; never a
 * half-written target.)
 */
export async function writeFilesAtomic(files: readonly FileToWrite[]): Promise<void> {
  if (files.length === 0) return;
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
  const replaced: { target: string; kept?: string }[] = [];
  try {
    for (const [index, file] of files.entries()) await writeFile(join(staging, `${index}.new`), file.data);
    for (const target of targets) await makeDir(dirname(target));
    for (const [index, target] of targets.entries()) {
      const kept = join(staging, `${index}.old`);
      const hadOld = await rename(target, kept).then(() => true, (error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return false;
        throw error;
      });
      replaced.push({ target, kept: hadOld ? kept : undefined });
      await rename(join(staging, `${index}.new`), target);
    }
  } catch (error) {
    for (const { target, kept } of replaced.reverse()) {
      if (kept) await rename(kept, target).catch(() => undefined);
      else await rm(target, { force: true }).catch(() => undefined);
    }
    await rm(staging, { recursive: true, force: true });
    await undoDirs();
    throw error;
  }
  await rm(staging, { recursive: true, force: true });
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
