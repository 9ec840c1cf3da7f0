/**
 * `debug502 export`: the ramp as a load-test script for an engine that runs on many machines
 * (Locust, k6), written from the same request descriptions the fast engine sends.
 */
import { join, resolve } from 'node:path';
import { InputError } from '../errors.js';
import { writeFileAtomic } from '../fs/atomic-write.js';
import { checkOutputDirectory } from '../fs/check-output.js';
import { checkInterrupted } from '../interrupt.js';
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
  /** `-g` globals (loaded, `--global-var` applied): below the environment, as newman resolves them. */
  globals?: PostmanEnvironment;
  /** `--working-dir`, `--no-insecure-file-read`: the files the collection's requests send, checked as run checks them. */
  workingDir?: string;
  insecureFileRead?: boolean;
  /** A folder inside each target's folder. */
  folder?: string;
  options: LoadTestOptions;
  /** Where the script goes (created when missing). */
  outDir: string;
  /** Relative paths are read from here; default process.cwd(). */
  cwd?: string;
  /** Ctrl-C / SIGTERM: stop between the phases and while writing, nothing written (InterruptedError, exit 130). */
  signal?: AbortSignal;
}

export interface ExportResult {
  path: string;
  suite: ExportSuite;
}

/**
 * Refuses what a format cannot run faithfully: Locust has no open-model executor. Its users are
 * closed loops (each waits for its answer), and `constant_throughput` only caps a user's pace: when
 * the target slows down, the offered rate silently falls instead of arrivals being dropped and
 * counted — the very slowdown that comes before the 502s would hide the breaking point. k6's
 * ramping-arrival-rate is the open model. InputError (exit 2).
 */
export function checkExportModel(to: ExportFormat, options: Pick<LoadTestOptions, 'mode'>): void {
  if (to === 'locust' && options.mode === 'rate') {
    throw new InputError('--to locust --mode rate: Locust cannot offer an arrival rate', [
      'Locust users wait for each answer (a closed model); constant_throughput only caps a user\'s pace, so a slow target lowers the offered rate instead of dropping arrivals, and the slowdown before the 502s would hide the breaking point',
    ], 'use --to k6 --mode rate (k6\'s ramping-arrival-rate is the open model), or --to locust with --mode concurrency (users)');
  }
}

/**
 * Reads the collection and environment (checked as a ramp checks them), describes each target's
 * requests and writes the script atomically. InputError (exit 2) for bad input or an `outDir` that
 * cannot receive the script (checked first), InterruptedError (exit 130) on `signal`: nothing written.
 */
export async function exportLoadTest(input: ExportInput): Promise<ExportResult> {
  checkExportModel(input.to, input.options);
  const cwd = input.cwd ?? process.cwd();
  const name = input.to === 'locust' ? LOCUSTFILE_NAME : K6_SCRIPT_NAME;
  const path = resolve(cwd, join(input.outDir, name));
  // Before the collection is read: a 50,000-request collection takes seconds to describe.
  await checkOutputDirectory(resolve(cwd, input.outDir), '--out', [name]);
  const { signal } = input;
  const loaded = await loadRampInput({
    collectionFile: input.collectionFile,
    environmentFile: input.environmentFile,
    envVars: input.envVars,
    options: { ...RAMP_DEFAULTS, target: input.options.target },
    ...(input.globals ? { globals: input.globals } : {}),
    cwd,
    read: { workingDir: input.workingDir, insecureFileRead: input.insecureFileRead, signal },
  });
  await checkInterrupted(signal, 'while reading the collection');
  // loadRampInput returns the files it loaded and checked, typed as the ramp takes them.
  const environment = loaded.environment as PostmanEnvironment;
  const scope = input.globals ? { ...environment, values: [...environment.values, ...input.globals.values] } : environment;
  const suite = describeTargets({ collection: loaded.collection as PostmanCollection, environment: scope, targets: targetsOf(input.options.target), folder: input.folder });
  await checkInterrupted(signal, 'while describing the requests');
  const content = input.to === 'locust' ? renderLocustfile(suite, input.options) : renderK6Script(suite, input.options);
  await checkInterrupted(signal, 'before writing');
  await writeFileAtomic(path, content, { signal });
  return { path, suite };
}
