/**
 * The fast engine's HTTP/1.1 client: keep-alive connections per origin over node:net / node:tls,
 * requests written as prepared bytes (fast-encode.ts), answers read for their status, framing and
 * a redirect's Location, their bodies dropped (fast-connection.ts).
 *
 * Why not undici (the engine used it until #16): against nginx answering `return 200` itself, on
 * 2 cores, 16 loops of bare undici `dispatch()` with an empty handler cost ~15 µs of CPU a request
 * (60–67k req/s) where autocannon costs ~14 µs (70–75k) and 16 loops over raw sockets with
 * prepared bytes ~10 µs (105k) — undici validates and re-serializes every request's headers and
 * runs a general parser (llhttp in wasm) with a callback per header. No engine built on it could
 * reach autocannon, the goal; this client sends the same requests at about the raw-socket cost.
 *
 * What it does, as newman's client (Node's http) does: one request at a time per connection (no
 * pipelining); an idle connection is reused, a closed one dropped; `Connection: close`, HTTP/1.0
 * without keep-alive, or a body read to the close end the connection after its answer; 1xx answers
 * but 101 are skipped; HEAD, 204 and 304 answers have no body; a connection closed before its
 * answer is ECONNRESET "socket hang up", inside a body ECONNRESET "aborted"; a malformed answer is
 * llhttp's HPE_* code and reason, as Node words them — answers of an uncommon shape are read by
 * Node's own parser (fast-llhttp.ts); test/engines/malformed-answers.test.ts compares each with
 * newman on real sockets.
 * Never retried: a request written to a connection the server is closing fails (the keep-alive race
 * the diagnosis looks for), as it does under newman.
 */
import type tls from 'node:tls';
import { Connection, type ConnectionPool } from './fast-connection.js';

/** What an exchange tells its sender, exactly once: the whole answer is in, or it failed. */
export interface ExchangeListener {
  /** `location` is read only when the sender asked for it and the status is a 3xx. */
  onAnswer(status: number, location: string | undefined): void;
  onFailure(error: Error): void;
}

/** One request under way. */
export interface Exchange {
  /** Whether its connection is established (TLS: handshake done): a deadline then is a read timeout. */
  readonly connected: boolean;
  /** Ends it now with `reason` as its failure (its connection is closed); nothing when it has ended. */
  abort(reason: Error): void;
}

export interface Http1AgentOptions {
  /** Verify TLS certificates (off: `-k/--insecure`). */
  rejectUnauthorized: boolean;
  /** The TLS context of its connections: a client certificate, extra CAs (postman/client-tls.ts); absent: Node's default. */
  secureContext?: tls.SecureContext;
}

/**
 * Connections by origin. `send` takes an idle connection of the request's origin or opens one —
 * so one user, whose requests go one at a time, keeps one connection per origin, and overlapping
 * arrivals get as many as are in flight.
 */
export class Http1Agent {
  private readonly pools = new Map<string, OriginPool>();
  private closed = false;

  constructor(private readonly options: Http1AgentOptions) {}

  /**
   * Sends `bytes` (fast-encode.ts' encodeRequest of a request to `origin`) and reports its answer to `listener`.
   * `method` tells a HEAD (no body in the answer); `wantLocation` reads a 3xx's Location.
   */
  send(origin: string, bytes: Buffer, method: string, wantLocation: boolean, listener: ExchangeListener): Exchange {
    if (this.closed) throw new Error('the agent is closed');
    let pool = this.pools.get(origin);
    if (!pool) this.pools.set(origin, (pool = new OriginPool(origin, this.options.rejectUnauthorized, this.options.secureContext)));
    const connection = pool.idle.pop() ?? pool.open();
    return connection.start(bytes, method === 'HEAD', wantLocation, listener);
  }

  /** Closes every connection (any exchange still under way fails) and resolves once all are closed. */
  close(): Promise<void> {
    this.closed = true;
    const closing: Promise<void>[] = [];
    for (const pool of this.pools.values()) for (const connection of pool.all) closing.push(connection.close());
    return Promise.all(closing).then(() => {});
  }
}

class OriginPool implements ConnectionPool {
  readonly idle: Connection[] = [];
  readonly all = new Set<Connection>();
  readonly tls: boolean;
  readonly host: string;
  readonly port: number;

  constructor(origin: string, readonly rejectUnauthorized: boolean, readonly secureContext?: tls.SecureContext) {
    const url = new URL(origin);
    this.tls = url.protocol === 'https:';
    // URL keeps an IPv6 host in brackets; sockets take it without.
    this.host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
    this.port = url.port ? Number(url.port) : this.tls ? 443 : 80;
  }

  open(): Connection {
    const connection = new Connection(this);
    this.all.add(connection);
    return connection;
  }

  /** Out of the pool for good (closed, or not reusable). */
  forget(connection: Connection): void {
    this.all.delete(connection);
    const at = this.idle.indexOf(connection);
    if (at >= 0) this.idle.splice(at, 1);
  }
}
