import { LOG_FORMAT_LABEL, type CauseCode } from '../../model.js';
import { parseIsoTime, type LineClass, type LineRequest, type LogFormatReader } from './line-class.js';

/**
 * Caddy's JSON logs (zap): one object a line with `level`, `ts` (epoch seconds, or an ISO time with
 * `time_format`), `logger`, `msg`. The access log (`log { format json }`: logger `http.log.access…`,
 * msg "handled request") has a line per request with its `status`; the runtime log has the
 * reverse_proxy errors (logger `http.log.error…`) with the status answered and Go's own error text
 * as `msg`. Measured on Caddy 2.6.2 (test/fixtures/gateway-logs/caddy/).
 */
const ZAP = /^\s*\{.*"level"\s*:\s*"[a-z]+".*"ts"\s*:/;

/**
 * Go's error text (net, net/http) → cause, most specific first. A connect that times out is
 * `dial tcp …: i/o timeout` (the network, not the backend's answer); `timeout awaiting response
 * headers` is `response_header_timeout`; a bare `EOF` / `unexpected EOF` is a connection closed
 * before the answer; `malformed` / `transport connection broken` a bad answer.
 */
const WORDS: ReadonlyArray<[RegExp, CauseCode]> = [
  [/no such host|server misbehaving|lookup \S+ on /, 'backend-unresolvable'],
  [/dial tcp.*(?:i\/o timeout|no route to host|network is unreachable|host is unreachable)/, 'backend-unreachable'],
  [/connect: connection refused|dial tcp.*connection refused/, 'backend-down'],
  [/tls: |x509: |certificate/, 'tls-problem'],
  [/no upstreams available/, 'no-live-upstreams'],
  [/timeout awaiting response headers|context deadline exceeded|i\/o timeout/, 'backend-timeout'],
  [/connection reset by peer/, 'connection-reset'],
  [/^(?:unexpected )?EOF$|: (?:unexpected )?EOF$|server closed idle connection|broken pipe|use of closed network connection/, 'backend-closed-connection'],
  [/malformed|transport connection broken|bad status|invalid header|invalid (?:response|status)/, 'backend-invalid-response'],
];

/** The cause Go's error text names, or undefined. Pure. */
export function causeOfCaddyError(msg: string): CauseCode | undefined {
  return WORDS.find(([pattern]) => pattern.test(msg))?.[1];
}

function timeOf(ts: unknown): { time?: string; timeMs?: number } {
  if (typeof ts === 'number' && Number.isFinite(ts)) return { time: new Date(ts * 1000).toISOString(), timeMs: Math.round(ts * 1000) };
  if (typeof ts === 'string') return { time: ts, timeMs: parseIsoTime(ts) };
  return {};
}

/**
 * One Caddy line: an access line is an answer (ok, with its status); a runtime error line with a
 * 5xx status is a cause from its `msg`, or `failed` when Go's words name none; every other runtime
 * line (startup, TLS maintenance, a 4xx) is noise. Pure.
 */
export function classifyCaddyLine(line: string): LineClass {
  let entry: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(line);
    if (!parsed || typeof parsed !== 'object') return { kind: 'unknown' };
    entry = parsed as Record<string, unknown>;
  } catch {
    return { kind: 'unknown' };
  }
  const logger = typeof entry.logger === 'string' ? entry.logger : '';
  const msg = typeof entry.msg === 'string' ? entry.msg : '';
  const request = (entry.request && typeof entry.request === 'object' ? entry.request : {}) as Record<string, unknown>;
  const status = typeof entry.status === 'number' ? entry.status : undefined;
  const facts: LineRequest = { ...timeOf(entry.ts), ...(typeof request.method === 'string' ? { method: request.method } : {}), ...(status !== undefined ? { status } : {}) };
  if (logger.startsWith('http.log.access')) return { kind: 'ok', ...facts, answer: true };
  const upstreamError = logger.startsWith('http.log.error') || logger.startsWith('http.handlers.reverse_proxy');
  if (!upstreamError || entry.level !== 'error' || (status !== undefined && status < 500)) return { kind: 'ignored', ...facts };
  const code = causeOfCaddyError(msg);
  const upstream = /dial tcp (\d[\d.]*:\d+|\[[^\]]+\]:\d+)/.exec(msg)?.[1] ?? (typeof entry.upstream === 'string' ? entry.upstream : undefined);
  return code ? { kind: 'cause', code, ...facts, ...(upstream ? { upstream } : {}) } : { kind: 'failed', ...facts };
}

export const CADDY_FORMAT: LogFormatReader = {
  name: 'caddy',
  label: LOG_FORMAT_LABEL.caddy,
  gateway: 'caddy',
  matches: (line) => ZAP.test(line),
  classify: classifyCaddyLine,
  shows: {
    'backend-down': '"dial tcp …: connect: connection refused"',
    'backend-closed-connection': '"EOF" (the backend closed the connection before answering)',
    'connection-reset': '"connection reset by peer"',
    'backend-timeout': '"net/http: timeout awaiting response headers"',
    'backend-invalid-response': '"net/http: HTTP/1.x transport connection broken: malformed …"',
    'backend-unresolvable': '"dial tcp: lookup …: no such host"',
    'backend-unreachable': '"dial tcp …: i/o timeout" / "no route to host"',
    'no-live-upstreams': '"no upstreams available"',
    'tls-problem': 'TLS / x509 errors',
  },
};
