/**
 * An OpenAPI 3.0 / 3.1 or Swagger 2.0 document (YAML or JSON) as a Postman v2.1 collection, with
 * Postman's own openapi-to-postmanv2 — `$ref`s, servers, parameters and security schemes are its
 * business, not hand-walked here. What debug502 adds: bad input named with file and line or JSON
 * pointer, deterministic output (the converter fakes values from schemas with Math.random and the
 * clock: both are pinned while it runs), path variables that always have a value, and the
 * security schemes' secrets (`{{apiKey}}`, `{{bearerToken}}`, …) listed for the environment.
 */
import { resolve } from 'node:path';
import { createRequire } from 'node:module';
import { InputError } from '../errors.js';
import { readInputText } from '../fs/read-input.js';
import { parseJsonFile } from '../postman/parse-json.js';
import { parseYamlText } from '../postman/parse-yaml.js';
import type { PostmanCollection } from '../postman/load.js';

const require = createRequire(import.meta.url);

export interface ConvertedSpec {
  collection: PostmanCollection;
  /** `3.1.0`, `2.0`. */
  version: string;
  /** Variables the auth of the collection uses and nothing sets: secret environment variables. */
  secrets: string[];
  /**
   * Every `$ref` to another document (a URL, or a file beside it), once, with the JSON pointer of
   * its first use: never fetched, so what uses it converts to "reference … not found".
   */
  externalRefs: { ref: string; at: string }[];
}

const HINT = 'pass an OpenAPI 3.0/3.1 or Swagger 2.0 document, YAML or JSON';

/** Reads, parses and converts `file` (relative to `cwd`). InputError for anything that is not a usable spec. */
export async function readOpenApiFile(file: string, cwd = process.cwd(), options: { signal?: AbortSignal } = {}): Promise<ConvertedSpec> {
  const text = await readInputText(resolve(cwd, file), { kind: 'openapi', label: `--from-openapi ${file}`, hint: HINT, signal: options.signal });
  const spec = parseSpecText(text, file);
  const version = checkSpec(spec, file);
  // Before the converter, which changes the document it is given.
  const externalRefs = findExternalRefs(spec);
  const collection = await convertSpec(spec, file);
  return { collection, version, secrets: fillSecurity(collection), externalRefs };
}

/** The `$ref`s of `spec` that do not point into it (`#/…`), each once, in document order, with where it is first used. Pure. */
export function findExternalRefs(spec: unknown): { ref: string; at: string }[] {
  const found = new Map<string, string>();
  const stack: { value: unknown; at: string }[] = [{ value: spec, at: '' }];
  const seen = new Set<object>();
  while (stack.length > 0) {
    const { value, at } = stack.pop()!;
    if (value === null || typeof value !== 'object' || seen.has(value)) continue;
    seen.add(value);
    const entries = Object.entries(value);
    const ref = (value as { $ref?: unknown }).$ref;
    if (typeof ref === 'string' && !ref.startsWith('#') && !found.has(ref)) found.set(ref, `${at}/$ref`);
    // Pushed in reverse, so the walk (and the list) follows the document's order.
    for (let i = entries.length - 1; i >= 0; i--) stack.push({ value: entries[i][1], at: `${at}/${entries[i][0].replace(/~/g, '~0').replace(/\//g, '~1')}` });
  }
  return [...found].map(([ref, at]) => ({ ref, at }));
}

/** JSON (line and column of the first bad character) or YAML (line of the first error). */
export function parseSpecText(text: string, file: string): unknown {
  if (/^\s*[{[]/.test(text)) return parseJsonFile(text, file, HINT);
  const { value, errors } = parseYamlText(text, { uniqueKeys: false });
  if (errors.length > 0) throw new InputError(`${file}: ${errors[0]}`, [], HINT);
  return value;
}

function checkSpec(spec: unknown, file: string): string {
  if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) throw new InputError(`${file}: not an OpenAPI document (it holds ${Array.isArray(spec) ? 'an array' : String(spec === null ? 'null' : typeof spec)})`, [], HINT);
  const s = spec as Record<string, unknown>;
  if (Array.isArray(s.item) && typeof s.info === 'object') throw new InputError(`${file}: this is a Postman collection, not an OpenAPI document`, [], 'pass it with --from-collection');
  const version = String(s.openapi ?? s.swagger ?? '');
  if (version === '') throw new InputError(`${file}: not an OpenAPI document`, ['/openapi: missing (OpenAPI 3 starts with "openapi: 3.x.y"; Swagger with "swagger: \'2.0\'")'], HINT);
  if (!/^3\.[01](\.\d+)?$/.test(version) && version !== '2.0') {
    throw new InputError(`${file}: OpenAPI ${version} is not supported`, [`/${s.openapi !== undefined ? 'openapi' : 'swagger'}: "${version}" (3.0, 3.1 and Swagger 2.0 are)`], HINT);
  }
  if (typeof s.paths !== 'object' || s.paths === null || Object.keys(s.paths).length === 0) throw new InputError(`${file}: the document has no operations`, ['/paths: missing or empty'], 'debug502 needs at least one path with an operation');
  return version;
}

/** A small seeded PRNG (mulberry32): the converter's faked values come out the same every run. */
function seededRandom(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PINNED_TIME_MS = Date.UTC(2025, 0, 1);

async function convertSpec(spec: unknown, file: string): Promise<PostmanCollection> {
  const converter = require('openapi-to-postmanv2') as { convertV2(input: object, options: object, cb: (error: Error | null, result: { result: boolean; reason?: string; output?: { type: string; data: unknown }[] }) => void): void };
  const faker = require('openapi-to-postmanv2/assets/json-schema-faker.js') as { option(options: object): void };
  const realRandom = Math.random;
  const RealDate = Date;
  const random = seededRandom(502);
  // Pinned only while the converter runs (it fakes dates from "now" and values from Math.random).
  Math.random = random;
  faker.option({ random });
  globalThis.Date = class extends RealDate {
    constructor(...args: unknown[]) {
      super(...((args.length > 0 ? args : [PINNED_TIME_MS]) as [number]));
    }
    static override now(): number {
      return PINNED_TIME_MS;
    }
  } as DateConstructor;
  const restore = () => {
    Math.random = realRandom;
    globalThis.Date = RealDate;
  };
  try {
    const result = await new Promise<{ result: boolean; reason?: string; output?: { type: string; data: unknown }[] }>((done, fail) => {
      converter.convertV2({ type: 'json', data: spec }, { parametersResolution: 'Example', folderStrategy: 'Paths', includeAuthInfoInExample: true, enableOptionalParameters: false }, (error, converted) => {
        restore();
        if (error) fail(error);
        else done(converted);
      });
    });
    const data = result.output?.find((o) => o.type === 'collection')?.data;
    if (!result.result || !data) {
      const reason = result.reason ?? 'no collection came out';
      const pointer = /#\/[^\s'",]+/.exec(reason)?.[0];
      throw new InputError(`${file}: openapi-to-postmanv2 rejected the document`, [pointer ? `${pointer.slice(1)}: ${reason}` : reason], HINT);
    }
    return data as PostmanCollection;
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(`${file}: openapi-to-postmanv2 could not convert the document: ${(error as Error).message}`, [], HINT);
  } finally {
    restore();
  }
}

type Json = Record<string, unknown>;

/**
 * The secrets the converted auth uses, each once: every `{{name}}` in an auth's parameters. An
 * OAuth2 auth without an access token gets `{{accessToken}}`, so its secret lives in the environment
 * too (empty: nothing is sent until it is filled in, as Postman does).
 */
function fillSecurity(collection: PostmanCollection): string[] {
  const secrets = new Set<string>();
  const visit = (auth: unknown) => {
    if (!auth || typeof auth !== 'object') return;
    const a = auth as Json;
    const type = String(a.type ?? '');
    if (!Array.isArray(a[type])) return;
    const params = a[type] as Json[];
    if (type === 'oauth2' && !params.some((p) => p.key === 'accessToken')) params.push({ key: 'accessToken', value: '{{accessToken}}', type: 'string' });
    for (const p of params) for (const m of String(p.value ?? '').matchAll(/\{\{\s*([^{}]+?)\s*\}\}/g)) secrets.add(m[1]);
  };
  visit(collection.auth);
  const walk = (items: unknown) => {
    for (const item of Array.isArray(items) ? (items as Json[]) : []) {
      visit(item.auth);
      visit((item.request as Json | undefined)?.auth);
      walk(item.item);
    }
  };
  walk(collection.item);
  const known = new Set((collection.variable ?? []).map((v) => v.key));
  return [...secrets].filter((name) => !known.has(name)).sort();
}
