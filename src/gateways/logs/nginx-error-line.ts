import { parseNginxTime, type LineClass } from './line-class.js';
import { matchLogRule } from './nginx-error-rules.js';

export type { LineClass } from './line-class.js';

/**
 * `2026/11/25 06:41:02 [error] 123#0: *5 message…`, found anywhere in the line so that prefixes
 * added on the way (syslog, journald, `docker compose logs`, kubectl) do not hide it.
 */
export const NGINX_ERROR_LINE = /(?:^|\s|\|)(\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}:\d{2}) \[(debug|info|notice|warn|error|crit|alert|emerg)\] (.*)$/;
/** The same without a timestamp (some tools strip it). */
const UNDATED = /(?:^|\s)\[(debug|info|notice|warn|error|crit|alert|emerg)\] (.*)$/;
/** Levels nginx uses for routine events (startup, client keep-alive closes): never a cause by themselves. */
const QUIET_LEVELS = new Set(['debug', 'info', 'notice']);

/**
 * Sorts one nginx error-log line into a cause, `ignored` or `unknown`. Pure.
 *
 * Decisions: debug/info/notice lines are `ignored` unclassified (nginx writes startup and client
 * events there, e.g. "client closed keepalive connection"); warn and worse go through the rule
 * table; a warn line no rule knows ("upstream server temporarily disabled", "buffered to a
 * temporary file") is `ignored` because it echoes an error line or is harmless; an error/crit/
 * alert/emerg line no rule knows is `failed` when it is about an upstream (a failure no rule
 * names), `unknown` otherwise. A line not in nginx's format is read as an error line: classified
 * when a rule knows its message, `unknown` otherwise. The request's method comes from its
 * `request: "POST /api HTTP/1.1"` field.
 */
export function classifyLine(line: string): LineClass {
  const dated = NGINX_ERROR_LINE.exec(line);
  const undated = dated ? null : UNDATED.exec(line);
  // A line in no known shape still gets the rule table: a recognisable message is worth more than its format.
  const [time, level, message] = dated ? [dated[1], dated[2], dated[3]] : undated ? [undefined, undated[1], undated[2]] : [undefined, 'error', line];
  const when = time === undefined ? {} : { time, timeMs: parseNginxTime(time) };
  if (QUIET_LEVELS.has(level)) return { kind: 'ignored', ...when };
  const rule = matchLogRule(message);
  const method = /\brequest: "([A-Z]+) /.exec(message)?.[1];
  const request = { ...when, ...(method ? { method } : {}) };
  if (!rule) return level === 'warn' ? { kind: 'ignored', ...when } : dated && /upstream/.test(message) ? { kind: 'failed', ...request } : { kind: 'unknown', ...when };
  return { kind: 'cause', code: rule.code, ...request, upstream: extractUpstream(message), phase: extractPhase(message) };
}

/**
 * The upstream a message names: `upstream: "http://127.0.0.1:3000/api"` → `http://127.0.0.1:3000`,
 * `host not found in upstream "api.internal:80"` → `api.internal:80`,
 * `*5 api.internal could not be resolved` → `api.internal`, `resolver: 10.0.0.2:53` → `resolver 10.0.0.2:53`.
 */
export function extractUpstream(message: string): string | undefined {
  const field = /upstream: "([a-z]+:\/\/[^/"]+)/.exec(message) ?? /upstream: "([^"]+)"/.exec(message);
  if (field) return field[1];
  const inUpstream = /in upstream "([^"]+)"/.exec(message);
  if (inUpstream) return inUpstream[1];
  const unresolved = /(?:^|\s)([^\s,*]+) could not be resolved/.exec(message);
  if (unresolved) return unresolved[1];
  const resolver = /resolver: ([^\s,]+)/.exec(message);
  if (resolver) return `resolver ${resolver[1]}`;
  return undefined;
}

/** nginx's "while …" clause: "connecting to upstream", "reading response header from upstream". */
export function extractPhase(message: string): string | undefined {
  const phase = / while ([a-zA-Z "()_]+?)(?:,|$)/.exec(message);
  return phase ? phase[1] : undefined;
}
