import { LOG_FORMAT_LABEL } from '../../model.js';
import { parseNcsaTime, type LineClass, type LogFormatReader } from './line-class.js';

/**
 * The NCSA combined access log: `host ident user [08/Dec/2026:03:54:12 +0000] "GET /api HTTP/1.1"
 * 502 157 "referer" "agent"`, then whatever a `log_format` / `LogFormat` appends. nginx's default
 * `combined`, Apache's `combined` and varnishncsa's default are all this shape, so a line alone does
 * not say which gateway wrote it. (nginx.org/en/docs/http/ngx_http_log_module.html#log_format,
 * httpd.apache.org/docs/2.4/logs.html#combined, varnish-cache.org/docs/7.1/reference/varnishncsa.html)
 */
const COMBINED = /^(\S+) \S+ \S+ \[(\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} [+-]\d{4})\] "([^"\\]*(?:\\.[^"\\]*)*)" (\d{3}) (\S+)(.*)$/;
/** varnishncsa's `%r` holds the absolute URL it received (`GET http://host/path HTTP/1.1`); a web server's `%r` the path. */
const ABSOLUTE_REQUEST = /^[A-Z]+ https?:\/\//;
/**
 * nginx's `$upstream_status` appended as a field (`us="502, 200"`, `upstream_status=504`, `ups=…`):
 * one status per attempt, `, ` between attempts and ` : ` between upstream groups; `-` when none was tried.
 */
const UPSTREAM_STATUS = /(?:^|\s)(?:us|ups|upstream_status|upstream-status|upstream_statuses)[=:](?:"([\d\s,:-]*)"|([\d,:-]+))/;

export interface CombinedLine {
  time: string;
  timeMs?: number;
  method?: string;
  request: string;
  status: number;
  /** nginx `$upstream_status`, when the format appends it: one status per upstream attempt. */
  upstreamStatuses?: number[];
}

/** The fields of one combined line, or undefined when it is not one. Pure. */
export function parseCombinedLine(line: string): CombinedLine | undefined {
  const m = COMBINED.exec(line);
  if (!m) return undefined;
  const method = /^([A-Z]+) /.exec(m[3])?.[1];
  const upstream = UPSTREAM_STATUS.exec(m[6]);
  const upstreamStatuses = upstream ? [...(upstream[1] ?? upstream[2]).matchAll(/\d{3}/g)].map((s) => Number(s[0])) : undefined;
  return {
    time: m[2], timeMs: parseNcsaTime(m[2]), request: m[3], status: Number(m[4]),
    ...(method ? { method } : {}), ...(upstreamStatuses && upstreamStatuses.length > 0 ? { upstreamStatuses } : {}),
  };
}

/**
 * One answered request. The combined format says what the client got, not why: a 502 is a 502
 * whatever failed behind it (diagnose reads the status with the gateway's own table, and says when
 * that names no one cause). With nginx's `$upstream_status`, the attempts that failed before a good
 * answer are the ones nginx retried. Pure.
 */
export function classifyCombinedLine(line: string): LineClass {
  const parsed = parseCombinedLine(line);
  if (!parsed) return { kind: 'unknown' };
  const attempts = parsed.upstreamStatuses ?? [];
  const failedBefore = attempts.slice(0, -1).filter((s) => s >= 500).length;
  return {
    kind: 'ok', time: parsed.time, timeMs: parsed.timeMs, status: parsed.status, answer: true,
    ...(parsed.method ? { method: parsed.method } : {}),
    ...(failedBefore > 0 && parsed.status < 500 ? { retriedAttempts: failedBefore } : {}),
    // nginx writes 502/504 into $upstream_status for its own failures; any other last status is the backend's answer.
    ...(attempts.length > 0 && attempts.at(-1) === parsed.status && parsed.status !== 502 && parsed.status !== 504 ? { fromBackend: true } : {}),
  };
}

export const COMBINED_FORMAT: LogFormatReader = {
  name: 'combined',
  label: LOG_FORMAT_LABEL.combined,
  matches: (line) => COMBINED.test(line),
  classify: classifyCombinedLine,
  shows: {},
};

export const VARNISHNCSA_FORMAT: LogFormatReader = {
  name: 'varnishncsa',
  label: LOG_FORMAT_LABEL.varnishncsa,
  gateway: 'varnish',
  matches: (line) => {
    const parsed = parseCombinedLine(line);
    return parsed !== undefined && ABSOLUTE_REQUEST.test(parsed.request);
  },
  classify: classifyCombinedLine,
  shows: {},
};
