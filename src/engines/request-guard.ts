/**
 * The bounds every engine keeps on the requests it sends, whatever the target does:
 * - a total deadline per request — connect, headers and the whole body, redirect hops included —
 *   so a backend that trickles one byte every 300 ms cannot hold a request past --timeout-request
 *   (newman's own timeout is per wait);
 * - a stop signal that aborts the request in flight at once, not after it ends;
 * - a send allowance asked before every request that leaves the machine, redirects included, so a
 *   cap (--max-requests) holds at the server, and a count of the redirects.
 * newman is guarded through its `requestAgents` option (http.Agent subclasses that see every
 * ClientRequest, one per hop); the fast engine by its own timer and stop listener, which abort the
 * hop in flight (src/engines/fast.ts).
 */
import http from 'node:http';
import https from 'node:https';
import type { Duplex } from 'node:stream';
import tls from 'node:tls';
import { addCaCert } from '../postman/client-tls.js';
import { INVALID_STATUS_CODE, describeInvalidStatus } from '../model.js';

/** Shared by the engines of a ramp: one `take()` per request that would leave the machine. */
export interface SendAllowance {
  /** False when the cap is reached: the request is not sent. */
  take(): boolean;
}

/**
 * An allowance's count in shared memory, so the engines of a worker pool take from the same cap
 * as the ramp's own thread (Atomics: no two threads get the last send).
 */
export interface SharedAllowanceState {
  /** One Int32 over a SharedArrayBuffer: sends taken so far, refused ones included. */
  counter: Int32Array;
  max: number;
}

export interface RampAllowance extends SendAllowance {
  sent(): number;
  exhausted(): boolean;
  /** For worker threads: joinSharedAllowance(shared) takes from this same cap. */
  readonly shared: SharedAllowanceState;
}

/** An allowance of `max` sends; `onExhausted` is called once, at the first refused send (in this thread). */
export function createSendAllowance(max: number, onExhausted?: () => void): RampAllowance {
  const shared: SharedAllowanceState = { counter: new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT)), max };
  const take = joinSharedAllowance(shared).take;
  let exhausted = false;
  return {
    take: () => {
      if (take()) return true;
      if (!exhausted) {
        exhausted = true;
        onExhausted?.();
      }
      return false;
    },
    sent: () => Math.min(Atomics.load(shared.counter, 0), max),
    exhausted: () => exhausted,
    shared,
  };
}

/** The allowance of another thread, taken from through its shared count (a worker's side of createSendAllowance). */
export function joinSharedAllowance(shared: SharedAllowanceState): SendAllowance {
  return { take: () => Atomics.add(shared.counter, 0, 1) < shared.max };
}

/** The transport error of a request that outlived its deadline: newman's code for a timed-out wait. */
export class RequestDeadlineError extends Error {
  readonly code = 'ESOCKETTIMEDOUT';
  constructor(readonly timeoutMs: number) {
    super('ESOCKETTIMEDOUT');
  }
}

/**
 * The deadline passed before the connection was made (a full accept queue, a blackholed host):
 * the same code the connect timeout gave before the total deadline existed, so the verdict stays
 * "unreachable" rather than "timeout".
 */
export class ConnectDeadlineError extends Error {
  readonly code = 'ETIMEDOUT';
  constructor(readonly timeoutMs: number) {
    super('ETIMEDOUT');
  }
}

/** Why a request was not sent, or cut: the send allowance ran out. */
export class SendRefusedError extends Error {
  readonly code = 'EMAXREQUESTS';
  constructor() {
    super('not sent: the request cap (--max-requests) is reached');
  }
}

/** Why a request in flight was cut: the run was stopped (Ctrl-C, --max-duration, a cap). */
export class RunStoppedError extends Error {
  readonly code = 'ESTOPPED';
  constructor() {
    super('stopped: the run was aborted while this request was in flight');
  }
}

export interface GuardOptions {
  /** Total deadline of one request, redirect hops included; 0 or absent: none. */
  timeoutMs?: number;
  /** Aborts the request in flight at once. */
  signal?: AbortSignal;
  allowance?: SendAllowance;
  /** Every request that leaves the machine; `redirect` for the hops after the first. */
  onSend?(info: { redirect: boolean }): void;
  /**
   * `--ssl-extra-ca-certs`, PEM: trusted besides the default roots on every https connection.
   * newman's requester adds it when it makes its own agent; with these agents it would be
   * skipped, so they add it as it does (a secure context from the request's TLS options + addCACert).
   */
  extraCaPem?: string;
}

function withExtraCa(connectOptions: tls.ConnectionOptions, pem: string): tls.SecureContext {
  const context = tls.createSecureContext(connectOptions);
  addCaCert(context, pem);
  return context;
}

/** What became of one guarded request. */
export interface GuardedEnd {
  /** Requests that left the machine for it: 1 + its redirects (0 when refused). */
  hops: number;
  timedOut: boolean;
  /** The deadline passed before the connection was made: a connect timeout (ETIMEDOUT). */
  timedOutConnecting: boolean;
  /** The allowance refused one of its hops. */
  refused: boolean;
  /** The stop signal cut it. */
  stopped: boolean;
}

type ClientRequestLike = http.ClientRequest;

/**
 * The guard of one sequential run (one virtual user: one request in flight at a time), for newman:
 * `agents` go to newman's `requestAgents`; `start()` before each request (postman's beforeRequest),
 * `end()` when its answer or error is in. `close()` at the run's end destroys the kept-alive sockets.
 */
export function createNewmanGuard(options: GuardOptions) {
  let current: ClientRequestLike | undefined;
  let hops = 0;
  let timedOut = false;
  let timedOutConnecting = false;
  let refused = false;
  let timer: NodeJS.Timeout | undefined;
  const stopped = () => options.signal?.aborted ?? false;
  const onHop = (req: ClientRequestLike): boolean => {
    if (timedOut) return cut(req, new RequestDeadlineError(options.timeoutMs ?? 0));
    if (stopped()) return cut(req, new RunStoppedError());
    if (options.allowance && !options.allowance.take()) {
      refused = true;
      return cut(req, new SendRefusedError());
    }
    hops += 1;
    current = req;
    req.once('close', () => {
      if (current === req) current = undefined;
    });
    // Node's client drops a 101 no one listens for without a word, and postman-request then waits
    // for good: the answer is an error instead, as the fast engine reports it.
    req.once('upgrade', (_res: unknown, socket: { destroy(): void }) => {
      socket.destroy();
      req.emit('error', Object.assign(new Error(describeInvalidStatus(101)), { code: INVALID_STATUS_CODE }));
    });
    options.onSend?.({ redirect: hops > 1 });
    return true;
  };
  // Fails a request that never gets a socket (nothing is sent), as the agent fails one whose
  // connection cannot be made: onSocket(null, error) emits its 'error' and 'close'.
  const cut = (req: ClientRequestLike, error: Error): false => {
    (req as unknown as { onSocket(socket: null, error: Error): void }).onSocket(null, error);
    return false;
  };
  const onStop = () => current?.destroy(new RunStoppedError());
  options.signal?.addEventListener('abort', onStop, { once: true });

  class GuardedHttpAgent extends http.Agent {
    addRequest(req: ClientRequestLike, requestOptions: unknown): void {
      if (onHop(req)) (http.Agent.prototype as any).addRequest.call(this, req, requestOptions);
    }
  }
  class GuardedHttpsAgent extends https.Agent {
    addRequest(req: ClientRequestLike, requestOptions: unknown): void {
      if (onHop(req)) (https.Agent.prototype as any).addRequest.call(this, req, requestOptions);
    }

    override createConnection(connectOptions: http.RequestOptions, callback?: (err: Error | null, stream: Duplex) => void): Duplex | null | undefined {
      const pem = options.extraCaPem;
      const tlsOptions = connectOptions as tls.ConnectionOptions;
      // The request's own cert, key and passphrase (a matched client certificate) go into the context too.
      const withCa = pem === undefined || tlsOptions.secureContext ? connectOptions : { ...connectOptions, secureContext: withExtraCa(tlsOptions, pem) };
      return (https.Agent.prototype as any).createConnection.call(this, withCa, callback);
    }
  }
  const agents = { http: new GuardedHttpAgent({ keepAlive: true }), https: new GuardedHttpsAgent({ keepAlive: true }) };

  return {
    agents,
    start(): void {
      hops = 0;
      timedOut = false;
      timedOutConnecting = false;
      refused = false;
      clearTimeout(timer);
      if (options.timeoutMs && options.timeoutMs > 0) {
        timer = setTimeout(() => {
          timedOut = true;
          timedOutConnecting = current !== undefined && (current.socket === null || current.socket.connecting);
          current?.destroy(timedOutConnecting ? new ConnectDeadlineError(options.timeoutMs!) : new RequestDeadlineError(options.timeoutMs!));
        }, options.timeoutMs);
      }
    },
    end(): GuardedEnd {
      clearTimeout(timer);
      timer = undefined;
      return { hops, timedOut, timedOutConnecting, refused, stopped: stopped() };
    },
    close(): void {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onStop);
      agents.http.destroy();
      agents.https.destroy();
    },
  };
}
