import { LOG_FORMAT_LABEL, type CauseCode } from '../../model.js';
import { parseApacheErrorTime, type LineClass, type LogFormatReader } from './line-class.js';

/**
 * Apache httpd 2.4's ErrorLog: `[Tue Dec 08 03:54:12.763058 2026] [proxy:error] [pid 17556:tid 17560]
 * (111)Connection refused: AH00957: http: attempt to connect to 127.0.0.1:27284 … failed` — module
 * and level, an optional `(errno)text: ` and `[client …]`, then the message with its AH code
 * (httpd.apache.org/docs/2.4/mod/core.html#errorlogformat; codes from mod_proxy's source). 2.2's
 * `[Tue Dec 08 03:54:12 2026] [error] …` reads too. Measured on 2.4.71 (test/fixtures/gateway-logs/apache/).
 */
const LINE = /^\[([A-Z][a-z]{2} [A-Z][a-z]{2} [ \d]\d \d{2}:\d{2}:\d{2}(?:\.\d+)? \d{4})\] \[(?:([\w-]+):)?(emerg|alert|crit|error|warn|notice|info|debug|trace\d)\] (.*)$/;

/** What one AH code of mod_proxy / mod_proxy_http says, given the errno of `(errno)text:` when it matters. */
type Reading = CauseCode | 'echo' | ((errno: number | undefined, message: string) => CauseCode | 'echo' | undefined);

const CONNECT_ERRNO: Readonly<Record<number, CauseCode>> = { 111: 'backend-down', 113: 'backend-unreachable', 101: 'backend-unreachable', 112: 'backend-unreachable', 110: 'backend-unreachable', 70007: 'backend-unreachable' };

/**
 * AH codes → cause. `echo`: a line that follows another for the same request (AH01114 after AH00957,
 * AH00898 "Error reading from remote server" after AH01102, AH10404 before AH01106), so each failed
 * request counts once.
 */
const CODES: Readonly<Record<string, Reading>> = {
  // "attempt to connect to … failed": by errno — refused, no route, or the connect timed out (70007).
  AH00957: (errno) => CONNECT_ERRNO[errno ?? 111] ?? 'backend-down',
  AH01114: 'echo',
  // "error reading status line from remote server": 70007 the ProxyTimeout struck, 104 a reset, else closed (20014, 70014 EOF).
  AH01102: (errno) => (errno === 70007 ? 'backend-timeout' : errno === 104 ? 'connection-reset' : 'backend-closed-connection'),
  AH00898: (_errno, message) =>
    /DNS lookup failure/.test(message) ? 'backend-unresolvable'
      : /SSL Handshake/i.test(message) ? 'tls-problem'
        : /Error reading from remote server/.test(message) ? 'echo' : undefined,
  AH01106: 'backend-invalid-response',
  AH01097: 'backend-invalid-response',
  AH10404: 'echo',
  AH01084: 'backend-closed-connection',
  // "failed to acquire connection": the pool's max= was reached for longer than acquire=.
  AH00941: 'gateway-overflow',
  // "disabled connection for (…)": the worker is in error state after failures — Apache does not even try.
  AH00940: 'no-live-upstreams',
  AH00959: 'echo',
  AH01961: 'tls-problem',
  AH02039: 'tls-problem',
  AH02003: 'tls-problem',
};

/**
 * One ErrorLog line → cause by its AH code (and errno); an echo line is `ignored`; a proxy module's
 * error or warning with another code is `failed` (an upstream failure no rule names); everything
 * else (startup, `AH00094 Command line`, client-side errors) is noise. Pure.
 */
export function classifyApacheErrorLine(line: string): LineClass {
  const m = LINE.exec(line);
  if (!m) return { kind: 'unknown' };
  const when = { time: m[1], timeMs: parseApacheErrorTime(m[1]) };
  const [, , module = '', level, rest] = m;
  const code = /\b(AH\d{5}):/.exec(rest)?.[1];
  const errno = /(?:^|\] )\((\d+)\)[^:]*: /.exec(rest)?.[1];
  const reading = code ? CODES[code] : undefined;
  const read = typeof reading === 'function' ? reading(errno !== undefined ? Number(errno) : undefined, rest) : reading;
  const method = /\(([A-Z]+)\)\s*$/.exec(rest)?.[1];
  const upstream = /connect to (\S+:\d+)/.exec(rest)?.[1] ?? /remote server (\S+:\d+)/.exec(rest)?.[1] ?? /acquire connection for \((\S+)\)/.exec(rest)?.[1];
  if (read === 'echo') return { kind: 'ignored', ...when };
  if (read) return { kind: 'cause', code: read, ...when, ...(method ? { method } : {}), ...(upstream ? { upstream } : {}) };
  const proxy = module.startsWith('proxy');
  return proxy && (level === 'error' || level === 'warn' || level === 'crit') ? { kind: 'failed', ...when } : { kind: 'ignored', ...when };
}

export const APACHE_ERROR_FORMAT: LogFormatReader = {
  name: 'apache',
  label: LOG_FORMAT_LABEL.apache,
  gateway: 'apache',
  matches: (line) => LINE.test(line),
  classify: classifyApacheErrorLine,
  shows: {
    'backend-down': '"(111)Connection refused: AH00957: … attempt to connect … failed"',
    'backend-unreachable': 'AH00957 with (113) no route / (70007) a connect timeout',
    'backend-timeout': '"(70007)The timeout specified has expired: AH01102: error reading status line"',
    'backend-closed-connection': '"AH01102: error reading status line from remote server" (closed before answering)',
    'connection-reset': '"(104)Connection reset by peer: AH01102"',
    'backend-invalid-response': '"AH01106: bad HTTP/1.1 header returned by …"',
    'backend-unresolvable': '"AH00898: DNS lookup failure for: …"',
    'gateway-overflow': '"AH00941: … failed to acquire connection" (ProxyPass max= reached)',
    'no-live-upstreams': '"AH00940: … disabled connection" (the worker is in error state)',
    'tls-problem': 'SSL handshake errors (AH00898, AH01961, AH02039)',
  },
};
