import type { CauseCode, LogFormat } from '../../model.js';

/** When a line happened: the text as the log wrote it, and the moment it names (epoch ms) when it can be read. */
export interface LineTime {
  time?: string;
  timeMs?: number;
}

/**
 * What one log line says. `cause`: a gateway error with its cause code; `ok`: a request the gateway
 * served (access logs); `ignored`: routine noise (startup, notices); `unknown`: an error no rule knows.
 */
export type LineClass =
  | ({ kind: 'cause'; code: CauseCode; upstream?: string; phase?: string } & LineTime)
  | ({ kind: 'ok' } & LineTime)
  | ({ kind: 'ignored' } & LineTime)
  | ({ kind: 'unknown' } & LineTime);

/** One gateway log format: how to recognise its lines, classify them, and say in evidence what its lines show. */
export interface LogFormatReader {
  name: LogFormat;
  /** "nginx error log", "ALB access log", … */
  label: string;
  /** True when `line` is in this format (auto-detection reads the first lines of a file). Pure. */
  matches(line: string): boolean;
  /** Sorts one line. Pure. */
  classify(line: string): LineClass;
  /** How this format's lines show a cause, for findings: `502 with target_status_code "-"`. */
  shows: Partial<Record<CauseCode, string>>;
}

const MONTHS: Record<string, number> = { Jan: 0, Feb: 1, Mar: 2, Apr: 3, May: 4, Jun: 5, Jul: 6, Aug: 7, Sep: 8, Oct: 9, Nov: 10, Dec: 11 };

/** `2026/11/25 06:41:02` (nginx, local time) → epoch ms, or undefined. */
export function parseNginxTime(text: string): number | undefined {
  const m = /^(\d{4})\/(\d{2})\/(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(text);
  if (!m) return undefined;
  const ms = new Date(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]).getTime();
  return Number.isNaN(ms) ? undefined : ms;
}

/** `06/Feb/2009:12:14:14.655` (HAProxy's accept date, local time) → epoch ms, or undefined. */
export function parseHaproxyTime(text: string): number | undefined {
  const m = /^(\d{2})\/([A-Z][a-z]{2})\/(\d{4}):(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,3}))?$/.exec(text);
  if (!m || MONTHS[m[2]] === undefined) return undefined;
  const ms = new Date(+m[3], MONTHS[m[2]], +m[1], +m[4], +m[5], +m[6], m[7] ? +m[7].padEnd(3, '0') : 0).getTime();
  return Number.isNaN(ms) ? undefined : ms;
}

/** An ISO 8601 time (ALB, Envoy: UTC with `Z`) → epoch ms, or undefined. */
export function parseIsoTime(text: string): number | undefined {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(text)) return undefined;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}

/** `2026-11-25T06:41Z`: the UTC minute a moment falls in (the key of per-minute histograms). */
export function minuteKey(timeMs: number): string {
  return `${new Date(timeMs).toISOString().slice(0, 16)}Z`;
}
