/**
 * Output preflight: every place a command will write is checked before its first request, so a
 * ramp never runs for ten minutes to lose its report to a `--report-dir` that is a file. Each
 * check throws an InputError (exit 2) naming the option and the path; nothing is created.
 */
import { constants, writeSync } from 'node:fs';
import { access, open, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { InputError } from '../errors.js';

type Kind = 'directory' | 'file' | 'other' | 'missing' | 'blocked';

/** What is at `path`: `blocked` when a parent on the way is not a directory (ENOTDIR). */
async function kindOf(path: string): Promise<Kind> {
  try {
    const info = await stat(path);
    return info.isDirectory() ? 'directory' : info.isFile() ? 'file' : 'other';
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return 'missing';
    if (code === 'ENOTDIR') return 'blocked';
    throw error;
  }
}

async function isWritable(path: string): Promise<boolean> {
  return access(path, constants.W_OK).then(() => true, () => false);
}

/**
 * Why a character device refuses writes (`/dev/full`: ENOSPC), found by writing nothing to it —
 * a zero-byte write reaches the driver, which answers as it would for data; undefined when it
 * takes them (`/dev/null`, a terminal). Non-blocking: the probe never waits on the device.
 */
async function probeDeviceWrite(path: string): Promise<string | undefined> {
  try {
    const handle = await open(path, constants.O_WRONLY | constants.O_APPEND | constants.O_NONBLOCK);
    try {
      // writeSync: the promise API returns early on an empty buffer and never calls write(2).
      writeSync(handle.fd, Buffer.alloc(0));
    } finally {
      await handle.close();
    }
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

/**
 * The nearest existing ancestor of a missing `path` must be a writable directory, for
 * `mkdir -p` to make the rest. Throws the problem naming `option`.
 */
async function checkCanCreate(path: string, option: string, hint: string): Promise<void> {
  let parent = dirname(path);
  for (;;) {
    const kind = await kindOf(parent);
    if (kind === 'directory') {
      if (!(await isWritable(parent))) throw new InputError(`${option}: cannot create ${path}: ${parent} is not writable`, [], hint);
      return;
    }
    if (kind === 'file' || kind === 'other') throw new InputError(`${option}: cannot create ${path}: ${parent} is a file, not a directory`, [], hint);
    if (parent === dirname(parent)) throw new InputError(`${option}: cannot create ${path}: no directory on the way exists`, [], hint);
    parent = dirname(parent);
  }
}

/**
 * Checks that `dir` is (or can become) a writable directory and that none of `fileNames` inside
 * it is a directory or unwritable — the files a command will replace there. `option` names the
 * setting in messages (`--report-dir`, `--out`). Throws InputError; writes nothing.
 */
export async function checkOutputDirectory(dir: string, option: string, fileNames: readonly string[] = []): Promise<void> {
  const path = resolve(dir);
  const hint = `choose another ${option}: a directory that is writable or can be created`;
  const kind = await kindOf(path);
  if (kind === 'missing' || kind === 'blocked') return checkCanCreate(path, option, hint);
  if (kind !== 'directory') throw new InputError(`${option}: ${path} is a file, not a directory`, [], hint);
  if (!(await isWritable(path))) throw new InputError(`${option}: ${path} is not writable`, [], hint);
  for (const name of fileNames) await checkOutputFile(join(path, name), option);
}

/**
 * Checks that `path` is (or can become) a file this process may replace — or, with `append`,
 * append to: then it may also be a device or pipe (`/dev/null`), and its directory must already
 * exist (`$GITHUB_STEP_SUMMARY` is appended to, never created with its directories). Never a
 * directory, never unwritable, never a device that refuses writes (`/dev/full`: a zero-byte
 * write finds it out). Throws InputError naming `option`; writes nothing.
 */
export async function checkOutputFile(path: string, option: string, options: { append?: boolean } = {}): Promise<void> {
  const target = resolve(path);
  const hint = `choose another ${option}: a file path that is writable`;
  const kind = await kindOf(target);
  if (kind === 'directory') throw new InputError(`${option}: ${target} is a directory, not a file`, [], hint);
  if (kind === 'other' && !options.append) throw new InputError(`${option}: ${target} is not a regular file`, [], hint);
  if (kind === 'file' || kind === 'other') {
    if (!(await isWritable(target))) throw new InputError(`${option}: ${target} is not writable`, [], hint);
    const refused = kind === 'other' && (await stat(target)).isCharacterDevice() ? await probeDeviceWrite(target) : undefined;
    if (refused) throw new InputError(`${option}: ${target} refuses writes (${refused})`, [], hint);
    return;
  }
  if (options.append && (await kindOf(dirname(target))) !== 'directory') {
    throw new InputError(`${option}: ${dirname(target)} is not an existing directory`, [], hint);
  }
  return checkCanCreate(target, option, hint);
}
