import { join } from 'node:path';
import { writeFilesAtomic, type FileToWrite } from '../fs/atomic-write.js';
import type { ResolvedConfig } from '../model.js';
import { buildCollection, collectionFileName } from './build-collection.js';
import { buildEnvironment, environmentFileName } from './build-environment.js';

/** What `generate` wrote. */
export interface GeneratedFiles {
  /** `<outDir>/collections/<slug>.postman_collection.json` */
  collection: string;
  /** `<outDir>/environments/<key>.postman_environment.json`, in config order. */
  environments: string[];
}

/** Generated JSON as written to disk: two-space indent, trailing newline. */
export function serializeJson(value: unknown): string {
  return JSON.stringify(value, null, 2) + '\n';
}

/**
 * Every file `generate` writes for `config` under `outDir`, with its content; the collection first.
 * Pure: builds everything in memory, so a failure happens before anything is written.
 */
export function planGeneratedFiles(config: ResolvedConfig, outDir: string): FileToWrite[] {
  const files: FileToWrite[] = [
    { path: join(outDir, 'collections', collectionFileName(config)), data: serializeJson(buildCollection(config)) },
  ];
  for (const [key, env] of Object.entries(config.environments)) {
    files.push({ path: join(outDir, 'environments', environmentFileName(key)), data: serializeJson(buildEnvironment(key, env)) });
  }
  return files;
}

/**
 * Writes the collection and one environment file per configured environment under `outDir`
 * (directories are created), each atomically (temp file + rename); returns their paths.
 */
export async function generate(config: ResolvedConfig, outDir: string): Promise<GeneratedFiles> {
  const files = planGeneratedFiles(config, outDir);
  await writeFilesAtomic(files);
  return { collection: files[0].path, environments: files.slice(1).map((f) => f.path) };
}
