import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../errors.js';
import { writeFilesAtomic, type FileToWrite } from '../fs/atomic-write.js';
import { replaceDirectory, type TreeFile } from '../fs/replace-directory.js';
import { checkOutputDirectory, checkOutputFile } from '../fs/check-output.js';
import { checkInterrupted } from '../interrupt.js';
import type { ResolvedConfig } from '../model.js';
import type { PostmanEnvironment } from '../postman/load.js';
import { v3CollectionDirName, v3EnvironmentFileName, writeV3Collection, writeV3Environment, type V2CollectionJson } from '../postman/v3/index.js';
import { buildCollection, collectionFileName, serializeCollection } from './build-collection.js';
import { buildEnvironment, environmentFileName } from './build-environment.js';

/** `v2.1`: one JSON file (newman, the Postman app's import). `v3`: a directory of YAML (Postman v12's Native Git). */
export type CollectionFormat = 'v2.1' | 'v3';
export const COLLECTION_FORMATS: readonly CollectionFormat[] = ['v2.1', 'v3'];

export interface GenerateOptions {
  /** Default `v2.1`. */
  collectionFormat?: CollectionFormat;
  /** Ctrl-C / SIGTERM: the write stops and its staged files are removed (InterruptedError, exit 130, nothing written). */
  signal?: AbortSignal;
}

/** What `generate` wrote. */
export interface GeneratedFiles {
  /** `<outDir>/collections/<slug>.postman_collection.json`, or with v3 the directory `<outDir>/postman/collections/<name>`. */
  collection: string;
  /** `<outDir>/environments/<key>.postman_environment.json`, in config order. */
  environments: string[];
  /** With v3: `<outDir>/postman/environments/<key>.environment.yaml`, in config order. */
  v3Environments?: string[];
}

/** Generated JSON as written to disk: two-space indent, trailing newline. */
export function serializeJson(value: unknown): string {
  return JSON.stringify(value, null, 2) + '\n';
}

/**
 * Every file `generate` writes for `config` under `outDir` in the v2.1 format, with its content;
 * the collection first, as chunks of text made while it is written (serializeCollection: a big
 * config is never held whole). Pure; a failure while writing leaves nothing (writeFilesAtomic).
 */
export function planGeneratedFiles(config: ResolvedConfig, outDir: string): FileToWrite[] {
  const files: FileToWrite[] = [
    { path: join(outDir, 'collections', collectionFileName(config)), data: serializeCollection(config) },
  ];
  for (const [key, env] of Object.entries(config.environments)) {
    files.push({ path: join(outDir, 'environments', environmentFileName(key)), data: serializeJson(buildEnvironment(key, env)) });
  }
  return files;
}

/** A v3 collection directory to write: where, and every file it holds. */
export interface V3CollectionPlan {
  /** `<outDir>/postman/collections/<collection name, file-safe>` */
  dir: string;
  files: TreeFile[];
}

/** `collection` as a v3 directory under `<outDir>/postman/collections/`, where Postman v12 looks in a repository. Pure. */
export function planV3Collection(collection: V2CollectionJson, outDir: string): V3CollectionPlan {
  return {
    dir: join(outDir, 'postman', 'collections', v3CollectionDirName(collection)),
    files: writeV3Collection(collection).map(({ path, text }) => ({ path, data: text })),
  };
}

/** `<outDir>/postman/environments/<key>.environment.yaml` for each environment of `config` (or these environments). Pure. */
export function planV3Environments(config: Pick<ResolvedConfig, 'environments'>, outDir: string): FileToWrite[] {
  return Object.entries(config.environments).map(([key, env]) => ({
    path: join(outDir, 'postman', 'environments', v3EnvironmentFileName(key)),
    data: writeV3Environment(buildEnvironment(key, env) as unknown as PostmanEnvironment),
  }));
}

/**
 * Writes `collection` as a v3 directory (replaced as a whole) and the environments, JSON and YAML
 * (all or none), every target checked first: InputError, nothing written, when the directory
 * exists and is not a v3 collection or a target cannot be written. Shared by `generate` and
 * `generate --from-*`.
 */
export async function writeV3Generated(collection: V2CollectionJson, environments: FileToWrite[], v3Environments: FileToWrite[], outDir: string, signal?: AbortSignal): Promise<GeneratedFiles> {
  const plan = planV3Collection(collection, outDir);
  assertReplaceable(plan.dir);
  for (const file of [...environments, ...v3Environments]) await checkOutputFile(file.path, '--out');
  await checkInterrupted(signal, 'before writing');
  // The directory first: a Ctrl-C while it is written leaves the environments untouched too.
  await replaceDirectory(plan.dir, plan.files, { signal });
  await writeFilesAtomic([...environments, ...v3Environments]);
  return { collection: plan.dir, environments: environments.map((f) => f.path), v3Environments: v3Environments.map((f) => f.path) };
}

/**
 * Writes the collection and one environment file per configured environment under `outDir`
 * (directories are created), all or none (writeFilesAtomic); returns their paths. With
 * `collectionFormat: 'v3'` the collection is a directory that is replaced as a whole (a request
 * renamed in the config leaves no stale file), and each environment is also written as YAML.
 * Throws InputError, writing nothing, when the v3 directory exists and is not a v3 collection.
 * Every target is checked first: InputError (exit 2, nothing written) when `outDir` is a file or a
 * target is a directory or unwritable.
 */
export async function generate(config: ResolvedConfig, outDir: string, options: GenerateOptions = {}): Promise<GeneratedFiles> {
  const files = planGeneratedFiles(config, outDir);
  const environments = files.slice(1);
  await checkOutputDirectory(outDir, '--out');
  if ((options.collectionFormat ?? 'v2.1') === 'v2.1') {
    for (const file of files) await checkOutputFile(file.path, '--out');
    await writeFilesAtomic(files, { signal: options.signal });
    return { collection: files[0].path, environments: environments.map((f) => f.path) };
  }
  return writeV3Generated(buildCollection(config), environments, planV3Environments(config, outDir), outDir, options.signal);
}

/** Refuses to replace a directory that is not a v3 collection: it may hold someone's work. */
function assertReplaceable(dir: string): void {
  if (existsSync(dir) && !existsSync(join(dir, '.resources', 'definition.yaml'))) {
    throw new InputError(`${dir}: exists and is not a v3 collection (no .resources/definition.yaml); debug502 will not replace it`, [],
      'move it away, or pass another --out');
  }
}
