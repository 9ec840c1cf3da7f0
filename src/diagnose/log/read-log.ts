import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { InputError } from '../../errors.js';
import { openInputStream } from '../../fs/read-input.js';
import type { LogFormat, LogSummary } from '../../model.js';
import { DETECT_LINES, detectLogFormat } from '../../gateways/logs/index.js';
import { createLogAccumulator, LOG_LIMITS } from './log-accumulator.js';
import { readLines } from './read-lines.js';
import { refuseUnreadableLog } from './unreadable-log.js';

/** A log to read: a file path, or any readable stream (a pipe, stdin) with the name to report it by. */
export type LogSource = string | { name: string; stream: Readable | AsyncIterable<Buffer | string> };

export interface ReadLogOptions {
  /** `auto` (default): detected per file from its first lines. */
  format?: LogFormat | 'auto';
  /** Keep only lines at or after this moment, by each format's own timestamps. */
  since?: Date;
  /** Stops reading early (Ctrl-C), a pipe nothing writes to too; the summary covers the lines read so far. */
  signal?: AbortSignal;
  /** The option name errors cite (default `--log`). */
  optionName?: string;
}

/**
 * Streams one gateway log — any format of src/gateways/logs; plain or gzipped (detected from the
 * bytes, not the name) — into a LogSummary. A log in no format diagnose reads is an InputError
 * naming it and what its first line looks like. Memory stays flat however large it is:
 * only counts and capped samples are kept. A missing or unreadable file is an InputError naming it;
 * a corrupt gzip file is an InputError too.
 */
export async function readLog(source: LogSource, options: ReadLogOptions = {}): Promise<LogSummary> {
  const name = typeof source === 'string' ? source : source.name;
  const optionName = options.optionName ?? '--log';
  if (typeof source === 'string') await checkLogFile(source, optionName);
  const accumulator = createLogAccumulator(name, { format: options.format, sinceMs: options.since?.getTime(), optionName });
  if (options.signal?.aborted) return accumulator.summary();
  // A file or a FIFO is opened without blocking and read on the event loop: the signal ends the wait for a writer.
  const stream = typeof source === 'string' ? await openInputStream(source, { label: `${optionName}: cannot read ${name}`, signal: options.signal, hint: LOG_HINT }) : source.stream;
  try {
    for await (const line of readLines(untilAborted(stream, options.signal), LOG_LIMITS.lineChars)) {
      accumulator.add(line);
      if (options.signal?.aborted) break;
    }
  } catch (error) {
    // A log in no readable format is refused as such (refuseUnreadableLog), not as a read error.
    if (error instanceof InputError) throw error;
    if (!options.signal?.aborted) {
      const code = (error as NodeJS.ErrnoException).code ?? 'error';
      throw new InputError(`${optionName}: cannot read ${name} (${code}: ${(error as Error).message})`, [], 'give a plain-text or gzipped log; check a .gz with gzip -t FILE');
    }
  } finally {
    if (typeof source === 'string') (stream as Readable).destroy();
  }
  return accumulator.summary();
}

const LOG_HINT = 'give the path of the gateway\'s log (e.g. /var/log/nginx/error.log, an Apache or Caddy log, varnishlog output, an ALB .log.gz, an Envoy or HAProxy access log), or - to read it from stdin';

/**
 * The chunks of `input` until `signal` aborts: a pipe or stdin that nothing writes to (or that a
 * writer holds open) would otherwise keep `for await` waiting for its next chunk past Ctrl-C.
 */
async function* untilAborted(input: AsyncIterable<Buffer | string>, signal: AbortSignal | undefined): AsyncGenerator<Buffer | string> {
  if (!signal) return yield* input;
  const iterator = input[Symbol.asyncIterator]();
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<'aborted'>((resolve) => {
    onAbort = () => resolve('aborted');
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    while (!signal.aborted) {
      const next = await Promise.race([iterator.next(), aborted]);
      if (next === 'aborted' || next.done) return;
      yield next.value;
    }
  } finally {
    signal.removeEventListener('abort', onAbort!);
    // Not awaited: a stream waiting for data settles its pending read only when it is destroyed.
    void iterator.return?.();
  }
}

/** The nginx error log reader of earlier versions: readLog with the format detected (nginx unless the lines say otherwise). */
export function readErrorLog(path: string, options: Omit<ReadLogOptions, 'format'> = {}): Promise<LogSummary> {
  return readLog(path, { ...options, optionName: options.optionName ?? '--nginx-log' });
}

/** Throws InputError naming the option unless `path` is a readable file; lets callers fail before probing. */
export async function checkLogFile(path: string, optionName = '--log'): Promise<void> {
  try {
    const info = await stat(path);
    if (!info.isFile() && !info.isFIFO()) throw Object.assign(new Error('not a file'), { code: 'EISDIR' });
    await access(path, constants.R_OK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new InputError(`${optionName}: cannot read ${path} (${code})`, [], LOG_HINT);
  }
}

/**
 * The format of a log file from its first lines, before any probe runs: a file in no format
 * diagnose reads is refused now (InputError, nothing sent), and the gateway only its format belongs
 * to is known before the keep-alive probe needs it. Undefined for an empty file or a FIFO.
 */
export async function sniffLogFile(path: string, options: { format?: LogFormat | 'auto'; optionName?: string } = {}): Promise<LogFormat | undefined> {
  if (options.format && options.format !== 'auto') return options.format;
  // A FIFO's lines can be read once only: it is read (and its format detected) when the log is read.
  if (!(await stat(path)).isFile()) return undefined;
  const stream = await openInputStream(path, { label: `${options.optionName ?? '--log'}: cannot read ${path}`, hint: LOG_HINT });
  const lines: string[] = [];
  try {
    for await (const line of readLines(stream, LOG_LIMITS.lineChars)) {
      if (line.trim() !== '') lines.push(line.endsWith('\r') ? line.slice(0, -1) : line);
      if (lines.length >= DETECT_LINES) break;
    }
  } catch {
    // A read error is reported when the log is read for real (readLog), with its code.
    return undefined;
  } finally {
    stream.destroy();
  }
  if (lines.length === 0) return undefined;
  const detected = detectLogFormat(lines);
  if (!detected) refuseUnreadableLog(path, { firstLine: lines[0], lines: lines.length, optionName: options.optionName });
  return detected;
}
