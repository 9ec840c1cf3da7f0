/**
 * `generate --from-collection FILE` / `--from-openapi FILE`: what users already have, in as a
 * collection (any Postman format, through the postman room's reader) or an OpenAPI document
 * (through openapi-to-postmanv2), out as the "502 Debugging" pair and its environments — under
 * `DIR/collections/` and `DIR/environments/`, atomically, deterministic. Everything is built in
 * memory first: bad input throws InputError before anything is written.
 */
import { join } from 'node:path';
import { InputError } from '../errors.js';
import { writeFilesAtomic, type FileToWrite } from '../fs/atomic-write.js';
import { checkOutputDirectory, checkOutputFile } from '../fs/check-output.js';
import { checkInterrupted } from '../interrupt.js';
import type { EnvironmentConfig } from '../model.js';
import { readCollectionFile } from '../postman/read-collection.js';
import { slugify } from './build-collection.js';
import { buildEnvironment, environmentFileName } from './build-environment.js';
import { planV3Environments, serializeJson, writeV3Generated, type CollectionFormat, type GeneratedFiles } from './generate.js';
import type { V2CollectionJson } from '../postman/v3/index.js';
import { pairCollection } from './pair-collection.js';
import { readOpenApiFile } from './read-openapi.js';

export interface GenerateFromOptions {
  /** Exactly one of the two: a Postman collection file, or an OpenAPI / Swagger document. */
  fromCollection?: string;
  fromOpenapi?: string;
  /** `--base-var`: the base to replace when the requests use more than one. */
  baseVar?: string;
  /** One environment file per entry: `local` → environments/local.postman_environment.json. */
  environments: Record<string, EnvironmentConfig>;
  maxResponseTimeMs: number;
  /** Relative paths are read from here. */
  cwd?: string;
  /** Ctrl-C / SIGTERM: stops a wait on a pipe given as the source, and stops between the phases and while writing — nothing written (InterruptedError, exit 130). */
  signal?: AbortSignal;
  /** `v2.1` (default): one JSON file under collections/. `v3`: a directory under postman/collections/, and the environments as YAML too, as `generate --collection-format v3` writes them. */
  collectionFormat?: CollectionFormat;
}

export interface PlannedFrom {
  /** The v2.1 collection file first, then one environment file per environment. */
  files: FileToWrite[];
  /** The paired collection as JSON (what files[0] holds), for the v3 writer. */
  collection: V2CollectionJson;
  /** The environments written, their secrets merged in (the v3 writer writes them as YAML too). */
  environments: Record<string, EnvironmentConfig>;
  /** What the user should know: the base chosen, requests left out, path values filled in… */
  notes: string[];
}

/** Every file to write, with its content, and the notes; pure apart from reading the input file. */
export async function planGeneratedFrom(options: GenerateFromOptions, outDir: string): Promise<PlannedFrom> {
  const file = options.fromCollection ?? options.fromOpenapi!;
  const notes: string[] = [];
  let source;
  let secrets: string[] = [];
  if (options.fromCollection !== undefined) {
    const read = await readCollectionFile(options.fromCollection, options.cwd, { signal: options.signal });
    source = read.collection;
    if (read.format === 'v3') notes.push(`${file}: a Postman collection v3 (Postman v12's YAML files), read as v2.1`);
    else if (read.format !== 'v2.1') notes.push(`${file}: a Postman collection ${read.format}, converted to v2.1 with postman-collection-transformer`);
  } else {
    const spec = await readOpenApiFile(file, options.cwd, { signal: options.signal });
    source = spec.collection;
    secrets = spec.secrets;
    notes.push(`${file}: ${spec.version === '2.0' ? 'Swagger 2.0' : `OpenAPI ${spec.version}`}, converted with openapi-to-postmanv2`);
    if (spec.externalRefs.length > 0) {
      const listed = spec.externalRefs.slice(0, 20).map(({ ref, at }) => `${ref} (at ${at})`);
      if (spec.externalRefs.length > 20) listed.push(`… and ${spec.externalRefs.length - 20} more`);
      notes.push(`warning: ${spec.externalRefs.length} $ref${spec.externalRefs.length === 1 ? '' : 's'} to other documents, never fetched (debug502 reads the one document): what uses ${spec.externalRefs.length === 1 ? 'it' : 'them'} says "reference … not found" in the collection — bundle the document first (e.g. redocly bundle): ${listed.join('; ')}`);
    }
    if (secrets.length > 0) notes.push(`secrets of its security schemes, empty secret variables in the environment: ${secrets.join(', ')} (fill them in Postman, or --env-var name=value)`);
  }
  await checkInterrupted(options.signal, `while reading ${file}`);
  const paired = pairCollection(source, { source: file.split(/[\\/]/).pop() ?? file, baseVar: options.baseVar, maxResponseTimeMs: options.maxResponseTimeMs });
  const others = paired.bases.filter((use) => use !== paired.base);
  notes.push(`base ${paired.base.base} (${paired.base.requests} request${paired.base.requests === 1 ? '' : 's'}) → {{gateway_url}} / {{backend_url}}${others.length > 0 ? `; also used: ${others.map((u) => `${u.base} (${u.requests})`).join(', ')} — pick another with --base-var` : ''}`);
  const baseValue = /^\{\{\s*([^{}]+?)\s*\}\}$/.exec(paired.base.base)?.[1];
  const value = baseValue === undefined ? undefined : (source.variable ?? []).find((v) => v.key === baseValue)?.value;
  const basePath = typeof value === 'string' && URL.canParse(value) ? new URL(value).pathname.replace(/\/+$/, '') : '';
  if (basePath !== '') notes.push(`${paired.base.base} was ${String(value)}: its path ${basePath} is part of the base now — include it in --gateway-url and --backend-url (e.g. http://127.0.0.1:8080${basePath})`);
  if (paired.leftOut.length > 0) notes.push(`left out (their URL does not start with ${paired.base.base}): ${paired.leftOut.join('; ')}`);
  if (paired.filledPathVariables.length > 0) notes.push(`path variables without a value, now collection variables set to "1": ${paired.filledPathVariables.join(', ')}`);
  if (paired.requests === 0) notes.push('no request to pair: the collection is empty');

  const name = String(paired.collection.info.name);
  const files: FileToWrite[] = [{ path: join(outDir, 'collections', `${slugify(name)}.postman_collection.json`), data: serializeJson(paired.collection) }];
  const environments: Record<string, EnvironmentConfig> = {};
  for (const [key, env] of Object.entries(options.environments)) {
    environments[key] = { ...env, secrets: [...new Set([...env.secrets, ...secrets])] };
    files.push({ path: join(outDir, 'environments', environmentFileName(key)), data: serializeJson(buildEnvironment(key, environments[key])) });
  }
  return { files, notes, collection: paired.collection as unknown as V2CollectionJson, environments };
}

/** Plans, then writes every file atomically; returns what was written and the notes. */
export async function generateFrom(options: GenerateFromOptions, outDir: string): Promise<GeneratedFiles & { notes: string[] }> {
  await checkOutputDirectory(outDir, '--out');
  const { files, notes, collection, environments } = await planGeneratedFrom(options, outDir);
  if (options.collectionFormat === 'v3') {
    return { ...(await writeV3Generated(collection, files.slice(1), planV3Environments({ environments }, outDir), outDir, options.signal)), notes };
  }
  for (const file of files) await checkOutputFile(file.path, '--out');
  await checkInterrupted(options.signal, 'before writing');
  await writeFilesAtomic(files, { signal: options.signal });
  return { collection: files[0].path, environments: files.slice(1).map((f) => f.path), notes };
}

/**
 * The one environment of `--gateway-url URL --backend-url URL [--env-name NAME]` (default `local`).
 * Throws InputError naming each flag that is missing or not an http(s) URL, and a bad name.
 */
export function environmentFromUrls(options: { gatewayUrl?: string; backendUrl?: string; envName?: string }): Record<string, EnvironmentConfig> {
  const problems: string[] = [];
  const check = (flag: string, value: string | undefined) => {
    if (value === undefined || value.trim() === '') problems.push(`${flag}: missing`);
    else if (!/^https?:\/\/[^/\s]+/i.test(value) || !URL.canParse(value)) problems.push(`${flag}: "${value}" is not an http(s) URL`);
  };
  check('--gateway-url', options.gatewayUrl);
  check('--backend-url', options.backendUrl);
  const name = options.envName ?? 'local';
  if (!/^[\w.-]+$/.test(name)) problems.push(`--env-name: "${name}" must be letters, digits, ".", "-" or "_" (it names the file)`);
  if (problems.length > 0) {
    throw new InputError('generate: the environment is not usable', problems, 'pass --gateway-url http://HOST:PORT --backend-url http://HOST:PORT (or --config FILE with environments)');
  }
  return { [name]: { gateway_url: options.gatewayUrl!.replace(/\/+$/, ''), backend_url: options.backendUrl!.replace(/\/+$/, ''), secrets: [] } };
}
