/**
 * The one way input files come in. Every file a command reads — collections, environments,
 * globals, iteration data, configs, OpenAPI documents, v3 collection files, ramp.json, nginx
 * configs, Locust and k6 results — is read by `readInputText`, gateway logs by `openInputStream`.
 *
 * Why not `fs.readFile`: opening a FIFO that has no writer blocks one of libuv's threads in
 * open(2) for good, and Node waits for that thread when it exits, so not even a second Ctrl-C
 * ended the process. Here a file is opened with O_NONBLOCK (which open(2) honours for FIFOs and
 * ignores for regular files), its type is read from the open descriptor, and a pipe is read
 * through libuv's event loop, where waiting costs no thread and the signal cuts it. Devices
 * (`/dev/zero`, `/dev/urandom`, a terminal) are refused: they never end, or block a thread on read.
 * Every kind of input has a size limit (INPUT_LIMIT_BYTES): `/dev/zero` through a pipe, or a
 * 10 GB file, is refused at the limit instead of being read to V8's string limit.
 */
import { close, constants, createReadStream, fstat, open, read, type Stats } from 'node:fs';
import { Socket } from 'node:net';
import type { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { InputError, InterruptedError } from '../errors.js';

const MiB = 1024 * 1024;

/**
 * The most bytes debug502 reads of each kind of input. Generous: a real collection of 1,997
 * requests is ~10 MB, a 100,000-step ramp.json 37 MB, a 90,000-endpoint config ~10 MB.
 */
export const INPUT_LIMIT_BYTES = {
  /** A collection file, and all the files of a v3 collection directory together. */
  collection: 256 * MiB,
  /** One file of a v3 collection directory. */
  v3File: 64 * MiB,
  /** An environment or globals file. */
  environment: 64 * MiB,
  iterationData: 64 * MiB,
  config: 64 * MiB,
  openapi: 64 * MiB,
  rampReport: 256 * MiB,
  /** A Locust CSV (a real 1-hour history: 111 MB) or a k6 summary. */
  loadTestResults: 256 * MiB,
  nginxConf: 16 * MiB,
  /** `diagnose --gateway-conf`: an nginx, HAProxy, Caddy or Apache configuration. */
  gatewayConf: 16 * MiB,
  /** A client certificate, its key or a CA bundle (PEM or PKCS#12). */
  tlsFile: 4 * MiB,
} as const;

export type InputKind = keyof typeof INPUT_LIMIT_BYTES;

/** What messages call each kind in "the most debug502 reads as …". */
const KIND_NOUN: Record<InputKind, string> = {
  collection: 'a collection',
  v3File: 'one file of a v3 collection',
  environment: 'an environment',
  iterationData: 'iteration data',
  config: 'a config',
  openapi: 'an OpenAPI document',
  rampReport: 'a ramp report',
  loadTestResults: 'a load test result',
  nginxConf: 'an nginx config',
  gatewayConf: 'a gateway configuration',
  tlsFile: 'a certificate or key',
};

export interface InputFileOptions {
  /** Sets the size limit and names it in the message. */
  kind: InputKind;
  /** Starts every message: `collection c.json`, `--iteration-data rows.csv`, `debug502.config.yaml`. */
  label: string;
  hint?: string;
  /** Aborts the wait on a pipe (InterruptedError, exit 130). */
  signal?: AbortSignal;
  /** Refuse pipes too (the files of a v3 directory): only a regular file is read. */
  regularOnly?: boolean;
  /** Words after the label for a missing path (default "file not found") and a directory (default "is a directory, not a file"). */
  notFound?: string;
  isDirectory?: string;
}

type OpenOptions = Omit<InputFileOptions, 'kind' | 'signal'>;

const openFd = promisify(open);
const fstatFd = promisify(fstat);
const readFd = promisify(read);
const closeFd = promisify(close);

/** O_NONBLOCK: open(2) of a FIFO returns at once instead of waiting for a writer (0 where the platform has none). */
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOCTTY ?? 0);

/** A megabyte count for messages: 256 MiB → "256 MB". */
export function formatLimit(bytes: number): string {
  return bytes % MiB === 0 ? `${bytes / MiB} MB` : `${bytes} bytes`;
}

/**
 * The text (UTF-8) of the file at `path`: a regular file, or a pipe (`<(…)`, a FIFO, `/dev/stdin`
 * fed by a pipe) unless `regularOnly`. Throws InputError starting with `label` when the path is
 * missing, a directory, unreadable, a device (or a pipe with `regularOnly`), or holds more than
 * the kind's limit; InterruptedError when `signal` aborts while a pipe is still open. No thread
 * ever waits on the file.
 */
export async function readInputText(path: string, options: InputFileOptions): Promise<string> {
  return (await readInputBytes(path, options)).toString('utf8');
}

/** The bytes of the file at `path`, read as readInputText reads it (a PKCS#12 bundle is binary). */
export async function readInputBytes(path: string, options: InputFileOptions): Promise<Buffer> {
  const limit = INPUT_LIMIT_BYTES[options.kind];
  const { fd, info } = await openInput(path, options);
  if (info.isFile()) {
    try {
      return await readRegularFile(fd, info.size, limit, options);
    } finally {
      await closeFd(fd).catch(() => undefined);
    }
  }
  return readPipe(fd, limit, options);
}

/**
 * A stream of the bytes at `path` (a regular file or a pipe), with no size limit: for gateway
 * logs, which are streamed a line at a time. The same refusals as readInputText; a pipe without a
 * writer is waited for on the event loop, and `signal` ends the stream (it then just ends).
 */
export async function openInputStream(path: string, options: Omit<InputFileOptions, 'kind' | 'regularOnly'>): Promise<Readable> {
  const { fd, info } = await openInput(path, options);
  const stream: Readable = info.isFile()
    ? createReadStream(path, { fd, highWaterMark: 256 * 1024 })
    : new Socket({ fd, readable: true, writable: false });
  if (options.signal) {
    const stop = () => stream.destroy();
    if (options.signal.aborted) stop();
    else {
      options.signal.addEventListener('abort', stop, { once: true });
      stream.once('close', () => options.signal!.removeEventListener('abort', stop));
    }
  }
  return stream;
}

/** Opens without blocking and says what the descriptor is; refuses what is not a file or a pipe (closing it). */
async function openInput(path: string, options: OpenOptions): Promise<{ fd: number; info: Stats }> {
  const fail = (why: string) => new InputError(`${options.label}: ${why}`, [], options.hint);
  let fd: number;
  try {
    fd = await openFd(path, OPEN_FLAGS);
  } catch (error) {
    throw fail(describeOpenError(error as NodeJS.ErrnoException, options));
  }
  let info: Stats;
  try {
    info = await fstatFd(fd);
  } catch (error) {
    await closeFd(fd).catch(() => undefined);
    throw fail(describeOpenError(error as NodeJS.ErrnoException, options));
  }
  const pipe = info.isFIFO() || info.isSocket();
  if (info.isFile() || (pipe && !options.regularOnly)) return { fd, info };
  await closeFd(fd).catch(() => undefined);
  if (info.isDirectory()) throw fail(options.isDirectory ?? 'is a directory, not a file');
  throw fail(`is ${describeFileType(info)}, not a regular file: debug502 reads ${options.regularOnly ? 'only regular files here' : 'files and pipes'}`);
}

function describeOpenError(error: NodeJS.ErrnoException, options: OpenOptions): string {
  switch (error.code) {
    case 'ENOENT':
      return options.notFound ?? 'file not found';
    case 'EISDIR':
      return options.isDirectory ?? 'is a directory, not a file';
    case 'EACCES':
    case 'EPERM':
      return 'cannot be read (permission denied)';
    case 'ENOTDIR':
      return 'file not found (a part of the path is a file, not a directory)';
    case 'ENXIO':
      return 'is a socket or a device nothing serves, not a file';
    default:
      return `cannot be read (${error.code ?? error.message})`;
  }
}

function describeFileType(info: Stats): string {
  if (info.isCharacterDevice()) return 'a character device';
  if (info.isBlockDevice()) return 'a block device';
  if (info.isFIFO()) return 'a pipe';
  if (info.isSocket()) return 'a socket';
  return 'not a file';
}

function tooLarge(options: InputFileOptions, limit: number, through: string): InputError {
  return new InputError(
    `${options.label}: ${through} more than ${formatLimit(limit)}, the most debug502 reads as ${KIND_NOUN[options.kind]}`,
    [],
    options.hint,
  );
}

/** A regular file, at most `limit` bytes: its size is checked first, and again while reading (it may grow, or say 0 as /proc does). */
async function readRegularFile(fd: number, size: number, limit: number, options: InputFileOptions): Promise<Buffer> {
  if (size > limit) throw tooLarge(options, limit, 'holds');
  // One buffer of the stated size (+1 byte to see growth); files that state no size grow a chunk at a time.
  let buffer = Buffer.allocUnsafe(Math.max(size + 1, 64 * 1024));
  let length = 0;
  for (;;) {
    if (length === buffer.length) {
      const grown = Buffer.allocUnsafe(Math.min(buffer.length * 2, limit + 1));
      buffer.copy(grown, 0, 0, length);
      buffer = grown;
    }
    const { bytesRead } = await readFd(fd, buffer, length, buffer.length - length, null);
    if (bytesRead === 0) break;
    length += bytesRead;
    if (length > limit) throw tooLarge(options, limit, 'holds');
  }
  return buffer.subarray(0, length);
}

/** A pipe read on the event loop, at most `limit` bytes; the signal stops the wait. Owns `fd` (the socket closes it). */
function readPipe(fd: number, limit: number, options: InputFileOptions): Promise<Buffer> {
  const socket = new Socket({ fd, readable: true, writable: false });
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let length = 0;
    const finish = (error?: Error) => {
      options.signal?.removeEventListener('abort', onAbort);
      socket.destroy();
      if (error) reject(error);
      else resolve(Buffer.concat(chunks, length));
    };
    const onAbort = () => {
      const reason = typeof options.signal?.reason === 'string' ? ` (${options.signal.reason})` : '';
      finish(new InterruptedError(`${options.label}: stopped${reason} while reading from a pipe, ${length === 0 ? 'which nothing had written to' : `after ${length} bytes`}`));
    };
    socket.on('data', (chunk: Buffer) => {
      length += chunk.length;
      if (length > limit) return finish(tooLarge(options, limit, 'the pipe brought'));
      chunks.push(chunk);
    });
    socket.once('end', () => finish());
    socket.once('error', (error: NodeJS.ErrnoException) => finish(new InputError(`${options.label}: cannot be read (${error.code ?? error.message})`, [], options.hint)));
    if (options.signal?.aborted) onAbort();
    else options.signal?.addEventListener('abort', onAbort, { once: true });
  });
}
