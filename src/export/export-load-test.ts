/**
 * `debug502 export`: the ramp as a load-test script for an engine that runs on many machines
 * (Locust, k6), written from the same request descriptions the fast engine sends.
 */
import { join, resolve } from 'node:path';
import { writeFileAtomic } from '../fs/atomic-write.js';
import type { PostmanCollection, PostmanEnvironment } from '../postman/load.js';
import { RAMP_DEFAULTS } from '../ramp/options.js';
import { loadRampInput } from '../ramp/load-input.js';
import { targetsOf } from '../ramp/plan.js';
import { describeTargets, type ExportSuite } from './describe-targets.js';
import { K6_SCRIPT_NAME, renderK6Script } from './render-k6.js';
import { LOCUSTFILE_NAME, renderLocustfile } from './render-locustfile.js';
import type { LoadTestOptions } from './options.js';

export type ExportFormat = 'locust' | 'k6';
export const EXPORT_FORMATS: readonly ExportFormat[] = ['locust', 'k6'];

export interface ExportInput {
  to: ExportFormat;
  collectionFile: string;
  environmentFile?: string;
  envVars?: Record<string, string>;
  /** A folder inside each target's folder. */
  folder?: string;
  options: LoadTestOptions;
  /** Where the script goes (created when missing). */
  outDir: string;
  /** Relative paths are read from here; default process.cwd(). */
  cwd?: string;
}

export interface ExportResult {
  path: string;
  suite: ExportSuite;
}

/**
 * Reads the collection and environment (checked as a ramp checks them), describes each target's
 * requests and writes the script atomically. InputError (exit 2) for bad input, nothing written.
 */
export async function exportLoadTest(input: ExportInput): Promise<ExportResult> {
  const cwd = input.cwd ?? process.cwd();
  const loaded = await loadRampInput({
    collectionFile: input.collectionFile,
    environmentFile: input.environmentFile,
    envVars: input.envVars,
    options: { ...RAMP_DEFAULTS, target: input.options.target },
    cwd,
  });
  // loadRampInput returns the files it loaded and checked, typed as the ramp takes them.
  const suite = describeTargets({ collection: loaded.collection as PostmanCollection, environment: loaded.environment as PostmanEnvironment, targets: targetsOf(input.options.target), folder: input.folder });
  const [name, content] = input.to === 'locust'
    ? [LOCUSTFILE_NAME, renderLocustfile(suite, input.options)]
    : [K6_SCRIPT_NAME, renderK6Script(suite, input.options)];
  const path = resolve(cwd, join(input.outDir, name));
  await writeFileAtomic(path, content);
  return { path, suite };
}
