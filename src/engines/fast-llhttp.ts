/**
 * The answers the fast engine's own reader (fast-http1.ts) does not read itself, read by Node's
 * own HTTP parser — llhttp, the one newman's client (postman-request on Node's http) parses with,
 * initialised as Node's client initialises it — so a malformed answer gives the request the same
 * error, code and words as under newman: Transfer-Encoding with Content-Length, a duplicated
 * Content-Length, bytes after the body, a bare LF, a chunk extension, a 4-digit status…
 *
 * The engine reads the common shape itself (a whole head in one read, CRLF lines, plain framing
 * headers): llhttp costs ~2 µs of CPU an answer, a fifth of what the engine spends on a whole
 * request. Anything else — a head split across reads, any byte or header it is not sure of —
 * is handed here, with what the engine has read of the answer, and the connection is read here
 * from then on. `replay` puts the parser where the engine stopped: the answer's head again, then
 * a stand-in for the chunked body read so far (a chunk boundary carries no state but where it is).
 * Node's client logic around the parser is kept: 1xx answers but 101 are skipped, a HEAD answer
 * and a 304 have no body, an error in the same read as the answer is the request's error.
 */
import common from 'node:_http_common';

/** The parts of Node's HTTPParser (lib/_http_common.js) used here. */
interface NodeHttpParser {
  initialize(type: number, resource: object, maxHeaderSize: number, lenient: number): void;
  execute(data: Buffer): number | ParserError;
  finish(): number | ParserError | undefined;
  close(): void;
  [callback: number]: unknown;
}
interface ParserError extends Error {
  code: string;
  reason: string;
}
interface HttpCommon {
  HTTPParser: {
    new (): NodeHttpParser;
    RESPONSE: number;
    kOnMessageBegin: number;
    kOnHeaders: number;
    kOnHeadersComplete: number;
    kOnBody: number;
    kOnMessageComplete: number;
    kLenientNone: number;
    kLenientAll: number;
  };
  /** Whether Node runs with --insecure-http-parser (its client is then lenient too). */
  isLenient(): boolean;
}
const { HTTPParser, isLenient } = common as unknown as HttpCommon;

/** The answer to the request under way, complete. */
export interface ReadAnswer {
  status: number;
  location: string | undefined;
  keepAlive: boolean;
}

/** What one read amounted to: an error (the request's, even after its answer), the answer, and whether a message no request asked for began. */
export interface ReadResult {
  error?: Error;
  answer?: ReadAnswer;
  /** Bytes of another message followed: the connection cannot serve the next request. */
  unsolicited: boolean;
}

/** The request being answered: HEAD answers have no body; `wantLocation` reads a 3xx's Location. */
export interface ReadExchange {
  isHead: boolean;
  wantLocation: boolean;
}

/** A malformed answer, as Node words llhttp's errors: code HPE_*, message "Parse Error: <reason>". */
export function parseError(code: string, reason: string): Error {
  return Object.assign(new Error(`Parse Error: ${reason}`), { code });
}

export class LlhttpReader {
  private readonly parser = new HTTPParser();
  /** The request being answered; undefined between requests (a message then is unsolicited). */
  private exchange: ReadExchange | undefined;
  /** Its final head has been read: a close now cuts a body short ("aborted"), not an answer ("socket hang up"). */
  private headRead = false;
  private answer: ReadAnswer = { status: 0, location: undefined, keepAlive: false };
  private finished = false;
  private unsolicited = false;
  private informational = false;
  private replaying = false;
  /** Header pairs of a head with more than 32, which Node's parser hands over in parts. */
  private headerParts: string[] = [];

  constructor() {
    const { parser } = this;
    parser.initialize(HTTPParser.RESPONSE, {}, 0, isLenient() ? HTTPParser.kLenientAll : HTTPParser.kLenientNone);
    parser[HTTPParser.kOnMessageBegin] = () => {
      if (!this.replaying && (this.finished || !this.exchange)) this.unsolicited = true;
    };
    parser[HTTPParser.kOnHeaders] = (headers: string[]) => {
      this.headerParts.push(...headers);
    };
    parser[HTTPParser.kOnHeadersComplete] = (_major: number, _minor: number, headers: string[] | undefined, _method: unknown, _url: unknown, status: number, _message: unknown, _upgrade: boolean, keepAlive: boolean) =>
      this.onHead(headers ?? this.headerParts.splice(0), status, keepAlive);
    parser[HTTPParser.kOnBody] = () => {};
    parser[HTTPParser.kOnMessageComplete] = () => this.onMessageComplete();
  }

  /** The next request on this connection. */
  start(exchange: ReadExchange): void {
    [this.exchange, this.headRead, this.finished, this.informational] = [exchange, false, false, false];
  }

  /** Whether the final head of the answer under way has been read. */
  get headDone(): boolean {
    return this.headRead;
  }

  /**
   * Puts the parser where the engine's own reader stopped: `prefix` is read as bytes already
   * seen (their messages are nobody's answer), then the answer under way is `known` when given —
   * its head was among them and the engine read it.
   */
  replay(prefix: Buffer, known?: ReadAnswer): void {
    this.replaying = true;
    try {
      this.parser.execute(prefix);
    } finally {
      this.replaying = false;
    }
    if (known) [this.answer, this.headRead] = [{ ...known }, true];
  }

  /** Reads `data`: as Node's client does, an error in it is the request's even when its answer completed in the same read. */
  read(data: Buffer): ReadResult {
    this.unsolicited = false;
    const wasFinished = this.finished;
    const ret = this.parser.execute(data);
    const result: ReadResult = { unsolicited: this.unsolicited };
    if (ret instanceof Error) result.error = parseError(ret.code, ret.reason);
    else if (this.finished && !wasFinished) result.answer = this.answer;
    return result;
  }

  /** The connection ended: an answer read to the close completes here. */
  end(): ReadAnswer | undefined {
    const wasFinished = this.finished;
    this.parser.finish();
    return this.finished && !wasFinished ? this.answer : undefined;
  }

  /** Frees the parser once no call into it is under way. */
  close(): void {
    const { parser } = this;
    setImmediate(() => parser.close());
  }

  /** A head: 0 reads its body, 1 skips it (Node's client: 1xx but 101, HEAD, 304), 2 ends the protocol (101). */
  private onHead(headers: string[], status: number, keepAlive: boolean): number {
    if (this.replaying) return 0;
    if (this.unsolicited || !this.exchange) return 0;
    if (status >= 100 && status < 200 && status !== 101) {
      this.informational = true;
      return 1;
    }
    this.headRead = true;
    this.answer = { status, location: undefined, keepAlive: keepAlive && status !== 101 };
    if (this.exchange.wantLocation && status >= 300 && status <= 399) {
      for (let i = 0; i + 1 < headers.length; i += 2) {
        if (headers[i].length === 8 && headers[i].toLowerCase() === 'location') {
          this.answer.location = headers[i + 1];
          break;
        }
      }
    }
    if (status === 101) {
      // Another protocol follows, not ours to read: the answer is the head.
      this.finished = true;
      return 2;
    }
    return this.exchange.isHead || status === 304 ? 1 : 0;
  }

  private onMessageComplete(): void {
    if (this.replaying || this.unsolicited || !this.exchange) return;
    if (this.informational) {
      this.informational = false;
      return;
    }
    if (this.headRead) this.finished = true;
  }
}
