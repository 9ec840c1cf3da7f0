/**
 * Every gateway log format diagnose reads, as the gateways write them: a reader per format (how to
 * recognise a line, what it says), named by the profiles' `logFormats`. Low in the layering: it
 * imports model.ts only, so diagnose, report and the lab can all ask it.
 */
import type { LogFormat } from '../../model.js';
import { ALB_FORMAT } from './alb.js';
import { APACHE_ERROR_FORMAT } from './apache.js';
import { CADDY_FORMAT } from './caddy.js';
import { COMBINED_FORMAT, VARNISHNCSA_FORMAT } from './combined.js';
import { ENVOY_FORMAT } from './envoy.js';
import { HAPROXY_FORMAT } from './haproxy.js';
import type { GroupedLogFormatReader, LogFormatReader } from './line-class.js';
import { NGINX_FORMAT } from './nginx-error.js';
import { TRAEFIK_FORMAT } from './traefik.js';
import { VARNISHLOG_FORMAT } from './varnishlog.js';

/**
 * Every format diagnose reads, in the order detection tries them: the most distinctive first, so a
 * line several shapes would take goes to the one that says most (a Traefik CLF line is NCSA combined
 * with fields appended; a varnishncsa line is combined with an absolute URL; Envoy, Caddy and Traefik
 * JSON differ by their keys).
 */
export const LOG_FORMAT_READERS: Readonly<Record<LogFormat, LogFormatReader>> = {
  alb: ALB_FORMAT, envoy: ENVOY_FORMAT, caddy: CADDY_FORMAT, traefik: TRAEFIK_FORMAT, haproxy: HAPROXY_FORMAT,
  varnishncsa: VARNISHNCSA_FORMAT, combined: COMBINED_FORMAT, apache: APACHE_ERROR_FORMAT, nginx: NGINX_FORMAT, varnishlog: VARNISHLOG_FORMAT,
};

/** How many of a file's first non-empty lines auto-detection reads. */
export const DETECT_LINES = 20;

/** True for readers whose lines belong together (varnishlog). */
export function isGroupedReader(reader: LogFormatReader): reader is GroupedLogFormatReader {
  return 'group' in reader;
}

/** The first format, in detection order, whose shape `line` has; undefined when none. Pure. */
export function formatOfLine(line: string): LogFormat | undefined {
  return Object.values(LOG_FORMAT_READERS).find((r) => r.matches(line))?.name;
}

/**
 * The format most of `lines` are in (each line counts for the first format that matches it), or
 * undefined when none matches any. Pure.
 */
export function detectLogFormat(lines: readonly string[]): LogFormat | undefined {
  const votes = new Map<LogFormat, number>();
  for (const line of lines) {
    const name = formatOfLine(line);
    if (name) votes.set(name, (votes.get(name) ?? 0) + 1);
  }
  let best: LogFormat | undefined;
  for (const [name, n] of votes) if (best === undefined || n > votes.get(best)!) best = name;
  return best;
}

/**
 * What a line looks like, for a refusal that must say why a log cannot be read: `a JSON object with
 * keys level, ts, msg`, `text starting "[Tue Dec 08 …"`. Pure.
 */
export function describeLineShape(line: string): string {
  const text = line.trim();
  if (text.startsWith('{')) {
    try {
      const keys = Object.keys(JSON.parse(text) as object).slice(0, 6);
      return `a JSON object with keys ${keys.join(', ')}${keys.length === 6 ? ', …' : ''}`;
    } catch {
      // Not JSON after all: described as text below.
    }
  }
  const shown = text.length > 80 ? `${text.slice(0, 80)}…` : text;
  return `text starting ${JSON.stringify(shown)}`;
}

export type { GroupedLogFormatReader, LineClass, LineRequest, LineTime, LogFormatReader } from './line-class.js';
export { minuteKey, parseHaproxyTime, parseIsoTime, parseNcsaTime, parseNginxTime } from './line-class.js';
export { classifyLine, extractPhase, extractUpstream, NGINX_ERROR_LINE } from './nginx-error-line.js';
export { LOG_RULES, matchLogRule, type LogRule } from './nginx-error-rules.js';
