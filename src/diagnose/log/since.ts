import { InputError } from '../../errors.js';

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * `--since` → the earliest moment to keep: `30m`, `2h`, `45s`, `1d` count back from `now`;
 * anything else must be a date `Date.parse` reads (ISO 8601, e.g. `2026-11-25T06:00:00Z`).
 * Throws InputError naming `--since` otherwise. Pure.
 */
export function parseSince(text: string, now: Date): Date {
  const relative = /^\s*(\d+(?:\.\d+)?)\s*([smhd])\s*$/.exec(text);
  if (relative) return new Date(now.getTime() - Number(relative[1]) * UNIT_MS[relative[2]]);
  const absoluteMs = /^\d{4}-\d{2}-\d{2}/.test(text.trim()) ? Date.parse(text) : Number.NaN;
  if (Number.isNaN(absoluteMs)) {
    throw new InputError(`--since: cannot read "${text}"`, [], 'use a duration such as 30m, 2h, 45s, 1d, or an ISO time such as 2026-11-25T06:00:00Z');
  }
  return new Date(absoluteMs);
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
