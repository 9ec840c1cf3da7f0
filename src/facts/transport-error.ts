/**
 * What a transport error code (no HTTP answer at all) means: the cause it points at and a short
 * reading for people. Pure; shared by run's verdicts, diagnose's probes and rules, and the reports.
 */
import type { CauseCode } from '../model.js';

/** Node's codes for "the name does not resolve". */
const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NODATA', 'EAI_NONAME']);
const UNREACHABLE_CODES = new Set(['EHOSTUNREACH', 'ENETUNREACH', 'EHOSTDOWN', 'ENETDOWN']);

/**
 * The cause a transport error points at, or undefined when it points nowhere in particular.
 * `ETIMEDOUT` is a connect that never completed (unreachable); `ESOCKETTIMEDOUT` a response that
 * never came (timeout) — the split newman/postman-request use too. Node reports a peer that closed
 * without answering as ECONNRESET "socket hang up", which is a closed connection, not a reset.
 */
export function causeOfTransportError(code: string, message = ''): CauseCode | undefined {
  if (code === 'ECONNREFUSED') return 'backend-down';
  if (DNS_CODES.has(code)) return 'backend-unresolvable';
  if (code === 'ETIMEDOUT' || UNREACHABLE_CODES.has(code)) return 'backend-unreachable';
  if (code === 'ESOCKETTIMEDOUT') return 'backend-timeout';
  if (code.startsWith('HPE_')) return 'backend-invalid-response';
  if (code === 'ECONNRESET') return /hang up/i.test(message) ? 'backend-closed-connection' : 'connection-reset';
  if (code === 'EPROTO' || code.startsWith('ERR_SSL') || code.startsWith('ERR_TLS') || code.includes('CERT')) return 'tls-problem';
  return undefined;
}

const HPE_MEANING: Record<string, string> = {
  HPE_INVALID_HEADER_TOKEN: 'invalid header line',
  HPE_INVALID_CONSTANT: 'invalid status line (not HTTP)',
  HPE_INVALID_STATUS: 'invalid status code',
  HPE_INVALID_VERSION: 'invalid HTTP version in the status line',
  HPE_INVALID_CONTENT_LENGTH: 'invalid Content-Length',
  HPE_UNEXPECTED_CONTENT_LENGTH: 'Content-Length together with chunked encoding',
  HPE_INVALID_CHUNK_SIZE: 'invalid chunk size',
  HPE_HEADER_OVERFLOW: 'headers too large',
  HPE_CR_EXPECTED: 'line not ended by CRLF',
  HPE_LF_EXPECTED: 'line not ended by CRLF',
  HPE_INVALID_TRANSFER_ENCODING: 'invalid Transfer-Encoding',
};

/** A short human reading of a transport error: `HPE_INVALID_HEADER_TOKEN` → "malformed response: invalid header line". */
export function describeTransportError(code: string, message = ''): string {
  if (code.startsWith('HPE_')) return `malformed response: ${HPE_MEANING[code] ?? code.slice(4).toLowerCase().replaceAll('_', ' ')}`;
  switch (causeOfTransportError(code, message)) {
    case 'backend-down': return 'connection refused (nothing listens on that port)';
    case 'backend-unresolvable': return code === 'EAI_AGAIN' ? 'name lookup failed for now (DNS server unreachable?)' : 'host name does not resolve';
    case 'backend-unreachable': return code === 'ETIMEDOUT' ? 'connect timed out (packets dropped: firewall, route, or a full backlog)' : 'host unreachable (no route)';
    case 'backend-timeout': return 'no response in time';
    case 'backend-closed-connection': return 'closed the connection without an answer';
    case 'connection-reset': return 'connection reset by peer';
    case 'tls-problem': return `TLS failed: ${message || code}`;
    default: return message || code;
  }
}
