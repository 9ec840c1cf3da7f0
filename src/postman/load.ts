/**
 * Reads Postman collection and environment files as plain JSON, checks that they are what they
 * claim to be, and applies `--env-var key=value` overrides. Shared by run, ramp and diagnose.
 * Every problem is an InputError that names the file and what is wrong (exit 2).
 */
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { InputError } from '../errors.js';
import { readInputText, type InputKind } from '../fs/read-input.js';
import { parseJsonFile } from './parse-json.js';
import { parseYamlText } from './parse-yaml.js';
import { resolveFileReferences } from './file-references.js';
import { readRawOnlyUrls } from './raw-urls.js';
import { toV21Collection } from './read-collection.js';
import { readV3Collection } from './v3/read-v3-collection.js';
import { noteSecretSources } from './secret-scope.js';

/** One variable of an environment (`values`) or of a collection (`variable`). */
export interface PostmanVariable {
  key: string;
  value?: unknown;
  type?: string;
  enabled?: boolean;
  [extra: string]: unknown;
}

/** A Postman v2.x collection: only what debug502 reads is typed, the rest is kept as it is. */
export interface PostmanCollection {
  info: { name?: string; schema?: string; [extra: string]: unknown };
  item: unknown[];
  variable?: PostmanVariable[];
  [extra: string]: unknown;
}

/** A Postman environment file. */
export interface PostmanEnvironment {
  name?: string;
  values: PostmanVariable[];
  [extra: string]: unknown;
}

const GENERATE_HINT = 'export it from Postman (Collection v2.1) or write one with "debug502 generate"';

/** How an input file is read: the signal stops a wait on a pipe (InterruptedError, exit 130). */
export interface InputReadOptions {
  signal?: AbortSignal;
}

/**
 * How a collection is read, in newman's terms. `workingDir` (`--working-dir`, relative to `cwd`):
 * where the relative paths of file bodies and form-data files start; default the collection's
 * directory for a v3 collection, `cwd` otherwise (newman's default). `insecureFileRead`
 * (`--insecure-file-read` / `--no-insecure-file-read`): whether those files may lie outside it;
 * default true as in newman, false for a v3 collection, whose files belong to its directory.
 */
export interface CollectionReadOptions extends InputReadOptions {
  workingDir?: string;
  insecureFileRead?: boolean;
}

/**
 * Loads a Postman collection (v2.0/v2.1) from `file` (relative to `cwd`; messages name `file` as given). A Postman API export (`{ "collection": … }`)
 * is unwrapped. A directory is read as a Postman v12 **v3** collection and converted to v2.1
 * (readV3Collection). The files its requests send (file bodies, form-data files) are checked and
 * made absolute (resolveFileReferences), so every engine reads the same files. Throws InputError
 * when the file is missing, is not JSON (with line and column), or has no `info` object and `item`
 * array, when the directory is not a valid v3 collection, or when a file it sends is refused.
 */
export async function loadCollection(file: string, cwd = process.cwd(), options: CollectionReadOptions = {}): Promise<PostmanCollection> {
  const path = resolve(cwd, file);
  const isV3 = await stat(path).then((s) => s.isDirectory(), () => false);
  const collection = isV3 ? await readV3Collection(path, file) : await loadCollectionFile(path, file, options);
  // Its secrets are known before anything below (or any later check) can quote them.
  if (isV3) noteSecretSources({ collection });
  return resolveFileReferences(collection, {
    workingDir: resolve(cwd, options.workingDir ?? (isV3 ? path : cwd)),
    insecureFileRead: options.insecureFileRead ?? !isV3,
    collection: file,
  });
}

async function loadCollectionFile(path: string, file: string, options: InputReadOptions): Promise<PostmanCollection> {
  let json = parseJsonFile(await readInputText(path, { ...inputFile(file, 'collection'), signal: options.signal }), file, GENERATE_HINT);
  json = unwrap(json, 'collection');
  // v1 and v2.0 exports are converted (postman-collection-transformer), so every command reads them.
  if (isObject(json) && (Array.isArray(json.requests) || /\/v2\.0\.\d+\//.test(String((json.info as { schema?: unknown } | undefined)?.schema ?? '')))) {
    json = toV21Collection(json, file).collection;
  }
  // Its secrets are known before anything below (or any later check) can quote them.
  noteSecretSources({ collection: json });
  const problems: string[] = [];
  if (!isObject(json)) {
    throw new InputError(`${file}: not a Postman collection (the file holds ${describeJson(json)})`, [], GENERATE_HINT);
  }
  if (Array.isArray(json.values) && !('item' in json)) {
    throw new InputError(`${file}: this is a Postman environment, not a collection`, [], 'pass it with --environment, and the collection with --collection');
  }
  if (!isObject(json.info)) problems.push('info: missing (a Postman v2 collection has an "info" object)');
  if (!Array.isArray(json.item)) problems.push('item: missing (a Postman v2 collection has an "item" array of requests and folders)');
  if (json.variable !== undefined) problems.push(...checkVariables(json.variable, 'variable'));
  if (problems.length > 0) throw new InputError(`${file}: not a Postman collection`, problems, GENERATE_HINT);
  readRawOnlyUrls(json);
  return json as PostmanCollection;
}

/**
 * Loads a Postman environment from `file` (relative to `cwd`). A Postman API export (`{ "environment": … }`) is
 * unwrapped; a `.yaml`/`.yml` file is read as the YAML environment Postman v12 keeps beside v3
 * collections (`postman/environments/*.environment.yaml`: the same `name` and `values`). Throws
 * InputError when the file is missing, is not JSON (or YAML), or has no `values` array of
 * `{ key, value }` objects.
 */
export async function loadEnvironment(file: string, cwd = process.cwd(), options: InputReadOptions = {}): Promise<PostmanEnvironment> {
  const hint = 'export it from Postman (Environments → Export) or write one with "debug502 generate"';
  const text = await readInputText(resolve(cwd, file), { ...inputFile(file, 'environment'), signal: options.signal });
  let json: unknown;
  if (/\.ya?ml$/i.test(file)) {
    const { value, errors } = parseYamlText(text);
    if (errors.length > 0) throw new InputError(`${file}: ${errors[0]}`, [], hint);
    json = value;
  } else {
    json = parseJsonFile(text, file, hint);
  }
  json = unwrap(json, 'environment');
  noteSecretSources({ environment: json });
  if (!isObject(json)) {
    throw new InputError(`${file}: not a Postman environment (the file holds ${describeJson(json)})`, [], hint);
  }
  if (isObject(json.info) && Array.isArray(json.item)) {
    throw new InputError(`${file}: this is a Postman collection, not an environment`, [], 'pass it with --collection, and the environment with --environment');
  }
  const problems = json.values === undefined
    ? ['values: missing (a Postman environment has a "values" array of { "key", "value" })']
    : checkVariables(json.values, 'values');
  if (problems.length > 0) throw new InputError(`${file}: not a Postman environment`, problems, hint);
  return json as unknown as PostmanEnvironment;
}

/**
 * Parses one `--env-var key=value` (the value may hold "=" and may be empty).
 * Throws InputError naming the option when there is no "=" or no key.
 */
export function parseEnvVar(text: string): { key: string; value: string } {
  const at = text.indexOf('=');
  const key = at < 0 ? '' : text.slice(0, at).trim();
  if (at < 0 || key === '') {
    throw new InputError(`--env-var "${text}": expected key=value`, [], 'e.g. --env-var gateway_url=http://127.0.0.1:8080');
  }
  return { key, value: text.slice(at + 1) };
}

/**
 * A copy of `environment` (or of an empty one) with `vars` set: an existing key is overwritten and
 * enabled, a new key is added. The input is never changed. The result's secrets (an override
 * of a secret variable) are noted for masking (secret-scope.ts).
 */
export function applyEnvVars(environment: PostmanEnvironment | undefined, vars: Record<string, string>): PostmanEnvironment {
  const values = (environment?.values ?? []).map((v) => ({ ...v }));
  for (const [key, value] of Object.entries(vars)) {
    const existing = values.find((v) => v.key === key);
    if (existing) Object.assign(existing, { value, enabled: true });
    else values.push({ key, value, type: 'default', enabled: true });
  }
  const applied = { ...(environment ?? { name: 'debug502' }), values };
  noteSecretSources({ environment: applied });
  return applied;
}

/** The value of an enabled variable as text, or undefined when absent, disabled or empty. */
export function variableValue(variables: PostmanVariable[] | undefined, key: string): string | undefined {
  const found = variables?.find((v) => v.key === key && v.enabled !== false);
  if (found === undefined || found.value === undefined || found.value === null || found.value === '') return undefined;
  return String(found.value);
}

/** How readInputText names a collection or environment file in its messages. */
function inputFile(file: string, kind: Extract<InputKind, 'collection' | 'environment'>) {
  return { kind, label: `${kind} ${file}`, hint: `check the --${kind} path` };
}

function checkVariables(values: unknown, path: string): string[] {
  if (!Array.isArray(values)) return [`${path}: must be an array of { "key", "value" }`];
  const problems: string[] = [];
  values.forEach((v, i) => {
    if (!isObject(v)) problems.push(`${path}[${i}]: must be an object { "key", "value" }`);
    else if (typeof v.key !== 'string' || v.key === '') problems.push(`${path}[${i}].key: must be a non-empty string`);
  });
  return problems;
}

/** `{ "collection": {…} }` (the Postman API's shape) → the inner object. */
function unwrap(json: unknown, key: 'collection' | 'environment'): unknown {
  if (isObject(json) && isObject(json[key]) && Object.keys(json).length === 1) return json[key];
  return json;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describeJson(value: unknown): string {
  return Array.isArray(value) ? 'an array' : value === null ? 'null' : `a ${typeof value}`;
}
