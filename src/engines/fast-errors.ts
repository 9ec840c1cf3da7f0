/**
 * The fast engine's transport errors in newman's words. The ramp, the reports and the diagnosis
 * rules read the codes (and a few messages) that postman-request gives on Node's own sockets and
 * parser. The engine's client (fast-http1.ts) words what it finds itself as Node does — ECONNRESET
 * "socket hang up", HPE_* "Parse Error: <reason>" — and passes the socket's own errors on
 * (ECONNREFUSED, ENOTFOUND, ECONNRESET "read ECONNRESET", TLS codes); each was checked on real
 * loopback sockets against what the newman adapter reports (test/engines/fast.test.ts).
 */
import { transportErrorCode } from './newman.js';

export interface TransportFailure {
  /** ECONNREFUSED, ENOTFOUND, ECONNRESET, ETIMEDOUT, ESOCKETTIMEDOUT, HPE_…, or the error's own code. */
  code: string;
  message: string;
}

interface ErrorLike {
  code?: unknown;
  message?: string;
  errors?: ErrorLike[];
}

/** The transport failure of a request that got no answer, as newman would report it. */
export function toTransportFailure(error: unknown): TransportFailure {
  const e = (error ?? {}) as ErrorLike;
  // A connect to every address of a name failing at once (Happy Eyeballs) comes as an AggregateError.
  if (e.code === undefined && Array.isArray(e.errors) && e.errors.length > 0) return toTransportFailure(e.errors[0]);
  return { code: transportErrorCode(e), message: e.message ?? String(error) };
}
