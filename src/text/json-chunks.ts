/** JSON text made piece by piece (see chunks.ts), with arrays whose items are made only as they are written. */
import { batchChunks } from './chunks.js';

/** An array whose items are made only while it is serialized, one at a time, then dropped. */
export class LazyJsonArray {
  /** `items` is called once per serialization: it must give the same items every time. */
  constructor(readonly items: () => Iterable<unknown>) {}
}

/**
 * The text of `JSON.stringify(value, null, 2)`, in chunks, with every LazyJsonArray written as
 * the array of its items: joined, the chunks are byte for byte what JSON.stringify gives for the
 * same value with plain arrays. Only one lazy item is built at a time. `value` is plain JSON data
 * (objects, arrays, strings, numbers, booleans, null; undefined properties are left out).
 */
export function stringifyJsonChunks(value: unknown): Generator<string> {
  return batchChunks(stringifyPieces(value, ''));
}

/** A re-iterable sequence of chunks: each iteration serializes `value` again (see FileToWrite). */
export function jsonChunks(value: unknown, suffix = ''): Iterable<string> {
  return {
    *[Symbol.iterator]() {
      yield* stringifyJsonChunks(value);
      if (suffix) yield suffix;
    },
  };
}

function* stringifyPieces(value: unknown, indent: string): Generator<string> {
  if (!containsLazy(value)) {
    // JSON text holds no raw newline but the layout's: re-indenting by them is exact.
    yield (JSON.stringify(value, null, 2) ?? 'null').replaceAll('\n', `\n${indent}`);
    return;
  }
  const inner = `${indent}  `;
  if (value instanceof LazyJsonArray || Array.isArray(value)) {
    let first = true;
    for (const item of value instanceof LazyJsonArray ? value.items() : value) {
      yield `${first ? '[' : ','}\n${inner}`;
      yield* stringifyPieces(item === undefined || typeof item === 'function' ? null : item, inner);
      first = false;
    }
    yield first ? '[]' : `\n${indent}]`;
    return;
  }
  let first = true;
  for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
    if (child === undefined || typeof child === 'function') continue;
    yield `${first ? '{' : ','}\n${inner}${JSON.stringify(key)}: `;
    yield* stringifyPieces(child, inner);
    first = false;
  }
  yield first ? '{}' : `\n${indent}}`;
}

/** True when a LazyJsonArray is somewhere in `value` (the walk stops at each one found). */
function containsLazy(value: unknown): boolean {
  if (value instanceof LazyJsonArray) return true;
  if (value === null || typeof value !== 'object') return false;
  return (Array.isArray(value) ? value : Object.values(value)).some(containsLazy);
}
