import { LOG_FORMAT_LABEL } from '../../model.js';
import { parseIsoTime, parseNcsaTime, type LineClass, type LogFormatReader } from './line-class.js';

/**
 * Traefik's access log, from its documentation (doc.traefik.io/traefik/observability/access-logs/;
 * not packaged in Debian, not run here). The default format is CLF with Traefik's fields appended:
 * `<ip> - <user> [<time>] "<method> <path> <proto>" <status> <size> "<referer>" "<agent>"
 * <request count> "<router>" "<server URL>" <duration>ms`; `format: json` writes one object a line
 * with `DownstreamStatus` (what the client got), `OriginStatus` (what the server answered: 0 when
 * none did), `RequestMethod`, `ServiceURL`/`ServiceAddr`, `StartUTC`, `RetryAttempts`.
 */
const CLF = /^\S+ \S+ \S+ \[(\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} [+-]\d{4})\] "([^"]*)" (\d{3}|-) \S+ "[^"]*" "[^"]*" \d+ "([^"]*)" "([^"]*)" \d+ms\s*$/;
const JSON_LINE = /^\s*\{.*"DownstreamStatus"\s*:/;

/**
 * One answered request. A 502 the server itself answered (OriginStatus 502) is backend-sent-502;
 * any other status is what Traefik answered — its own 502/504 (OriginStatus 0) say a failure, not
 * which one, so diagnose reads them with Traefik's table. Pure.
 */
function classifyJson(line: string): LineClass {
  let e: Record<string, unknown>;
  try {
    e = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return { kind: 'unknown' };
  }
  const status = Number(e.DownstreamStatus);
  if (!Number.isFinite(status)) return { kind: 'unknown' };
  const time = typeof e.StartUTC === 'string' ? e.StartUTC : typeof e.time === 'string' ? e.time : undefined;
  const retries = Number(e.RetryAttempts ?? 0);
  const upstream = [e.ServiceURL, e.ServiceAddr].find((v): v is string => typeof v === 'string' && v !== '' && v !== '-');
  const facts = {
    ...(time ? { time, timeMs: parseIsoTime(time) } : {}), status, answer: true as const,
    ...(typeof e.RequestMethod === 'string' ? { method: e.RequestMethod } : {}),
    ...(retries > 0 && status < 500 ? { retriedAttempts: retries } : {}),
  };
  if (status === 502 && Number(e.OriginStatus) === 502) return { kind: 'cause', code: 'backend-sent-502', ...facts, ...(upstream ? { upstream } : {}) };
  return { kind: 'ok', ...facts, ...(Number(e.OriginStatus) === status ? { fromBackend: true } : {}) };
}

function classifyClf(line: string): LineClass {
  const m = CLF.exec(line);
  if (!m) return { kind: 'unknown' };
  const method = /^([A-Z]+) /.exec(m[2])?.[1];
  return {
    kind: 'ok', time: m[1], timeMs: parseNcsaTime(m[1]), answer: true,
    ...(m[3] !== '-' ? { status: Number(m[3]) } : {}), ...(method ? { method } : {}),
  };
}

export const TRAEFIK_FORMAT: LogFormatReader = {
  name: 'traefik',
  label: LOG_FORMAT_LABEL.traefik,
  gateway: 'traefik',
  matches: (line) => JSON_LINE.test(line) || CLF.test(line),
  classify: (line) => (JSON_LINE.test(line) ? classifyJson(line) : classifyClf(line)),
  shows: { 'backend-sent-502': 'OriginStatus 502 (the server itself answered 502)' },
};
