import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * Writes `data` to `path` so that readers see either the old file or the whole new one, never a
 * half-written one: creates the parent directories, writes `path.<pid>.tmp` next to it, then renames
 * it over `path` (rename is atomic within one file system). The temp file is removed on failure.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tempPath = `${path}.${process.pid}.tmp`;
  try {
    await writeFile(tempPath, data);
    await rename(tempPath, path);
  } catch (error) {
    await rm(tempPath, { force: true });
    throw error;
  }
}

/** One file to write: where, and its whole content. */
export interface FileToWrite {
  path: string;
  data: string | Uint8Array;
}

/**
 * Writes several files as one step, as far as a file system allows: every temp file is written
 * first, and only when all of them are on disk is each renamed over its target. A failure while
 * writing removes the temp files and leaves every target as it was.
 */
export async function writeFilesAtomic(files: readonly FileToWrite[]): Promise<void> {
  const staged: { tempPath: string; path: string }[] = [];
  try {
    for (const { path, data } of files) {
      await mkdir(dirname(path), { recursive: true });
      const tempPath = `${path}.${process.pid}.tmp`;
      staged.push({ tempPath, path });
      await writeFile(tempPath, data);
    }
  } catch (error) {
    await Promise.all(staged.map(({ tempPath }) => rm(tempPath, { force: true })));
    throw error;
  }
  for (const { tempPath, path } of staged) await rename(tempPath, path);
}
