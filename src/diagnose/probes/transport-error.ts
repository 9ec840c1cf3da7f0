import { describeTransportError } from '../../facts/transport-error.js';

/** Error code of anything thrown by node's net/http/tls/dns: `code`, else the error's name. */
export function errorCode(error: unknown): string {
  const e = error as { code?: unknown; name?: unknown };
  return typeof e?.code === 'string' ? e.code : typeof e?.name === 'string' ? e.name : 'ERROR';
}

/** `ECONNRESET (socket hang up) — closed the connection without an answer`: code, node's words, meaning. */
export function describeFailure(code: string, message = ''): string {
  const words = message && message !== code ? ` (${message})` : '';
  return `${code}${words} — ${describeTransportError(code, message)}`;
}
