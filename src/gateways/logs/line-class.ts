import type { CauseCode, GatewayKind, LogFormat } from '../../model.js';

/** When a line happened: the text as the log wrote it, and the moment it names (epoch ms) when it can be read. */
export interface LineTime {
  time?: string;
  timeMs?: number;
}

/** What a line says of its request, where it says it. */
export interface LineRequest extends LineTime {
  /** `GET`, `POST`, … */
  method?: string;
  /** The status the client got (an access line; Caddy's error line; a varnishlog transaction). */
  status?: number;
  /** True for a request's final answer, one line per request (access logs); absent for an attempt (an error-log line). */
  answer?: boolean;
  /** Failed upstream attempts before this answer (nginx `$upstream_status` "502, 200": 1; varnishlog: a FetchError, then 200). */
  retriedAttempts?: number;
  /** The status is the backend's own answer, passed through (HAProxy `----`, Traefik OriginStatus = DownstreamStatus, …): no gateway failure. */
  fromBackend?: boolean;
  /** What stands for the line in samples, when it is not one line of text (a varnishlog block). */
  text?: string;
}

/**
 * What one log line says. `cause`: a gateway error with its cause code; `ok`: a request the gateway
 * served, or answered without an upstream failure (access logs); `failed`: an upstream failure whose
 * cause the line does not say (an error line no rule knows); `ignored`: routine noise (startup,
 * notices, a line that repeats the one before); `unknown`: a line in no shape the reader knows.
 */
export type LineClass =
  | ({ kind: 'cause'; code: CauseCode; upstream?: string; phase?: string } & LineRequest)
  | ({ kind: 'ok' } & LineRequest)
  | ({ kind: 'failed' } & LineRequest)
  | ({ kind: 'ignored' } & LineRequest)
  | ({ kind: 'unknown' } & LineRequest);

/**
 * One gateway log format: how to recognise its lines, classify them, and say in evidence what its
 * lines show. A reader is a gateway's own words; its profile (src/gateways/<kind>.ts) names it.
 */
export interface LogFormatReader {
  name: LogFormat;
  /** "nginx error log", "ALB access log", … */
  label: string;
  /** The gateway only it writes; absent when several do (NCSA combined: nginx, Apache, varnishncsa). */
  gateway?: GatewayKind;
  /**
   * True when `line` is in this format (auto-detection reads the first lines of a file; a file whose
   * lines mostly do not match is refused as unreadable). Pure.
   */
  matches(line: string): boolean;
  /** Sorts one line. Pure. */
  classify(line: string): LineClass;
  /** How this format's lines show a cause, for findings: `502 with target_status_code "-"`. */
  shows: Partial<Record<CauseCode, string>>;
}

/**
 * A reader for formats whose lines belong together (varnishlog's transactions span many lines): fed
 * every line, it returns the classes of the requests completed so far; `end` flushes the last.
 */
export interface GroupedLogFormatReader extends LogFormatReader {
  group(): { add(line: string): LineClass[]; end(): LineClass[] };
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

/** `08/Dec/2026:03:54:12 +0000` (NCSA combined: nginx, Apache, varnishncsa, Traefik CLF) → epoch ms, or undefined. */
export function parseNcsaTime(text: string): number | undefined {
  const m = /^(\d{2})\/([A-Z][a-z]{2})\/(\d{4}):(\d{2}):(\d{2}):(\d{2}) ([+-])(\d{2})(\d{2})$/.exec(text);
  if (!m || MONTHS[m[2]] === undefined) return undefined;
  const offsetMs = (m[7] === '-' ? -1 : 1) * (Number(m[8]) * 60 + Number(m[9])) * 60_000;
  const ms = Date.UTC(+m[3], MONTHS[m[2]], +m[1], +m[4], +m[5], +m[6]) - offsetMs;
  return Number.isNaN(ms) ? undefined : ms;
}

/** `Tue Dec 08 03:54:12.763058 2026` (Apache's error log, local time) → epoch ms, or undefined. */
export function parseApacheErrorTime(text: string): number | undefined {
  const m = /^[A-Z][a-z]{2} ([A-Z][a-z]{2}) {1,2}(\d{1,2}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))? (\d{4})$/.exec(text);
  if (!m || MONTHS[m[1]] === undefined) return undefined;
  const ms = new Date(+m[7], MONTHS[m[1]], +m[2], +m[3], +m[4], +m[5], m[6] ? Math.floor(Number(m[6].padEnd(6, '0')) / 1000) : 0).getTime();
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
