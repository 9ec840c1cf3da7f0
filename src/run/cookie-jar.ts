/**
 * `run --cookie-jar FILE`, as newman takes it: a tough-cookie jar serialized as JSON (what
 * `--export-cookie-jar` writes), the cookies the run starts with. Read and checked before the
 * first request; the engine rebuilds the jar from the text (engines/newman.ts).
 */
import { resolve } from 'node:path';
import { InputError } from '../errors.js';
import { readInputText } from '../fs/read-input.js';

const HINT = 'a cookie jar as newman --export-cookie-jar writes it: tough-cookie\'s JSON, { "version", "storeType", "cookies": [...] }';

/** The jar's JSON text. InputError naming the file when it is missing, not JSON, or not a jar. */
export async function loadCookieJar(file: string, cwd: string, signal?: AbortSignal): Promise<string> {
  const label = `--cookie-jar ${file}`;
  const text = await readInputText(resolve(cwd, file), { kind: 'environment', label, hint: HINT, signal });
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new InputError(`${label}: not valid JSON (${(error as Error).message})`, [], HINT);
  }
  if (typeof json !== 'object' || json === null || !Array.isArray((json as { cookies?: unknown }).cookies)) {
    throw new InputError(`${label}: not a cookie jar (no "cookies" array)`, [], HINT);
  }
  return text;
}
