import { InputError } from '../../errors.js';
import { parseDurationMs, SINCE } from '../../options/parse-duration.js';

/**
 * `--since` → the earliest moment to keep: a duration (`500ms`, `30m`, `2h`, `1d`, read by the one
 * duration parser) counts back from `now`; a text that starts like a date must be one `Date.parse`
 * reads (ISO 8601, e.g. `2026-11-25T06:00:00Z`). Throws InputError naming `--since` otherwise. Pure.
 */
export function parseSince(text: string, now: Date): Date {
  if (/^\d{4}-\d{2}-\d{2}/.test(text.trim())) {
    const absoluteMs = Date.parse(text);
    if (Number.isNaN(absoluteMs)) {
      throw new InputError(`--since: "${text}" is not a date`, [], 'use an ISO time such as 2026-11-25T06:00:00Z, or a duration such as 30m, 2h, 1d');
    }
    return new Date(absoluteMs);
  }
  return new Date(now.getTime() - parseDurationMs(text, SINCE));
}

/**
 * A moment as nginx writes it in the error log: `2026/11/25 06:41:02`, in this machine's local
 * time zone (nginx writes local time and no zone). Strings in this form sort like the times they
 * name, so the reader filters lines by plain string comparison instead of parsing every date.
 */
export function formatNginxTime(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}/${pad(date.getMonth() + 1)}/${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}
