/**
 * The fast engine's own reading of an answer's head and chunk lines — only the shape nearly every
 * server writes, read at a fraction of llhttp's cost: status line `HTTP/1.0` or `HTTP/1.1`, three
 * digits, a reason; CRLF-ended `token: value` lines; one plain Content-Length or
 * `Transfer-Encoding: chunked`; Connection tokens close / keep-alive / upgrade; chunk sizes of hex
 * digits alone. Each reader says "not mine" for anything else — an odd byte, a bare LF, a
 * duplicated or conflicting framing header — and the answer is then read by Node's own parser
 * (fast-llhttp.ts), which gives it the verdict it gets under newman. Nothing here decides an error.
 * What is read here is read as llhttp reads it (keep-alive as llhttp_should_keep_alive, no body
 * after a HEAD or for 1xx, 204, 304).
 */

/** What a head says; filled by readHead (one object per connection, reused). */
export interface HeadFields {
  status: number;
  keepAlive: boolean;
  /** -1: none. */
  contentLength: number;
  chunked: boolean;
  location: string | undefined;
}

const [CR, LF, SP, HTAB, COLON] = [0x0d, 0x0a, 0x20, 0x09, 0x3a];
export { CR, LF };
const HTTP_1 = Buffer.from('HTTP/1.');

/** tchar of RFC 9110: 1 for each byte allowed in a header name. */
const TOKEN = new Uint8Array(256);
for (const char of "!#$%&'*+-.^_`|~") TOKEN[char.charCodeAt(0)] = 1;
for (let byte = 0; byte < 256; byte++) if ((byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5a) || (byte >= 0x61 && byte <= 0x7a)) TOKEN[byte] = 1;

/** Whether [start, end) holds only bytes a header value or reason phrase may: HTAB, SP…~, 0x80…0xFF. */
function isFieldText(chunk: Buffer, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const byte = chunk[i];
    if ((byte < 0x20 && byte !== HTAB) || byte === 0x7f) return false;
  }
  return true;
}

/** Whether the bytes at `start` spell `lower` (lower-case ASCII) in any case. */
function equalsLower(chunk: Buffer, start: number, lower: string): boolean {
  for (let i = 0; i < lower.length; i++) if ((chunk[start + i] | 0x20) !== lower.charCodeAt(i)) return false;
  return true;
}

/** Digits alone, at most 15 (exact in a double); -1 otherwise. */
function readDigits(chunk: Buffer, start: number, end: number): number {
  if (start === end || end - start > 15) return -1;
  let value = 0;
  for (let i = start; i < end; i++) {
    const digit = chunk[i] - 48;
    if (!(digit >= 0 && digit <= 9)) return -1;
    value = value * 10 + digit;
  }
  return value;
}

/** Connection's tokens as flags (1 close, 2 keep-alive); -1 for anything but close, keep-alive, upgrade separated by commas. */
function readConnectionTokens(chunk: Buffer, start: number, end: number): number {
  let flags = 0;
  let at = start;
  while (at < end) {
    while (at < end && (chunk[at] === SP || chunk[at] === HTAB || chunk[at] === 0x2c)) at++;
    let stop = at;
    while (stop < end && chunk[stop] !== 0x2c && chunk[stop] !== SP && chunk[stop] !== HTAB) stop++;
    const length = stop - at;
    if (length === 5 && equalsLower(chunk, at, 'close')) flags |= 1;
    else if (length === 10 && equalsLower(chunk, at, 'keep-alive')) flags |= 2;
    else if (!(length === 7 && equalsLower(chunk, at, 'upgrade')) && length > 0) return -1;
    at = stop;
  }
  return flags;
}

/**
 * Reads the head in [start, end) — `end` is where its closing CRLFCRLF begins — into `into`,
 * when it has the shape described above; false otherwise (`into` is then not to be read).
 * `wantLocation`: read a 3xx's Location.
 */
export function readHead(chunk: Buffer, start: number, end: number, wantLocation: boolean, into: HeadFields): boolean {
  // "HTTP/1.1 200 OK\r\n": the version, a space, three digits, then the line's end or a space and a reason.
  if (chunk.compare(HTTP_1, 0, 7, start, start + 7) !== 0) return false;
  const minor = chunk[start + 7];
  if ((minor !== 0x30 && minor !== 0x31) || chunk[start + 8] !== SP) return false;
  let status = 0;
  for (let i = start + 9; i < start + 12; i++) {
    const digit = chunk[i] - 48;
    if (!(digit >= 0 && digit <= 9)) return false;
    status = status * 10 + digit;
  }
  let lineEnd = chunk.indexOf(LF, start);
  if (chunk[lineEnd - 1] !== CR || lineEnd - 1 < start + 12) return false;
  if (lineEnd - 1 > start + 12 && (chunk[start + 12] !== SP || !isFieldText(chunk, start + 13, lineEnd - 1))) return false;
  let contentLength = -1;
  let chunked = false;
  let connection = 0;
  let location: string | undefined;
  // The last header line's LF is at end + 1.
  for (let lineStart = lineEnd + 1; lineStart < end + 2; lineStart = lineEnd + 1) {
    lineEnd = chunk.indexOf(LF, lineStart);
    const valueEnd = lineEnd - 1;
    if (chunk[valueEnd] !== CR) return false;
    let colon = lineStart;
    while (colon < valueEnd && TOKEN[chunk[colon]] === 1) colon++;
    // No name, a space before the colon, or a folded line (starting with a space).
    if (colon === lineStart || chunk[colon] !== COLON) return false;
    let valueStart = colon + 1;
    while (valueStart < valueEnd && (chunk[valueStart] === SP || chunk[valueStart] === HTAB)) valueStart++;
    let valueStop = valueEnd;
    while (valueStop > valueStart && (chunk[valueStop - 1] === SP || chunk[valueStop - 1] === HTAB)) valueStop--;
    if (!isFieldText(chunk, valueStart, valueStop)) return false;
    const nameLength = colon - lineStart;
    if (nameLength === 14 && equalsLower(chunk, lineStart, 'content-length')) {
      if (contentLength >= 0 || chunked || valueStop !== valueEnd) return false;
      contentLength = readDigits(chunk, valueStart, valueStop);
      if (contentLength < 0) return false;
    } else if (nameLength === 17 && equalsLower(chunk, lineStart, 'transfer-encoding')) {
      if (chunked || contentLength >= 0 || valueStop !== valueEnd || valueStop - valueStart !== 7 || !equalsLower(chunk, valueStart, 'chunked')) return false;
      chunked = true;
    } else if (nameLength === 10 && equalsLower(chunk, lineStart, 'connection')) {
      const flags = readConnectionTokens(chunk, valueStart, valueStop);
      if (flags < 0) return false;
      connection |= flags;
    } else if (nameLength === 16 && equalsLower(chunk, lineStart, 'proxy-connection')) {
      return false;
    } else if (nameLength === 8 && wantLocation && location === undefined && status >= 300 && status <= 399 && equalsLower(chunk, lineStart, 'location')) {
      location = chunk.toString('latin1', valueStart, valueStop);
    }
  }
  // HTTP/1.0 with chunked framing, or both close and keep-alive: llhttp's own reading.
  if (minor === 0x30 && (chunked || connection === 3)) return false;
  into.status = status;
  // llhttp_should_keep_alive: HTTP/1.1 unless `close`, HTTP/1.0 only with `keep-alive`.
  into.keepAlive = status !== 101 && (minor === 0x31 ? (connection & 1) === 0 : (connection & 2) !== 0);
  into.contentLength = contentLength;
  into.chunked = chunked;
  into.location = location;
  return true;
}

/** Whether an answer with this status to this request has no body, whatever its headers say (Node's client with llhttp). */
export function hasNoBody(status: number, isHead: boolean): boolean {
  return isHead || (status >= 100 && status <= 199) || status === 204 || status === 304;
}

/** The size of the chunk-size line in [start, lineEnd) (its LF at lineEnd) when it is 1–12 hex digits and CR; -1 otherwise. */
export function readChunkSize(chunk: Buffer, start: number, lineEnd: number): number {
  const digitsEnd = lineEnd - 1;
  if (digitsEnd <= start || digitsEnd - start > 12 || chunk[digitsEnd] !== CR) return -1;
  let size = 0;
  for (let i = start; i < digitsEnd; i++) {
    const value = hexValue(chunk[i]);
    if (value < 0) return -1;
    size = size * 16 + value;
  }
  return size;
}

/** Whether [start, end) can begin a chunk-size line read here: up to 12 hex digits, perhaps then CR. */
export function isChunkSizeStart(chunk: Buffer, start: number, end: number): boolean {
  let i = start;
  while (i < end && i - start < 12 && hexValue(chunk[i]) >= 0) i++;
  return i === end || (i === end - 1 && i > start && chunk[i] === CR);
}

function hexValue(byte: number): number {
  const lower = byte | 0x20;
  return byte >= 0x30 && byte <= 0x39 ? byte - 0x30 : lower >= 0x61 && lower <= 0x66 ? lower - 0x61 + 10 : -1;
}
