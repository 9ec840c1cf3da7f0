import { InputError } from '../../errors.js';
import { describeLineShape } from '../../gateways/logs/index.js';
import { LOG_FORMAT_LABEL, LOG_FORMATS, type LogFormat } from '../../model.js';

export interface UnreadableLog {
  firstLine: string;
  lines: number;
  /** Lines in the shape of `format`, when one was chosen. */
  matched?: number;
  format?: LogFormat;
  /** The format was forced with --log-format. */
  given?: boolean;
  optionName?: string;
}

/**
 * Refuses a log diagnose cannot read, naming the file and what its first line looks like: never
 * "no cause found" for lines that were not read. Exit 2 (InputError); `--log-format` forces a format.
 */
export function refuseUnreadableLog(file: string, log: UnreadableLog): never {
  const option = log.optionName ?? '--log';
  const shape = describeLineShape(log.firstLine);
  const what = log.format === undefined
    ? `${file} is in no log format diagnose reads: its first line is ${shape}`
    : `${file}: ${log.lines - (log.matched ?? 0)} of ${log.lines} line(s) are not in the ${LOG_FORMAT_LABEL[log.format]} format it was ${log.given ? 'given' : 'detected'} as (the first line is ${shape})`;
  throw new InputError(`${option}: ${what}`, [], `give a gateway log diagnose reads (--log-format ${LOG_FORMATS.join('|')} forces one), or leave this file out`);
}
