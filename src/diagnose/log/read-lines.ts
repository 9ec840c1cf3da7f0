import { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { createGunzip } from 'node:zlib';

/** gzip's magic bytes (RFC 1952): a `.log.gz` from ALB or logrotate, whatever its name says. */
function isGzip(chunk: Buffer): boolean {
  return chunk.length >= 2 && chunk[0] === 0x1f && chunk[1] === 0x8b;
}

/**
 * The lines of a byte stream (file, pipe, socket), gunzipped on the fly when its first bytes are
 * gzip's, without their line ends. Only one chunk and one partial line are held at a time, so memory
 * stays flat; a partial line longer than `maxLineChars` is cut there (the rest of it is dropped).
 * A corrupt gzip stream rejects with zlib's error.
 */
export async function* readLines(input: AsyncIterable<Buffer | string>, maxLineChars = 64 * 1024): AsyncGenerator<string> {
  const source = input[Symbol.asyncIterator]();
  const asBuffer = (chunk: Buffer | string) => (typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  // gzip's magic is two bytes: a pipe may deliver them in separate chunks.
  let head = Buffer.alloc(0);
  while (head.length < 2) {
    const next = await source.next();
    if (next.done) break;
    head = Buffer.concat([head, asBuffer(next.value)]);
  }
  if (head.length === 0) return;
  async function* all(): AsyncGenerator<Buffer> {
    yield head;
    for (;;) {
      const next = await source.next();
      if (next.done) return;
      yield asBuffer(next.value);
    }
  }
  const bytes: AsyncIterable<Buffer> = isGzip(head) ? gunzip(Readable.from(all())) : all();
  const decoder = new StringDecoder('utf8');
  let partial = '';
  let cut = false;
  for await (const chunk of bytes) {
    const text = decoder.write(chunk);
    let start = 0;
    for (let end = text.indexOf('\n'); end !== -1; end = text.indexOf('\n', start)) {
      const line = cut ? partial : partial + text.slice(start, end);
      partial = '';
      cut = false;
      yield line.length > maxLineChars ? line.slice(0, maxLineChars) : line;
      start = end + 1;
    }
    if (!cut) {
      partial += text.slice(start);
      if (partial.length > maxLineChars) { partial = partial.slice(0, maxLineChars); cut = true; }
    }
  }
  partial += cut ? '' : decoder.end();
  if (partial !== '') yield partial;
}

/** `raw` through gunzip; a read error of `raw` ends the gunzip stream with that error (pipe alone would not). */
function gunzip(raw: Readable): Readable {
  const out = createGunzip();
  raw.once('error', (error) => out.destroy(error));
  return raw.pipe(out);
}
