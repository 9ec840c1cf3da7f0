/**
 * undici's transport errors in newman's words. The ramp, the reports and the diagnosis rules read
 * the codes (and a few messages) that postman-request gives on Node's own sockets and parser, so the
 * fast engine reports the same failure the same way — each mapping below was checked on real
 * loopback sockets against what the newman adapter reports (test/engines/fast.test.ts).
 */
import { transportErrorCode } from './newman.js';

export interface TransportFailure {
  /** ECONNREFUSED, ENOTFOUND, ECONNRESET, ETIMEDOUT, ESOCKETTIMEDOUT, HPE_…, or the error's own code. */
  code: string;
  message: string;
}

interface ErrorLike {
  name?: string;
  code?: unknown;
  message?: string;
  errors?: ErrorLike[];
}

/**
 * llhttp's reasons (undici and Node run the same parser) and the codes Node's http client gives for
 * them. undici 7 builds its HTTPParserError with `code: undefined` (it looks the numeric error up in
 * a name→number table), so the reason is all there is to go by. First match wins.
 */
const PARSER_REASONS: readonly [RegExp, string][] = [
  [/header (token|value char|field char)|invalid header/i, 'HPE_INVALID_HEADER_TOKEN'],
  [/^Expected HTTP\//, 'HPE_INVALID_CONSTANT'],
  [/status/i, 'HPE_INVALID_STATUS'],
  [/version/i, 'HPE_INVALID_VERSION'],
  [/chunk/i, 'HPE_INVALID_CHUNK_SIZE'],
  [/Content-Length/i, 'HPE_INVALID_CONTENT_LENGTH'],
  [/Transfer-Encoding/i, 'HPE_INVALID_TRANSFER_ENCODING'],
  [/Expected LF after CR/i, 'HPE_STRICT'],
  [/expected LF/i, 'HPE_LF_EXPECTED'],
  [/expected CR/i, 'HPE_CR_EXPECTED'],
];

/** The code Node would give for llhttp's `reason`; HPE_UNKNOWN (still a parse error) when unknown. */
export function parserErrorCode(reason: string): string {
  for (const [pattern, code] of PARSER_REASONS) if (pattern.test(reason)) return code;
  return 'HPE_UNKNOWN';
}

/** "Response does not match the HTTP/1.1 protocol (Invalid header token)" → "Invalid header token". */
function parserReason(message: string): string {
  return /\(([^)]*)\)\s*$/.exec(message)?.[1] ?? message;
}

/**
 * The transport failure of a request undici could not complete, as newman would report it:
 * - `UND_ERR_SOCKET` (the peer closed before the whole answer) → ECONNRESET; "other side closed"
 *   reads "socket hang up", Node's words for it, which the diagnosis tells apart from a reset;
 * - headers or body timeout (connected, no answer in time) → ESOCKETTIMEDOUT; connect timeout → ETIMEDOUT;
 * - parse errors → HPE_* with Node's code, message "Parse Error: <reason>" as Node words it;
 * - errors of the socket itself (ECONNREFUSED, ENOTFOUND, ECONNRESET "read ECONNRESET") keep their code.
 */
export function toTransportFailure(error: unknown): TransportFailure {
  const e = (error ?? {}) as ErrorLike;
  const message = e.message ?? String(error);
  switch (e.code) {
    case 'UND_ERR_SOCKET':
      return { code: 'ECONNRESET', message: /other side closed/.test(message) ? 'socket hang up' : message };
    case 'UND_ERR_HEADERS_TIMEOUT':
    case 'UND_ERR_BODY_TIMEOUT':
      return { code: 'ESOCKETTIMEDOUT', message: 'ESOCKETTIMEDOUT' };
    case 'UND_ERR_CONNECT_TIMEOUT':
      return { code: 'ETIMEDOUT', message: 'ETIMEDOUT' };
    case 'UND_ERR_HEADERS_OVERFLOW':
      return { code: 'HPE_HEADER_OVERFLOW', message: 'Parse Error: Header overflow' };
    // undici reports a parse error met after a Content-Length header (a bad or second one) so.
    case 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH':
      return { code: 'HPE_INVALID_CONTENT_LENGTH', message: `Parse Error: ${message}` };
  }
  if (e.name === 'HTTPParserError' || (typeof e.code === 'string' && e.code.startsWith('HPE_'))) {
    const reason = parserReason(message);
    const code = typeof e.code === 'string' && e.code.startsWith('HPE_') ? e.code : parserErrorCode(reason);
    return { code, message: `Parse Error: ${reason}` };
  }
  // A connect to every address of a name failing at once (Happy Eyeballs) comes as an AggregateError.
  if (e.code === undefined && Array.isArray(e.errors) && e.errors.length > 0) return toTransportFailure(e.errors[0]);
  return { code: transportErrorCode(e), message };
}
