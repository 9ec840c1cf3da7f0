import type { LogFormat } from '../../../model.js';
import type { LogFormatReader } from '../line-class.js';
import { ALB_FORMAT } from './alb.js';
import { ENVOY_FORMAT } from './envoy.js';
import { HAPROXY_FORMAT } from './haproxy.js';
import { NGINX_FORMAT } from './nginx.js';

/** Every format diagnose reads, in the order detection tries them (the most distinctive first). */
export const LOG_FORMAT_READERS: Readonly<Record<LogFormat, LogFormatReader>> = {
  alb: ALB_FORMAT, envoy: ENVOY_FORMAT, haproxy: HAPROXY_FORMAT, nginx: NGINX_FORMAT,
};

/** How many of a file's first non-empty lines auto-detection reads. */
export const DETECT_LINES = 20;

/**
 * The format most of `lines` are in (each line counts for the first format that matches it), or
 * undefined when none matches any. Pure.
 */
export function detectLogFormat(lines: readonly string[]): LogFormat | undefined {
  const votes = new Map<LogFormat, number>();
  for (const line of lines) {
    const reader = Object.values(LOG_FORMAT_READERS).find((r) => r.matches(line));
    if (reader) votes.set(reader.name, (votes.get(reader.name) ?? 0) + 1);
  }
  let best: LogFormat | undefined;
  for (const [name, n] of votes) if (best === undefined || n > votes.get(best)!) best = name;
  return best;
}
