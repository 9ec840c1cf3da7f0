/**
 * The files a collection's requests send from disk — `body.mode: file` (`body.file.src`) and
 * form-data fields of `type: file` (`src`, one path or a list) — resolved and checked once, when
 * the collection is loaded, with newman's `--working-dir` and `--no-insecure-file-read`
 * (newman's lib/run/secure-fs.js): a relative path starts at the working directory; with insecure
 * reads off, a file outside it is refused. Stricter than newman in one way: "outside" is judged
 * by the real path, so a symbolic link inside the working directory that leads out is outside
 * too (newman compares the path as written). A referenced file that is not a regular file (a FIFO
 * would hold a thread of newman's for good) is refused whatever the setting. Every refusal names
 * the request and the path as written, never anything the file holds (it is not opened).
 */
import { realpath, stat } from 'node:fs/promises';
import { isAbsolute, relative, resolve } from 'node:path';
import { InputError } from '../errors.js';
import { listRequestItems } from './items.js';
import type { PostmanCollection } from './load.js';

export interface FileAccess {
  /** Absolute: where relative paths start. */
  workingDir: string;
  /** newman's `insecureFileRead`: files outside `workingDir` may be read. */
  insecureFileRead: boolean;
  /** Names the collection in messages. */
  collection: string;
}

/** True when `path` is `dir` or inside it (both absolute and normalised, as realpath and resolve give them). */
export function isInsideDirectory(path: string, dir: string): boolean {
  const rel = relative(dir, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

type Json = Record<string, unknown>;

/** One place in the collection that names a file: read its path with `get`, replace it with `set`. */
interface FileReference {
  where: string;
  src: string;
  set(path: string): void;
}

/**
 * Resolves every file the collection's requests send against `access.workingDir` and writes the
 * absolute path back into `collection` (freshly parsed by the caller, so changed in place), so
 * that newman, wherever it runs, reads exactly the file checked here. Throws InputError listing
 * every reference refused: outside the working directory with insecure reads off (by its real
 * path), or not a regular file. A missing file is left to newman, which sends no body for it and
 * says so, as it always has.
 */
export async function resolveFileReferences(collection: PostmanCollection, access: FileAccess): Promise<PostmanCollection> {
  const references = listFileReferences(collection);
  if (references.length === 0) return collection;
  const realWorkingDir = await realpath(access.workingDir).catch(() => access.workingDir);
  const problems: string[] = [];
  for (const reference of references) {
    const path = resolve(access.workingDir, reference.src);
    const real = await realpath(path).catch(() => undefined);
    const info = real === undefined ? undefined : await stat(real).catch(() => undefined);
    if (!access.insecureFileRead && !isInsideDirectory(real ?? path, real === undefined ? access.workingDir : realWorkingDir)) {
      const via = real !== undefined && real !== path && isInsideDirectory(path, access.workingDir) ? ` (a symbolic link to ${real})` : '';
      problems.push(`${reference.where}: "${reference.src}"${via} is outside the working directory ${access.workingDir}`);
    } else if (info && !info.isFile()) {
      problems.push(`${reference.where}: "${reference.src}" is ${info.isDirectory() ? 'a directory' : 'not a regular file (a pipe, socket or device)'}: a request sends a file`);
    } else {
      reference.set(real ?? path);
    }
  }
  if (problems.length > 0) {
    throw new InputError(
      `${access.collection}: ${problems.length} file${problems.length === 1 ? '' : 's'} its requests would send ${problems.length === 1 ? 'is' : 'are'} refused`,
      problems,
      access.insecureFileRead
        ? 'a request sends a regular file: point it at one'
        : 'put the files inside the working directory, point --working-dir at a directory that holds them, or allow reading outside it with --insecure-file-read',
    );
  }
  return collection;
}

/** Every file reference of the collection's enabled bodies, in document order. */
function listFileReferences(collection: PostmanCollection): FileReference[] {
  const references: FileReference[] = [];
  for (const { item, folders } of listRequestItems(collection.item)) {
    const request = item.request;
    if (typeof request !== 'object' || request === null) continue;
    const body = (request as Json).body as Json | undefined;
    if (!body || typeof body !== 'object' || body.disabled === true) continue;
    const where = [...folders.map((f) => f.name ?? ''), item.name ?? '(unnamed)'].join(' / ');
    if (body.mode === 'file' && typeof body.file === 'object' && body.file !== null) {
      const file = body.file as Json;
      if (typeof file.src === 'string' && file.src !== '') references.push({ where: `${where}: body`, src: file.src, set: (path) => void (file.src = path) });
    }
    if (body.mode === 'formdata' && Array.isArray(body.formdata)) {
      for (const field of body.formdata as Json[]) {
        if (!field || field.type !== 'file' || field.disabled === true) continue;
        const at = `${where}: form-data "${String(field.key ?? '')}"`;
        if (typeof field.src === 'string' && field.src !== '') references.push({ where: at, src: field.src, set: (path) => void (field.src = path) });
        else if (Array.isArray(field.src)) {
          const list = field.src as unknown[];
          list.forEach((src, i) => {
            if (typeof src === 'string' && src !== '') references.push({ where: at, src, set: (path) => void (list[i] = path) });
          });
        }
      }
    }
  }
  return references;
}
