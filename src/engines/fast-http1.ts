/**
 * The fast engine's HTTP/1.1 client: keep-alive connections per origin over node:net / node:tls,
 * requests written as prepared bytes, answers framed by a small parser that reads the status, the
 * framing headers (and a redirect's Location) and drops the body.
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
 * are skipped; HEAD, 204 and 304 answers have no body; a connection closed before its answer is
 * ECONNRESET "socket hang up"; a malformed answer is llhttp's HPE_* code and reason, as Node
 * words them (test/engines/fast.test.ts compares each with newman on real sockets).
 * Never retried: a request written to a connection the server is closing fails (the keep-alive race
 * the diagnosis looks for), as it does under newman.
 */
import net from 'node:net';
import tls from 'node:tls';

/** One request as it goes on the wire: origin (scheme, host, port) and path with query, flat headers, body. */
export interface Http1Request {
  target: { origin: string; path: string };
  method: string;
  /** Flat name, value, name, value… */
  headers: readonly string[];
  body?: string;
}

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
}

/** Node's limit on an answer's head (--max-http-header-size), and llhttp's error beyond it. */
const MAX_HEAD_BYTES = 16 * 1024;
/** A chunk-size or trailer line longer than this is no HTTP. */
const MAX_LINE_BYTES = MAX_HEAD_BYTES;

/** A transport error with the code and message Node's client gives for it. */
function transportError(code: string, message: string): Error {
  return Object.assign(new Error(message), { code });
}
/** A malformed answer, as Node reports llhttp's errors: code HPE_*, message "Parse Error: <reason>". */
function parseError(code: string, reason: string): Error {
  return transportError(code, `Parse Error: ${reason}`);
}
const hangUp = () => transportError('ECONNRESET', 'socket hang up');

/**
 * The request's bytes: request line, Host (unless the headers have one), `connection: keep-alive`,
 * the headers, a Content-Length for a body (0 for a POST, PUT or PATCH without one, as undici and
 * Node send), the body. Throws TypeError for a header that would break the request's framing.
 */
export function encodeRequest(request: Http1Request): Buffer {
  let headers = '';
  let hasHost = false;
  for (let i = 0; i + 1 < request.headers.length; i += 2) {
    const [name, value] = [request.headers[i], request.headers[i + 1]];
    if (!isToken(name)) throw new TypeError(`invalid header name ${JSON.stringify(name)}`);
    if (/[\r\n\0]/.test(value)) throw new TypeError(`invalid value of header "${name}": it holds a line break or NUL`);
    if (name.length === 4 && name.toLowerCase() === 'host') hasHost = true;
    headers += `${name}: ${value}\r\n`;
  }
  const body = request.body === undefined ? undefined : Buffer.from(request.body, 'utf8');
  let head = `${request.method} ${request.target.path} HTTP/1.1\r\n${hasHost ? '' : `host: ${new URL(request.target.origin).host}\r\n`}${headers}connection: keep-alive\r\n`;
  if (body) head += `content-length: ${body.length}\r\n`;
  else if (request.method === 'POST' || request.method === 'PUT' || request.method === 'PATCH') head += 'content-length: 0\r\n';
  const headBytes = Buffer.from(`${head}\r\n`, 'latin1');
  return body && body.length > 0 ? Buffer.concat([headBytes, body]) : headBytes;
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
   * Sends `bytes` (encodeRequest of a request to `origin`) and reports its answer to `listener`.
   * `method` tells a HEAD (no body in the answer); `wantLocation` reads a 3xx's Location.
   */
  send(origin: string, bytes: Buffer, method: string, wantLocation: boolean, listener: ExchangeListener): Exchange {
    if (this.closed) throw new Error('the agent is closed');
    let pool = this.pools.get(origin);
    if (!pool) this.pools.set(origin, (pool = new OriginPool(origin, this.options)));
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

class OriginPool {
  readonly idle: Connection[] = [];
  readonly all = new Set<Connection>();
  readonly tls: boolean;
  readonly host: string;
  readonly port: number;

  constructor(origin: string, readonly options: Http1AgentOptions) {
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

/** Where the parser is in the answer. */
const enum State {
  Head,
  BodyLength,
  ChunkSize,
  ChunkData,
  ChunkEnd,
  Trailers,
  BodyUntilClose,
}

class Connection implements Exchange {
  private readonly socket: net.Socket;
  private listener: ExchangeListener | undefined;
  connected = false;
  private isHead = false;
  private wantLocation = false;
  private ended = false;
  private closedPromise: Promise<void>;
  // The answer being parsed.
  private state = State.Head;
  /** Bytes of an unfinished head or line, kept until the rest comes. */
  private pending: Buffer | undefined;
  private remaining = 0;
  private status = 0;
  private location: string | undefined;
  private keepAlive = true;

  constructor(private readonly pool: OriginPool) {
    const { host, port, options } = pool;
    this.socket = pool.tls
      ? tls.connect({ host, port, servername: net.isIP(host) ? undefined : host, rejectUnauthorized: options.rejectUnauthorized, ALPNProtocols: ['http/1.1'] })
      : net.connect({ host, port });
    this.socket.setNoDelay(true);
    this.socket.once(pool.tls ? 'secureConnect' : 'connect', () => (this.connected = true));
    this.socket.on('data', (chunk: Buffer) => this.onData(chunk));
    this.socket.on('end', () => this.onEnd());
    this.socket.on('error', (error: Error) => this.fail(error));
    this.closedPromise = new Promise((resolve) => this.socket.once('close', () => {
      this.ended = true;
      this.pool.forget(this);
      this.fail(hangUp());
      resolve();
    }));
  }

  start(bytes: Buffer, isHead: boolean, wantLocation: boolean, listener: ExchangeListener): Exchange {
    [this.listener, this.isHead, this.wantLocation] = [listener, isHead, wantLocation];
    [this.state, this.status, this.location, this.keepAlive] = [State.Head, 0, undefined, true];
    this.socket.write(bytes);
    return this;
  }

  abort(reason: Error): void {
    if (!this.listener) return;
    this.fail(reason);
  }

  /** Closes it (an idle connection has nothing unwritten: the close is a FIN); an exchange under way fails. */
  close(): Promise<void> {
    this.fail(hangUp());
    return this.closedPromise;
  }

  /** Ends the exchange under way, if any, with `error`, and the connection with it. */
  private fail(error: Error): void {
    const listener = this.listener;
    this.listener = undefined;
    this.drop();
    listener?.onFailure(error);
  }

  /** Out of the pool and closed. */
  private drop(): void {
    this.pool.forget(this);
    if (!this.ended) {
      this.ended = true;
      this.socket.destroy();
    }
  }

  private onEnd(): void {
    // A body delimited by the close is complete at the close.
    if (this.listener && this.state === State.BodyUntilClose) this.complete(0, 0);
    else this.fail(hangUp());
  }

  private onData(data: Buffer): void {
    let chunk = data;
    if (this.pending) {
      chunk = Buffer.concat([this.pending, data]);
      this.pending = undefined;
    }
    try {
      this.parse(chunk);
    } catch (error) {
      this.fail(error as Error);
    }
  }

  /** Keeps the unparsed rest of `chunk` from `offset` for the next read, unless it outgrew `limit`. */
  private keep(chunk: Buffer, offset: number, limit: number, overflow: () => Error): void {
    if (chunk.length - offset > limit) throw overflow();
    this.pending = Buffer.from(chunk.subarray(offset));
  }

  private parse(chunk: Buffer): void {
    let offset = 0;
    while (offset < chunk.length) {
      // Bytes no request asked for: the connection cannot be trusted with the next one.
      if (!this.listener) return this.drop();
      switch (this.state) {
        case State.Head: {
          let end = chunk.indexOf(CRLF_CRLF, offset);
          let headEnd = end + 4;
          if (end < 0) {
            end = chunk.indexOf(LF_LF, offset);
            headEnd = end + 2;
          }
          if (end < 0) {
            // Judged as far as it came, as llhttp does: "hello" is no HTTP before any line ends.
            this.checkStart(chunk, offset);
            return this.keep(chunk, offset, MAX_HEAD_BYTES, () => parseError('HPE_HEADER_OVERFLOW', 'Header overflow'));
          }
          if (end - offset > MAX_HEAD_BYTES) throw parseError('HPE_HEADER_OVERFLOW', 'Header overflow');
          this.readHead(chunk, offset, end);
          offset = headEnd;
          if (this.status < 200 && this.status !== 101) continue; // informational: the answer follows
          if (this.status === 101) this.keepAlive = false; // another protocol follows: not ours to read
          if ((this.state as State) === State.Head || ((this.state as State) === State.BodyLength && this.remaining === 0)) return this.complete(chunk.length, offset);
          break;
        }
        case State.BodyLength: {
          const take = Math.min(this.remaining, chunk.length - offset);
          this.remaining -= take;
          offset += take;
          if (this.remaining === 0) return this.complete(chunk.length, offset);
          break;
        }
        case State.ChunkSize: {
          const lineEnd = chunk.indexOf(LF, offset);
          if (lineEnd < 0) return this.keep(chunk, offset, MAX_LINE_BYTES, () => parseError('HPE_INVALID_CHUNK_SIZE', 'Chunk size overflow'));
          this.remaining = readChunkSize(chunk, offset, lineEnd);
          offset = lineEnd + 1;
          this.state = this.remaining === 0 ? State.Trailers : State.ChunkData;
          break;
        }
        case State.ChunkData: {
          const take = Math.min(this.remaining, chunk.length - offset);
          this.remaining -= take;
          offset += take;
          if (this.remaining === 0) this.state = State.ChunkEnd;
          break;
        }
        case State.ChunkEnd: {
          // CRLF (or a bare LF) after a chunk's data.
          if (chunk[offset] === CR) {
            if (offset + 1 >= chunk.length) return this.keep(chunk, offset, 2, () => parseError('HPE_STRICT', 'Expected LF after chunk data'));
            offset += 1;
          }
          if (chunk[offset] !== LF) throw parseError('HPE_STRICT', 'Expected LF after chunk data');
          offset += 1;
          this.state = State.ChunkSize;
          break;
        }
        case State.Trailers: {
          const lineEnd = chunk.indexOf(LF, offset);
          if (lineEnd < 0) return this.keep(chunk, offset, MAX_LINE_BYTES, () => parseError('HPE_HEADER_OVERFLOW', 'Header overflow'));
          const empty = lineEnd === offset || (lineEnd === offset + 1 && chunk[offset] === CR);
          offset = lineEnd + 1;
          if (empty) return this.complete(chunk.length, offset);
          break;
        }
        case State.BodyUntilClose:
          return;
      }
    }
  }

  /**
   * The answer is in: the connection goes back to the pool when it may serve another request and
   * nothing followed the answer, and is closed otherwise. Then the listener hears of it.
   */
  private complete(length: number, offset: number): void {
    const listener = this.listener!;
    this.listener = undefined;
    this.state = State.Head;
    if (this.keepAlive && offset === length && !this.ended) this.pool.idle.push(this);
    else this.drop();
    listener.onAnswer(this.status, this.location);
  }

  /** Throws when the head begun at `start` cannot be HTTP: its first bytes are not "HTTP/", or its first line is no status line. */
  private checkStart(chunk: Buffer, start: number): void {
    const available = Math.min(HTTP_SLASH.length, chunk.length - start);
    for (let i = 0; i < available; i++) if (chunk[start + i] !== HTTP_SLASH[i]) throw parseError('HPE_INVALID_CONSTANT', 'Expected HTTP/, RTSP/ or ICE/');
    if (chunk.indexOf(LF, start) >= 0) this.readStatusLine(chunk, start);
  }

  /** The status line of the head starting at `start`: its version (keep-alive default) and status. */
  private readStatusLine(chunk: Buffer, start: number): number {
    // "HTTP/1.1 200 OK": HTTP/, a digit, a dot, a digit, a space, three digits, then a space or the line's end.
    for (let i = 0; i < 5; i++) if (chunk[start + i] !== HTTP_SLASH[i]) throw parseError('HPE_INVALID_CONSTANT', 'Expected HTTP/, RTSP/ or ICE/');
    const [major, dot, minor] = [chunk[start + 5] - 48, chunk[start + 6], chunk[start + 7] - 48];
    if (!(major >= 0 && major <= 9) || dot !== 0x2e || !(minor >= 0 && minor <= 9) || chunk[start + 8] !== SP) throw parseError('HPE_INVALID_VERSION', 'Invalid HTTP version');
    let status = 0;
    for (let i = 9; i < 12; i++) {
      const digit = chunk[start + i] - 48;
      if (!(digit >= 0 && digit <= 9)) throw parseError('HPE_INVALID_STATUS', 'Invalid status code');
      status = status * 10 + digit;
    }
    const after = chunk[start + 12];
    if (after !== SP && after !== CR && after !== LF) throw parseError('HPE_INVALID_STATUS', 'Invalid status code');
    this.keepAlive = major === 1 && minor >= 1;
    return status;
  }

  /** The head in [start, end): status line, then header lines; sets status, keep-alive, framing and Location. */
  private readHead(chunk: Buffer, start: number, end: number): void {
    this.status = this.readStatusLine(chunk, start);
    let contentLength = -1;
    /** The last transfer coding: chunked, another (the body then ends with the connection), or none. */
    let coding: 'chunked' | 'other' | undefined;
    let lineStart = chunk.indexOf(LF, start) + 1;
    while (lineStart < end) {
      let lineEnd = chunk.indexOf(LF, lineStart);
      if (lineEnd < 0 || lineEnd > end) lineEnd = end;
      const valueEnd = chunk[lineEnd - 1] === CR ? lineEnd - 1 : lineEnd;
      // The name: token characters up to the colon.
      let colon = lineStart;
      while (colon < valueEnd && TOKEN[chunk[colon]] === 1) colon++;
      if (colon === lineStart || chunk[colon] !== COLON) throw parseError('HPE_INVALID_HEADER_TOKEN', 'Invalid header token');
      let valueStart = colon + 1;
      while (valueStart < valueEnd && (chunk[valueStart] === SP || chunk[valueStart] === HTAB)) valueStart++;
      let valueStop = valueEnd;
      while (valueStop > valueStart && (chunk[valueStop - 1] === SP || chunk[valueStop - 1] === HTAB)) valueStop--;
      for (let i = valueStart; i < valueStop; i++) {
        const byte = chunk[i];
        if ((byte < 0x20 && byte !== HTAB) || byte === 0x7f) throw parseError('HPE_INVALID_HEADER_TOKEN', 'Invalid header value char');
      }
      const nameLength = colon - lineStart;
      if (nameLength === 14 && equalsLower(chunk, lineStart, 'content-length')) {
        const length = readContentLength(chunk, valueStart, valueStop);
        if (contentLength >= 0 && length !== contentLength) throw parseError('HPE_UNEXPECTED_CONTENT_LENGTH', 'Duplicate Content-Length');
        contentLength = length;
      } else if (nameLength === 17 && equalsLower(chunk, lineStart, 'transfer-encoding')) {
        // The last coding decides: chunked, or (another coding) a body read to the close.
        coding = /(?:^|,)\s*chunked$/i.test(chunk.toString('latin1', valueStart, valueStop)) ? 'chunked' : 'other';
      } else if (nameLength === 10 && equalsLower(chunk, lineStart, 'connection')) {
        const tokens = chunk.toString('latin1', valueStart, valueStop).toLowerCase();
        if (/(?:^|[\s,])close(?:$|[\s,])/.test(tokens)) this.keepAlive = false;
        else if (/(?:^|[\s,])keep-alive(?:$|[\s,])/.test(tokens)) this.keepAlive = true;
      } else if (nameLength === 8 && this.wantLocation && this.location === undefined && this.status >= 300 && this.status <= 399 && equalsLower(chunk, lineStart, 'location')) {
        this.location = chunk.toString('latin1', valueStart, valueStop);
      }
      lineStart = lineEnd + 1;
    }
    // No body, whatever the headers say (RFC 9112 6.3): the head's answer is complete.
    if (this.isHead || this.status < 200 || this.status === 204 || this.status === 304) return;
    // Transfer-Encoding wins over Content-Length; neither: the body ends with the connection.
    if (coding === 'chunked') this.state = State.ChunkSize;
    else if (coding === undefined && contentLength >= 0) [this.state, this.remaining] = [State.BodyLength, contentLength];
    else [this.state, this.keepAlive] = [State.BodyUntilClose, false];
  }
}

const [CR, LF, SP, HTAB, COLON] = [0x0d, 0x0a, 0x20, 0x09, 0x3a];
const CRLF_CRLF = Buffer.from('\r\n\r\n');
const LF_LF = Buffer.from('\n\n');
const HTTP_SLASH = Buffer.from('HTTP/');

/** tchar of RFC 9110: 1 for each byte allowed in a header name. */
const TOKEN = new Uint8Array(256);
for (const char of "!#$%&'*+-.^_`|~") TOKEN[char.charCodeAt(0)] = 1;
for (let byte = 0; byte < 256; byte++) if ((byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5a) || (byte >= 0x61 && byte <= 0x7a)) TOKEN[byte] = 1;

function isToken(name: string): boolean {
  if (name.length === 0) return false;
  for (let i = 0; i < name.length; i++) if (TOKEN[name.charCodeAt(i)] !== 1) return false;
  return true;
}

/** Whether the bytes at `start` spell `lower` (lower-case ASCII) in any case. */
function equalsLower(chunk: Buffer, start: number, lower: string): boolean {
  for (let i = 0; i < lower.length; i++) if ((chunk[start + i] | 0x20) !== lower.charCodeAt(i)) return false;
  return true;
}

function readContentLength(chunk: Buffer, start: number, end: number): number {
  if (start === end || end - start > 15) throw parseError('HPE_INVALID_CONTENT_LENGTH', 'Invalid character in Content-Length');
  let length = 0;
  for (let i = start; i < end; i++) {
    const digit = chunk[i] - 48;
    if (!(digit >= 0 && digit <= 9)) throw parseError('HPE_INVALID_CONTENT_LENGTH', 'Invalid character in Content-Length');
    length = length * 10 + digit;
  }
  return length;
}

/** A chunk-size line in [start, lineEnd): hex digits, then optional extensions after ';'. */
function readChunkSize(chunk: Buffer, start: number, lineEnd: number): number {
  let size = 0;
  let digits = 0;
  let i = start;
  for (; i < lineEnd; i++) {
    const byte = chunk[i] | 0x20;
    const value = byte >= 0x30 && byte <= 0x39 ? byte - 0x30 : byte >= 0x61 && byte <= 0x66 ? byte - 0x61 + 10 : -1;
    if (value < 0) break;
    if (++digits > 12) throw parseError('HPE_INVALID_CHUNK_SIZE', 'Chunk size overflow');
    size = size * 16 + value;
  }
  const rest = chunk[i];
  if (digits === 0 || (i < lineEnd && rest !== CR && rest !== 0x3b && rest !== SP && rest !== HTAB)) {
    throw parseError('HPE_INVALID_CHUNK_SIZE', 'Invalid character in chunk size');
  }
  return size;
}
