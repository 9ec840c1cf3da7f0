/**
 * One keep-alive connection of the fast engine's client (fast-http1.ts): a socket, the request
 * under way, and the reading of its answer — by the engine's own reader (fast-head.ts) while the
 * answer has the common shape, by Node's parser (fast-llhttp.ts) from the first byte it has not,
 * for the rest of the connection. Either way the request ends as under newman: the answer, or
 * Node's error for it — ECONNRESET "socket hang up" when the connection ends before an answer's
 * head, "aborted" when it ends inside a body, llhttp's HPE_* code and reason for a malformed answer
 * (even one that follows a whole answer in the same read).
 */
import net from 'node:net';
import tls from 'node:tls';
import { CR, LF, hasNoBody, isChunkSizeStart, readChunkSize, readHead, type HeadFields } from './fast-head.js';
import { LlhttpReader } from './fast-llhttp.js';
import type { Exchange, ExchangeListener } from './fast-http1.js';

/** What a connection needs of its origin's pool. */
export interface ConnectionPool {
  readonly tls: boolean;
  readonly host: string;
  readonly port: number;
  readonly rejectUnauthorized: boolean;
  /** A client certificate and extra CAs (Http1AgentOptions.secureContext). */
  readonly secureContext?: tls.SecureContext;
  readonly idle: Connection[];
  /** Out of the pool for good (closed, or not reusable). */
  forget(connection: Connection): void;
}

/** Node's limit on an answer's head (--max-http-header-size): a longer head is llhttp's to judge. */
const MAX_HEAD_BYTES = 16 * 1024;

/** A transport error with the code and message Node's client gives for it. */
function transportError(code: string, message: string): Error {
  return Object.assign(new Error(message), { code });
}
const hangUp = () => transportError('ECONNRESET', 'socket hang up');
const aborted = () => transportError('ECONNRESET', 'aborted');

/** An answer without a body, complete, for llhttp to stand after when bytes follow an answer: kept alive, or not. */
const DONE_KEEP_ALIVE = Buffer.from('HTTP/1.1 204 No Content\r\n\r\n');
const DONE_CLOSE = Buffer.from('HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n');
/** Where llhttp stands after one byte of chunk data (expecting its CRLF), and after the last chunk (expecting trailers). */
const IN_CHUNK = Buffer.from('1\r\nx');
const AFTER_LAST_CHUNK = Buffer.from('0\r\n');
const CRLF_CRLF = Buffer.from('\r\n\r\n');

/** Where the engine's own reader is in the answer. */
const enum State {
  Head,
  BodyLength,
  ChunkSize,
  ChunkData,
  ChunkEnd,
  Trailers,
  BodyUntilClose,
}

export class Connection implements Exchange {
  private readonly socket: net.Socket;
  private listener: ExchangeListener | undefined;
  connected = false;
  private isHead = false;
  private wantLocation = false;
  private ended = false;
  private readonly closedPromise: Promise<void>;
  private state = State.Head;
  /** Bytes of an unfinished chunk line, kept until the rest comes. */
  private pending: Buffer | undefined;
  private remaining = 0;
  private readonly head: HeadFields = { status: 0, keepAlive: true, contentLength: -1, chunked: false, location: undefined };
  /** The head of a chunked answer under way (a view of the read it came in), should its body go to llhttp. */
  private headBytes: Buffer | undefined;
  /** Node's parser, once the connection is read by it. */
  private reader: LlhttpReader | undefined;

  constructor(private readonly pool: ConnectionPool) {
    const { host, port } = pool;
    this.socket = pool.tls
      ? tls.connect({ host, port, servername: net.isIP(host) ? undefined : host, rejectUnauthorized: pool.rejectUnauthorized, ALPNProtocols: ['http/1.1'], ...(pool.secureContext ? { secureContext: pool.secureContext } : {}) })
      : net.connect({ host, port });
    this.socket.setNoDelay(true);
    this.socket.once(pool.tls ? 'secureConnect' : 'connect', () => (this.connected = true));
    this.socket.on('data', (chunk: Buffer) => this.onData(chunk));
    this.socket.on('end', () => this.onEnd());
    this.socket.on('error', (error: Error) => this.fail(error));
    this.closedPromise = new Promise((resolve) => this.socket.once('close', () => {
      this.ended = true;
      this.pool.forget(this);
      this.fail(this.cutShort());
      this.reader?.close();
      resolve();
    }));
  }

  start(bytes: Buffer, isHead: boolean, wantLocation: boolean, listener: ExchangeListener): Exchange {
    [this.listener, this.isHead, this.wantLocation, this.state] = [listener, isHead, wantLocation, State.Head];
    this.reader?.start({ isHead, wantLocation });
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

  /** Node's error for a connection that ends now: inside an answer's body it was cut short, before its head it never came. */
  private cutShort(): Error {
    const inBody = this.reader ? this.reader.headDone : this.state !== State.Head;
    return inBody ? aborted() : hangUp();
  }

  private onEnd(): void {
    if (this.listener && this.reader) {
      const answer = this.reader.end();
      if (answer) return this.answer(answer.status, answer.location, false);
    } else if (this.listener && this.state === State.BodyUntilClose) {
      // A body delimited by the close is complete at the close.
      return this.answer(this.head.status, this.head.location, false);
    }
    this.fail(this.cutShort());
  }

  private onData(data: Buffer): void {
    // Bytes no request asked for: the connection cannot be trusted with the next one.
    if (!this.listener) return this.drop();
    if (this.reader) return this.readWithLlhttp(data);
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

  /** The answer is in: the listener hears of it, and the connection goes back to the pool when `reusable`, else is closed. */
  private answer(status: number, location: string | undefined, reusable: boolean): void {
    const listener = this.listener!;
    this.listener = undefined;
    [this.state, this.headBytes] = [State.Head, undefined];
    if (reusable && !this.ended) this.pool.idle.push(this);
    else this.drop();
    listener.onAnswer(status, location);
  }

  private parse(chunk: Buffer): void {
    let offset = 0;
    while (offset < chunk.length) {
      switch (this.state) {
        case State.Head: {
          const end = chunk.indexOf(CRLF_CRLF, offset);
          // A head split across reads, longer than Node takes, or not of the common shape: llhttp's.
          if (end < 0 || end - offset > MAX_HEAD_BYTES || !readHead(chunk, offset, end, this.wantLocation, this.head)) return this.handOver(chunk.subarray(offset));
          const { status } = this.head;
          const headEnd = end + 4;
          if (status >= 100 && status <= 199 && status !== 101) {
            offset = headEnd; // informational: the answer follows
            continue;
          }
          // Another protocol follows a 101: its bytes are not an answer's.
          if (status === 101) return this.answer(status, undefined, false);
          if (hasNoBody(status, this.isHead)) return this.complete(chunk, headEnd);
          if (this.head.chunked) [this.state, this.headBytes] = [State.ChunkSize, chunk.subarray(offset, headEnd)];
          else if (this.head.contentLength === 0) return this.complete(chunk, headEnd);
          else if (this.head.contentLength > 0) [this.state, this.remaining] = [State.BodyLength, this.head.contentLength];
          else [this.state, this.head.keepAlive] = [State.BodyUntilClose, false];
          offset = headEnd;
          break;
        }
        case State.BodyLength: {
          const take = Math.min(this.remaining, chunk.length - offset);
          this.remaining -= take;
          offset += take;
          if (this.remaining === 0) return this.complete(chunk, offset);
          break;
        }
        case State.ChunkSize: {
          const lineEnd = chunk.indexOf(LF, offset);
          if (lineEnd < 0) {
            if (!isChunkSizeStart(chunk, offset, chunk.length)) return this.handOverChunked(chunk.subarray(offset));
            return this.keep(chunk, offset);
          }
          this.remaining = readChunkSize(chunk, offset, lineEnd);
          if (this.remaining < 0) return this.handOverChunked(chunk.subarray(offset));
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
        case State.ChunkEnd:
        case State.Trailers: {
          // CRLF after a chunk's data; after the last chunk, the empty line that ends the answer (a trailer field: llhttp's).
          if (chunk[offset] === CR && offset + 1 === chunk.length) return this.keep(chunk, offset);
          if (chunk[offset] !== CR || chunk[offset + 1] !== LF) return this.handOverChunked(chunk.subarray(offset), this.state === State.ChunkEnd ? IN_CHUNK : AFTER_LAST_CHUNK);
          offset += 2;
          if (this.state === State.Trailers) return this.complete(chunk, offset);
          this.state = State.ChunkSize;
          break;
        }
        case State.BodyUntilClose:
          return;
      }
    }
  }

  /** Keeps the unparsed rest of `chunk` from `offset` (a chunk line's start) for the next read. */
  private keep(chunk: Buffer, offset: number): void {
    this.pending = Buffer.from(chunk.subarray(offset));
  }

  /**
   * The answer ends at `offset`. Bytes after it in the same read are, to Node's client, the start
   * of the next answer, and an error in them is this request's; line ends alone llhttp skips.
   */
  private complete(chunk: Buffer, offset: number): void {
    let rest = offset;
    while (rest < chunk.length && (chunk[rest] === CR || chunk[rest] === LF)) rest++;
    if (rest === chunk.length) return this.answer(this.head.status, this.head.location, this.head.keepAlive);
    const reader = new LlhttpReader();
    reader.replay(this.head.keepAlive ? DONE_KEEP_ALIVE : DONE_CLOSE);
    const { error } = reader.read(chunk.subarray(rest));
    reader.close();
    if (error) return this.fail(error);
    this.answer(this.head.status, this.head.location, false);
  }

  /** From the answer's head on (the bytes from its first one), the connection is read by llhttp. */
  private handOver(rest: Buffer): void {
    this.reader = new LlhttpReader();
    this.reader.start({ isHead: this.isHead, wantLocation: this.wantLocation });
    this.readWithLlhttp(rest);
  }

  /** Inside a chunked body: llhttp reads on from `rest`, placed after the head it has again and `bridge` (where the body stood). */
  private handOverChunked(rest: Buffer, bridge?: Buffer): void {
    const reader = (this.reader = new LlhttpReader());
    reader.start({ isHead: this.isHead, wantLocation: this.wantLocation });
    reader.replay(bridge ? Buffer.concat([this.headBytes!, bridge]) : this.headBytes!, this.head);
    this.readWithLlhttp(rest);
  }

  private readWithLlhttp(data: Buffer): void {
    const { error, answer, unsolicited } = this.reader!.read(data);
    if (error) this.fail(error);
    else if (answer) this.answer(answer.status, answer.location, answer.keepAlive && !unsolicited);
    else if (unsolicited) this.drop();
  }
}
