import { InputError } from '../errors.js';

/**
 * Parses JSON text read from `file`. On a syntax error throws InputError naming the file, the line
 * and column of the first bad character and what was found there — JSON.parse's own message gives
 * no position for many errors and quotes the whole text for others.
 */
export function parseJsonFile(text: string, file: string, hint?: string): unknown {
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text; // editors on Windows add a BOM
  checkJsonDepth(source, file, hint && `${hint}; at most ${MAX_JSON_DEPTH} levels of nesting`);
  try {
    return JSON.parse(source);
  } catch {
    const offset = findJsonErrorOffset(source);
    const { line, column } = lineAndColumn(source, offset);
    const found = offset >= source.length ? 'the text ends too early' : `unexpected ${JSON.stringify(source[offset])}`;
    throw new InputError(`${file}: not valid JSON at line ${line}, column ${column}: ${found}`, [], hint);
  }
}

/** 1-based line and column of a character offset. */
function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const ESCAPES = new Set(['"', '\\', '/', 'b', 'f', 'n', 'r', 't']);

/**
 * The offset of the first character where `text` stops being JSON (RFC 8259); `text.length` when
 * it ends too early; -1 when it is valid. Only called after JSON.parse failed, so speed is no concern.
 */
export function findJsonErrorOffset(text: string): number {
  let i = 0;
  const fail = (at = i): never => {
    throw at;
  };
  const skipSpace = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i])) i++;
  };
  const readString = () => {
    i++; // the opening quote
    while (i < text.length) {
      const c = text[i];
      if (c === '"') return void i++;
      if (c === '\\') {
        const next = text[i + 1];
        if (next === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) fail(i + 2);
          i += 6;
        } else if (next !== undefined && ESCAPES.has(next)) i += 2;
        else fail(i + 1);
      } else if (c < ' ') fail();
      else i++;
    }
    fail(text.length);
  };
  const readContainer = (close: '}' | ']') => {
    i++;
    skipSpace();
    if (text[i] === close) return void i++;
    for (;;) {
      if (close === '}') {
        skipSpace();
        if (text[i] !== '"') fail();
        readString();
        skipSpace();
        if (text[i] !== ':') fail();
        i++;
      }
      readValue();
      skipSpace();
      if (text[i] === ',') i++;
      else if (text[i] === close) return void i++;
      else fail();
    }
  };
  const readValue = (): void => {
    skipSpace();
    if (i >= text.length) fail();
    const c = text[i];
    if (c === '{') return readContainer('}');
    if (c === '[') return readContainer(']');
    if (c === '"') return readString();
    NUMBER.lastIndex = i;
    if (NUMBER.test(text)) return void (i = NUMBER.lastIndex);
    const literal = ['true', 'false', 'null'].find((word) => text.startsWith(word, i));
    if (!literal) fail();
    i += literal!.length;
  };
  try {
    readValue();
    skipSpace();
    if (i < text.length) fail();
    return -1;
  } catch (offset) {
    if (typeof offset !== 'number') throw offset;
    return Math.min(offset, text.length);
  }
}

/**
 * Nesting deeper than this is refused before parsing: `{"a":` repeated 10,000 times, or 3,000
 * nested folders, would otherwise overflow the stack of whatever walks it next (the Postman SDK,
 * newman, the error locator below) as a RangeError. Real collections nest a few dozen levels.
 */
export const MAX_JSON_DEPTH = 512;

/**
 * Throws InputError naming `file`, the line and column where the nesting passes MAX_JSON_DEPTH.
 * One pass over the text, strings skipped; says nothing about the text's validity otherwise.
 */
export function checkJsonDepth(text: string, file: string, hint?: string): void {
  const at = findExcessNesting(text);
  if (at) throw new InputError(`${file}: nested more than ${MAX_JSON_DEPTH} levels deep at line ${at.line}, column ${at.column}`, [], hint ?? 'flatten the folders or objects; debug502 reads at most that depth');
}

/** Where `text` (JSON, or YAML's flow collections) first nests deeper than MAX_JSON_DEPTH; undefined when it never does. */
export function findExcessNesting(text: string): { line: number; column: number } | undefined {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > MAX_JSON_DEPTH) return lineAndColumn(text, i);
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return undefined;
}
