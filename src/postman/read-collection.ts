/**
 * The input seam: a user's collection file, whatever Postman format it is in, as a v2.1 collection
 * JSON. v2.1 passes as it is; v1 (`requests` / `folders` / `order`) is converted with Postman's own
 * postman-collection-transformer, not by hand, and v2.0 with its auth step (v2-0-to-v2-1.ts); a Postman v12 collection directory
 * (v3, YAML files) is read by postman/v3. Another JSON format plugs in as one more reader in
 * COLLECTION_READERS.
 */
import transformer from 'postman-collection-transformer';
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { InputError } from '../errors.js';
import { readInputText } from '../fs/read-input.js';
import { parseJsonFile } from './parse-json.js';
import { readRawOnlyUrls } from './raw-urls.js';
import { readV3Collection } from './v3/read-v3-collection.js';
import { convertV20ToV21 } from './v2-0-to-v2-1.js';
import type { PostmanCollection } from './load.js';

/** A format debug502 reads: `detect` looks at parsed JSON, `toV21` converts it (may throw InputError). */
export interface CollectionReader {
  format: string;
  detect(json: Record<string, unknown>): boolean;
  toV21(json: Record<string, unknown>, file: string): PostmanCollection;
}

const V21 = 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json';

function convertWithTransformer(json: unknown, inputVersion: string, file: string): PostmanCollection {
  let result: unknown;
  let failure: unknown;
  // The transformer calls back synchronously; its errors come through the callback or as a throw.
  try {
    transformer.convert(json as never, { inputVersion, outputVersion: '2.1.0', retainIds: true } as never, (error: unknown, converted: unknown) => {
      failure = error;
      result = converted;
    });
  } catch (error) {
    failure = error;
  }
  if (failure || !result) {
    throw new InputError(`${file}: the Postman collection v${inputVersion} could not be converted to v2.1: ${(failure as Error | undefined)?.message ?? 'no result'}`, [], 'open it in the Postman app and export it as Collection v2.1');
  }
  return result as PostmanCollection;
}

const isV1 = (json: Record<string, unknown>) => !('item' in json) && Array.isArray(json.requests) && (Array.isArray(json.order) || Array.isArray(json.folders) || typeof json.name === 'string');
const schemaOf = (json: Record<string, unknown>) => String((json.info as { schema?: unknown } | undefined)?.schema ?? '');

/** The formats read, in the order they are tried. */
export const COLLECTION_READERS: CollectionReader[] = [
  { format: 'v1', detect: isV1, toV21: (json, file) => convertWithTransformer(json, '1.0.0', file) },
  // The transformer has no v2.0 → v2.1 path; convertV20ToV21 applies its v1 → v2.1 auth step.
  { format: 'v2.0', detect: (json) => /\/v2\.0\.\d+\//.test(schemaOf(json)) && Array.isArray(json.item), toV21: (json) => convertV20ToV21(json) },
  { format: 'v2.1', detect: (json) => Array.isArray(json.item) && typeof json.info === 'object' && json.info !== null, toV21: (json) => json as unknown as PostmanCollection },
];

/**
 * `json` (parsed from `file`) as a v2.1 collection, and the format it was in. Throws InputError
 * naming the file and a JSON pointer to what is missing when no reader knows it.
 */
export function toV21Collection(json: unknown, file: string): { collection: PostmanCollection; format: string } {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new InputError(`${file}: not a Postman collection (the file holds ${Array.isArray(json) ? 'an array' : json === null ? 'null' : `a ${typeof json}`})`, [], HINT);
  }
  const object = json as Record<string, unknown>;
  const reader = COLLECTION_READERS.find((r) => r.detect(object));
  if (!reader) {
    const problems: string[] = [];
    if (typeof object.openapi === 'string' || typeof object.swagger === 'string') {
      throw new InputError(`${file}: this is an OpenAPI document, not a Postman collection`, [], 'pass it with --from-openapi');
    }
    if (Array.isArray(object.values) && !('item' in object)) {
      throw new InputError(`${file}: this is a Postman environment, not a collection`, [], 'pass the collection; give the URLs with --gateway-url and --backend-url');
    }
    if (typeof object.info !== 'object' || object.info === null) problems.push('/info: missing (a Postman v2 collection has an "info" object)');
    if (!Array.isArray(object.item)) problems.push('/item: missing (a Postman v2 collection has an "item" array of requests and folders; v1 has "requests")');
    throw new InputError(`${file}: not a Postman collection`, problems, HINT);
  }
  const collection = reader.toV21(object, file);
  if (!collection.info.schema) collection.info.schema = V21;
  readRawOnlyUrls(collection);
  return { collection, format: reader.format };
}

const HINT = 'export it from Postman as Collection v2.1 (v2.0 and v1 are converted too)';

/**
 * Reads a user's collection (relative to `cwd`): a v3 collection directory, or a file — JSON with
 * line and column on a syntax error, a Postman API export (`{ "collection": … }`) unwrapped, then
 * toV21Collection.
 */
export async function readCollectionFile(file: string, cwd = process.cwd(), options: { signal?: AbortSignal } = {}): Promise<{ collection: PostmanCollection; format: string }> {
  // readV3Collection says what is wrong with a directory that is not one v3 collection.
  if ((await stat(resolve(cwd, file)).catch(() => null))?.isDirectory()) return { collection: await readV3Collection(resolve(cwd, file), file), format: 'v3' };
  const text = await readInputText(resolve(cwd, file), { kind: 'collection', label: `--from-collection ${file}`, hint: HINT, signal: options.signal });
  let json = parseJsonFile(text, file, HINT);
  if (typeof json === 'object' && json !== null && !Array.isArray(json)) {
    const inner = (json as Record<string, unknown>).collection;
    if (typeof inner === 'object' && inner !== null && Object.keys(json).length === 1) json = inner;
  }
  return toV21Collection(json, file);
}
