import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { SecureContext } from 'node:tls';
import { INVALID_STATUS_CODE, describeInvalidStatus } from '../../model.js';
import { secureContextFor, type ClientTls } from '../../postman/client-tls.js';
import { elapsed } from './probe-dns.js';
import { errorCode } from './transport-error.js';

export interface SentRequest {
  status?: number;
  /** Transport error code when no (complete) response came: ECONNREFUSED, HPE_*, ETIMEDOUT, ESOCKETTIMEDOUT, … */
  error?: string;
  errorMessage?: string;
  /** The Retry-After header of the answer, when it has one (503s often do: when to try again). */
  retryAfter?: string;
  /** The answer's headers, and the first few KB of its body: enough to tell which gateway answered (recogniseGateway). */
  headers?: Record<string, string | string[] | undefined>;
  bodyHead?: string;
  latencyMs: number;
}

/** The error of a request cut by the signal (Ctrl-C / SIGTERM): no outcome of the target's. */
export const STOPPED = 'ESTOPPED';
/** How much of a body is kept for recognition: a gateway's own error page is well under this. */
const BODY_HEAD_BYTES = 4096;

export interface SendOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  /** Whole-request bound: ETIMEDOUT when still connecting, ESOCKETTIMEDOUT when waiting for the answer. */
  timeoutMs: number;
  /** Cuts the request at once (Ctrl-C): it ends as STOPPED (ESTOPPED). */
  signal?: AbortSignal;
  /** newman's TLS flags, read: the client certificate its list gives this URL, the extra CAs. */
  tls?: ClientTls;
}

/**
 * Sends one HTTP(S) request with node's own client (not newman) so that a malformed answer
 * surfaces as llhttp's precise code (HPE_INVALID_HEADER_TOKEN, HPE_INVALID_CONSTANT, …). The body
 * is read to the end (a response cut short is an error too) and discarded. Certificates are not
 * verified here: the TLS probe judges them, this one judges HTTP. Never throws.
 */
export function sendRequest(url: URL, options: SendOptions): Promise<SentRequest> {
  const startedMs = performance.now();
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve) => {
    let settled = false;
    let connected = false;
    const finish = (result: Omit<SentRequest, 'latencyMs'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      resolve({ ...result, latencyMs: elapsed(startedMs) });
    };
    let req: ReturnType<typeof request>;
    try {
      req = request(url, {
        method: options.method ?? 'GET',
        headers: headersFor(options),
        agent: false,
        rejectUnauthorized: false,
        ...withSecureContext(options.tls, url),
      });
    } catch (error) {
      // An invalid header name/value from the collection is refused before anything is sent.
      resolve({ error: errorCode(error), errorMessage: (error as Error).message, latencyMs: elapsed(startedMs) });
      return;
    }
    const timer = setTimeout(() => {
      const code = connected ? 'ESOCKETTIMEDOUT' : 'ETIMEDOUT';
      finish({ error: code, errorMessage: `${connected ? 'no response' : 'no connection'} within ${options.timeoutMs} ms` });
    }, options.timeoutMs);
    const stop = () => finish({ error: STOPPED, errorMessage: 'stopped (interrupted) while in flight' });
    if (options.signal?.aborted) return stop();
    options.signal?.addEventListener('abort', stop, { once: true });
    req.once('close', () => options.signal?.removeEventListener('abort', stop));
    req.once('socket', (socket) => {
      socket.once('connect', () => { connected = true; });
      if (!socket.connecting) connected = true;
    });
    req.once('response', (res: IncomingMessage) => {
      // 000 or 999 is no answer (model.ts), whatever Node's parser took.
      const invalid = describeInvalidStatus(res.statusCode ?? 0);
      if (invalid) return finish({ error: INVALID_STATUS_CODE, errorMessage: invalid });
      let bodyHead = '';
      res.on('data', (chunk: Buffer) => { if (bodyHead.length < BODY_HEAD_BYTES) bodyHead += chunk.toString('latin1').slice(0, BODY_HEAD_BYTES - bodyHead.length); });
      const retryAfter = res.headers['retry-after'];
      res.once('end', () => finish({ status: res.statusCode, ...(retryAfter ? { retryAfter } : {}), headers: res.headers, bodyHead }));
      res.once('error', (error) => finish({ status: res.statusCode, error: errorCode(error), errorMessage: error.message }));
    });
    req.once('error', (error) => finish({ error: errorCode(error), errorMessage: error.message }));
    // A 101 no request of ours asked for: Node drops it without a word, and the probe would wait for its timeout.
    req.once('upgrade', () => finish({ error: INVALID_STATUS_CODE, errorMessage: describeInvalidStatus(101) }));
    req.end(options.body);
  });
}

/**
 * The headers a probe sends: `connection: close`, the request's own, and a body's length set
 * here. Node's client writes a GET's, DELETE's or OPTIONS' body with no length at all (those
 * methods get none by default), which the server would read as the start of another request:
 * framing is the sender's business, as in the fast engine and postman-request.
 */
function headersFor(options: SendOptions): Record<string, string> {
  const headers: Record<string, string> = { connection: 'close' };
  for (const [name, value] of Object.entries(options.headers ?? {})) {
    const lower = name.toLowerCase();
    if (options.body !== undefined && (lower === 'content-length' || lower === 'transfer-encoding')) continue;
    headers[name] = value;
  }
  if (options.body !== undefined) headers['content-length'] = String(Buffer.byteLength(options.body));
  return headers;
}

/** The `secureContext` option for a request to `url` with these TLS flags, or nothing (Node's default). */
export function withSecureContext(tls: ClientTls | undefined, url: URL): { secureContext?: SecureContext } {
  const secureContext = url.protocol === 'https:' ? secureContextFor(tls, url.href) : undefined;
  return secureContext ? { secureContext } : {};
}

/** `, Retry-After: 120` for an answer that carries the header (a 503's "try again then"), else "". */
export function describeRetryAfter(retryAfter: string | undefined): string {
  return retryAfter ? `, Retry-After: ${retryAfter}` : '';
}
