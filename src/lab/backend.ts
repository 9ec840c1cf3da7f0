import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { InputError } from '../errors.js';
import type { LabFault } from './fault.js';
import { createIdleRace } from './idle-race.js';
import { LOOPBACK, reserveDeadPort } from './ports.js';
import { routeLabRequest, type LabRequest } from './routes.js';

/** Node's own `server.keepAliveTimeout`: what a Node backend nobody tuned closes idle connections after. */
export const NODE_KEEPALIVE_TIMEOUT_MS = 5000;

export interface LabBackendOptions {
  /** 0 (default): any free port. */
  port?: number;
  /**
   * Most requests in flight at once. A request arriving beyond it has its socket destroyed, as an
   * overloaded or crashing server does (nginx: "upstream prematurely closed connection"). Default: no cap.
   */
  capacity?: number;
  /** Added before every answer; default 0. */
  latencyMs?: number;
  fault?: LabFault;
  /**
   * How long an idle keep-alive connection stays open (Node's `server.keepAliveTimeout`): default
   * 5000, Node's own; 0 never closes one. Ignored with the keepalive-race fault, which closes them itself.
   */
  idleTimeoutMs?: number;
}

export interface LabBackendStats {
  /** Every request whose headers arrived, served or not. */
  requests: number;
  /** Requests whose socket was destroyed: beyond capacity, or the crash of `crash-after`. */
  rejected: number;
  /** The most requests in flight at once (rejected ones never count). */
  peakInFlight: number;
}

export interface LabBackend {
  /** `http://127.0.0.1:PORT` — no trailing slash. */
  url: string;
  port: number;
  stats(): LabBackendStats;
  /** Stops listening, destroys open sockets and pending answers; safe to call twice. */
  close(): Promise<void>;
}

/** A body larger than this is cut off: the lab answers test requests, not uploads. */
const MAX_BODY_BYTES = 1_000_000;

/** An answer whose header block holds a line nginx (every version) and Node's parser refuse. */
const MALFORMED_ANSWER =
  'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-Lab Broken\u0000Header\r\nContent-Length: 2\r\n\r\n{}';

/**
 * Starts the lab backend on 127.0.0.1 (routes: see routeLabRequest) with the given fault.
 * With `down`, nothing listens on a port nothing else will take (reserveDeadPort), so connecting is refused.
 */
export async function startLabBackend(options: LabBackendOptions = {}): Promise<LabBackend> {
  const fault = options.fault ?? { kind: 'none' };
  validateOptions(options);
  if (fault.kind === 'down') {
    const port = options.port || (await reserveDeadPort());
    return { url: `http://${LOOPBACK}:${port}`, port, stats: () => ({ requests: 0, rejected: 0, peakInFlight: 0 }), close: async () => {} };
  }
  const latencyMs = fault.kind === 'slow' ? fault.latencyMs : options.latencyMs ?? 0;
  const capacity = options.capacity ?? Infinity;
  const stats: LabBackendStats = { requests: 0, rejected: 0, peakInFlight: 0 };
  const timers = new Set<NodeJS.Timeout>();
  let inFlight = 0;
  let crashed = false;
  let closed = false;
  const race = fault.kind === 'keepalive-race' ? createIdleRace(fault.idleMs) : undefined;

  const server: Server = createServer((req, res) => {
    stats.requests += 1;
    if (crashed) return void req.socket.destroy();
    if (race?.isStale(req.socket)) {
      stats.rejected += 1;
      return rejectAfterReading(req);
    }
    if (race) res.once('finish', () => race.markIdle(req.socket));
    if (fault.kind === 'crash-after' && stats.requests > fault.requests) {
      stats.rejected += 1;
      crashed = true;
      // A crash: every socket dies at once and the port stops accepting.
      server.close();
      server.closeAllConnections();
      return;
    }
    if (inFlight >= capacity) {
      stats.rejected += 1;
      return rejectAfterReading(req);
    }
    inFlight += 1;
    stats.peakInFlight = Math.max(stats.peakInFlight, inFlight);
    let finished = false;
    const finish = () => {
      if (!finished) inFlight -= 1;
      finished = true;
    };
    // 'finish' (answer handed to the kernel) comes before the client can send its next request.
    res.once('finish', finish);
    res.once('close', finish);
    void readBody(req).then((body) => {
      const answer = () => {
        if (res.destroyed || closed) return finish();
        answerRequest(req, res, body, fault);
      };
      if (latencyMs <= 0) return answer();
      const timer = setTimeout(() => {
        timers.delete(timer);
        answer();
      }, latencyMs);
      timers.add(timer);
    }, () => finish());
  });
  // Node's default unless asked. With the race, the race closes idle connections itself (0: Node never does).
  server.keepAliveTimeout = race ? 0 : options.idleTimeoutMs ?? NODE_KEEPALIVE_TIMEOUT_MS;

  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' ? new InputError(`backend-port: port ${options.port} is in use`, [], 'pick another --backend-port or leave it out') : error),
    );
    server.listen(options.port ?? 0, LOOPBACK, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;

  return {
    url: `http://${LOOPBACK}:${port}`,
    port,
    stats: () => ({ ...stats }),
    close: async () => {
      if (closed) return;
      closed = true;
      race?.stop();
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      await new Promise<void>((resolve) => {
        if (!server.listening) return resolve();
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

function validateOptions(options: LabBackendOptions): void {
  const problems: string[] = [];
  if (options.capacity !== undefined && !(Number.isInteger(options.capacity) && options.capacity >= 1)) {
    problems.push('capacity: must be a whole number ≥ 1');
  }
  if (options.latencyMs !== undefined && !(Number.isFinite(options.latencyMs) && options.latencyMs >= 0)) {
    problems.push('latency: must be a number of milliseconds ≥ 0');
  }
  if (options.port !== undefined && !(Number.isInteger(options.port) && options.port >= 0 && options.port <= 65535)) {
    problems.push('backend-port: must be a port number 0–65535');
  }
  if (problems.length > 0) throw new InputError('invalid lab backend options', problems);
}

function answerRequest(req: IncomingMessage, res: ServerResponse, body: unknown, fault: LabFault): void {
  if (fault.kind === 'malformed') {
    req.socket.end(MALFORMED_ANSWER);
    return;
  }
  const url = new URL(req.url ?? '/', 'http://lab.invalid');
  const request: LabRequest = {
    method: req.method ?? 'GET',
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    body,
  };
  const { status, body: payload } =
    fault.kind === 'status'
      ? { status: fault.status, body: { error: fault.status === 503 ? 'service unavailable' : 'internal server error', fault: String(fault.status) } }
      : routeLabRequest(request);
  const text = JSON.stringify(payload);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), 'X-Lab-Backend': 'debug502' });
  res.end(req.method === 'HEAD' ? undefined : text);
}

/** Reads the body (bounded); JSON when it parses, text otherwise, undefined when empty. */
function readBody(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.once('error', reject);
    req.once('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      if (text === '') return resolve(undefined);
      try {
        resolve(JSON.parse(text));
      } catch {
        resolve(text);
      }
    });
  });
}

/**
 * Drops an over-capacity request. The body is read first so the kernel closes with FIN, not RST:
 * the gateway then sees an early close ("upstream prematurely closed connection"), as with a
 * server that accepts and dies, instead of a reset.
 */
function rejectAfterReading(req: IncomingMessage): void {
  if (req.complete) return void req.socket.destroy();
  req.resume();
  req.once('end', () => req.socket.destroy());
  req.once('error', () => req.socket.destroy());
}
