import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

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
 */
export async function replaceDirectory(dir: string, files: readonly TreeFile[]): Promise<void> {
  const parent = dirname(dir);
  const stamp = `${process.pid}.${Date.now()}`;
  const staging = join(parent, `.${basename(dir)}.${stamp}.tmp`);
  const retired = join(parent, `.${basename(dir)}.${stamp}.old`);
  await mkdir(parent, { recursive: true });
  try {
    for (const file of files) {
      const target = join(staging, ...file.path.split('/'));
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, file.data);
    }
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
  let moved = false;
  try {
    await rename(dir, retired);
    moved = true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      await rm(staging, { recursive: true, force: true });
      throw error;
    }
  }
  try {
    await rename(staging, dir);
  } catch (error) {
    if (moved) await rename(retired, dir);
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
  if (moved) await rm(retired, { recursive: true, force: true });
}
