import { constants, createReadStream } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { InputError } from '../../errors.js';
import type { LogSummary } from '../../model.js';
import { createLogAccumulator } from './log-accumulator.js';
import { formatNginxTime } from './since.js';

export interface ReadErrorLogOptions {
  /** Keep only lines at or after this moment (read as local time, as nginx writes it). */
  since?: Date;
  /** Stops reading early (Ctrl-C); the summary covers the lines read so far. */
  signal?: AbortSignal;
}

/**
 * Streams an nginx error log line by line into a LogSummary. Memory stays flat however large the
 * file is (only counts and capped samples are kept). A missing or unreadable file is an InputError
 * naming it.
 */
export async function readErrorLog(path: string, options: ReadErrorLogOptions = {}): Promise<LogSummary> {
  await checkErrorLog(path);
  const accumulator = createLogAccumulator(path, options.since ? formatNginxTime(options.since) : undefined);
  const input = createReadStream(path, { encoding: 'utf8', highWaterMark: 256 * 1024 });
  const lines = createInterface({ input, crlfDelay: Infinity });
  try {
    for await (const line of lines) {
      accumulator.add(line);
      if (options.signal?.aborted) break;
    }
  } finally {
    lines.close();
    input.destroy();
  }
  return accumulator.summary();
}

/** Throws InputError naming `--nginx-log` unless `path` is a readable file; lets callers fail before probing. */
export async function checkErrorLog(path: string): Promise<void> {
  try {
    const info = await stat(path);
    if (!info.isFile()) throw Object.assign(new Error('not a file'), { code: 'EISDIR' });
    await access(path, constants.R_OK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new InputError(`--nginx-log: cannot read ${path} (${code})`, [], 'give the path of nginx\'s error log, e.g. /var/log/nginx/error.log (see error_log in nginx.conf)');
  }
}
