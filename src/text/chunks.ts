/**
 * Text made and written piece by piece: for outputs too big to hold whole (a collection of 10,000
 * endpoints, a report of 100,000 steps), where one string, plus the objects it came from, plus the
 * Buffer a file write copies it into, cost hundreds of MB.
 */

/** Chunks of at least this many characters (the last may be shorter): few writes, little held. */
export const CHUNK_CHARS = 1 << 16;

/** `pieces` joined into chunks of at least `minChars` characters, in order; nothing else changes. */
export function* batchChunks(pieces: Iterable<string>, minChars = CHUNK_CHARS): Generator<string> {
  let pending = '';
  for (const piece of pieces) {
    pending += piece;
    if (pending.length >= minChars) {
      yield pending;
      pending = '';
    }
  }
  if (pending !== '') yield pending;
}

/** The whole text of a string or of a (re-iterable) sequence of chunks. */
export function joinChunks(text: string | Iterable<string>): string {
  return typeof text === 'string' ? text : [...text].join('');
}
