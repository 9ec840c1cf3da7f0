import type { RampOptions } from '../model.js';
import { InputError } from '../errors.js';
import type { ClientTls } from '../postman/client-tls.js';
import type { IterationRow } from '../postman/newman-inputs.js';
import { applyEnvVars, loadCollection, loadEnvironment, type CollectionReadOptions, type PostmanEnvironment } from '../postman/load.js';
import { narrowToFolders } from '../postman/items.js';
import { describeEnvironmentSource } from '../postman/env-var-list.js';
import { checkRouteVariables, readMaxLatencyMs } from '../run/run-collection.js';
import { findTargetFolder } from './folder.js';
import { targetsOf } from './plan.js';
import type { RampInput } from './run-ramp.js';

export interface RampFiles {
  collectionFile: string;
  environmentFile?: string;
  /** `--env-var` overrides, already parsed. */
  envVars?: Record<string, string>;
  /** `-g` globals (loaded, `--global-var` applied) and `-d` rows: newman engine only. */
  globals?: PostmanEnvironment;
  iterationData?: IterationRow[];
  options: RampOptions;
  /** `--folder`: ramp only these folders (or requests), found inside each route folder. */
  folders?: string[];
  /** `-k`: accept TLS certificates that do not verify. */
  insecure?: boolean;
  /** newman's TLS flags, read (postman/client-tls.ts). */
  tls?: ClientTls;
  /** `--cookie-jar` (tough-cookie JSON text): newman engine only. */
  cookieJar?: string;
  /** Relative paths are read from here; default process.cwd(). */
  cwd?: string;
  /** `--working-dir`, `--no-insecure-file-read`, and the signal that stops a wait on a pipe (CollectionReadOptions). */
  read?: CollectionReadOptions;
}

/**
 * Reads the collection and environment, applies the overrides, and checks — before any request —
 * that each ramped target has its folder and its URL variable (`gateway_url` / `backend_url`) set:
 * only the folders ramped are checked, so `--target gateway` needs no backend_url.
 * Every problem is an InputError (exit 2).
 */
export async function loadRampInput(files: RampFiles): Promise<RampInput> {
  const collection = narrowToFolders(await loadCollection(files.collectionFile, files.cwd, files.read), files.folders ?? [], files.collectionFile);
  const loaded = files.environmentFile === undefined ? undefined : await loadEnvironment(files.environmentFile, files.cwd, { signal: files.read?.signal });
  const environment = applyEnvVars(loaded, files.envVars ?? {});
  if ((files.globals || files.iterationData) && files.options.engine === 'fast') {
    throw new InputError('--globals, --global-var and --iteration-data need --engine newman', [], 'the fast engine sends the requests with the environment\'s variables only; drop those options or ramp with --engine newman');
  }
  if (files.cookieJar !== undefined && files.options.engine === 'fast') {
    throw new InputError('--cookie-jar needs --engine newman', [], 'the fast engine keeps no cookie jar; drop it, set the cookie in the collection\'s Cookie header, or ramp with --engine newman');
  }
  const scope = files.globals ? { ...environment, values: [...environment.values, ...files.globals.values] } : environment;
  const folders = targetsOf(files.options.target).map((target) => findTargetFolder(collection, target, files.collectionFile));
  checkRouteVariables({ ...collection, item: folders }, scope, { collection: files.collectionFile, environment: files.environmentFile });
  return {
    collection,
    environment,
    ...(files.globals ? { globals: files.globals } : {}),
    ...(files.iterationData ? { iterationData: files.iterationData } : {}),
    options: files.options,
    labels: { collection: files.collectionFile, environment: describeEnvironmentSource(files.environmentFile, files.envVars) },
    maxResponseTimeMs: readMaxLatencyMs(collection, environment),
    ...(files.insecure ? { insecure: true } : {}),
    ...(files.tls ? { tls: files.tls } : {}),
    ...(files.cookieJar !== undefined ? { cookieJar: files.cookieJar } : {}),
  };
}
