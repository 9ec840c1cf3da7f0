import { LOG_FORMAT_LABEL, type CauseCode } from '../../model.js';
import { parseHaproxyTime, type LineClass, type LogFormatReader } from './line-class.js';

/**
 * HAProxy `option httplog`, with a syslog prefix (`Feb  6 12:14:14 localhost haproxy[14389]: `) or
 * without: `client:port [accept_date] frontend backend/server TR/Tw/Tc/Tr/Ta status bytes
 * req_cookie res_cookie termination_state actconn/feconn/beconn/srv_conn/retries queues … "request"`.
 * (HAProxy configuration manual, 8.2.3 "HTTP log format" and 8.5 "Session state at disconnection".)
 */
const HTTPLOG = /(\S+):(\d+) \[(\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2}(?:\.\d+)?)\] (\S+) (\S+)\/(\S+) (-?\d+)\/(-?\d+)\/(-?\d+)\/(-?\d+)\/\+?(-?\d+) (-?\d+) \+?(\d+) (\S+) (\S+) ([-A-Za-z]{4}) /;

/**
 * The first two characters of the termination state: who ended the session and in which phase.
 * S: the server aborted or refused; s: the server-side timeout struck; P: the proxy (haproxy)
 * aborted it, here because the answer was invalid. C connect, H response headers, Q queue.
 */
const STATE_CAUSES: Readonly<Record<string, CauseCode>> = {
  SH: 'backend-closed-connection', PH: 'backend-invalid-response', SC: 'backend-down',
  sC: 'backend-unreachable', sH: 'backend-timeout', sQ: 'gateway-overflow',
};

/** One httplog line → cause by termination state; a 502 with no termination event came from the server; every other request is ok. Pure. */
export function classifyHaproxyLine(line: string): LineClass {
  const m = HTTPLOG.exec(line);
  if (!m) return { kind: 'ignored' };
  const method = /"([A-Z]+) [^"]*"\s*$/.exec(line)?.[1];
  const when = { time: m[3], timeMs: parseHaproxyTime(m[3]), status: Number(m[12]), answer: true, ...(method ? { method } : {}) };
  const upstream = m[6].startsWith('<') ? undefined : `${m[5]}/${m[6]}`;
  const state = m[16];
  const code = STATE_CAUSES[state.slice(0, 2)] ?? (m[12] === '502' && state[0] === '-' ? 'backend-sent-502' : undefined);
  if (code) return { kind: 'cause', code, ...when, ...(upstream ? { upstream } : {}) };
  // No termination event and a server: the status is the server's own answer.
  return { kind: 'ok', ...when, ...(state.startsWith('--') && upstream ? { fromBackend: true } : {}) };
}

export const HAPROXY_FORMAT: LogFormatReader = {
  name: 'haproxy',
  label: LOG_FORMAT_LABEL.haproxy,
  gateway: 'haproxy',
  matches: (line) => HTTPLOG.test(line),
  classify: classifyHaproxyLine,
  shows: {
    'backend-closed-connection': 'termination state SH (the server closed before sending headers)',
    'backend-invalid-response': 'termination state PH (haproxy refused the server\'s invalid response)',
    'backend-down': 'termination state SC (the server refused the connection)',
    'backend-unreachable': 'termination state sC (connect timeout)',
    'backend-timeout': 'termination state sH (server timeout waiting for headers)',
    'gateway-overflow': 'termination state sQ (queue timeout: every server at maxconn)',
    'backend-sent-502': '502 with no termination event (the server answered 502)',
  },
};
