import { join } from 'node:path';
import { writeFileAtomic } from '../fs/atomic-write.js';
import { checkOutputFile } from '../fs/check-output.js';
import { buildEnvironment, environmentFileName, type PostmanEnvironmentFile } from '../generate/build-environment.js';
import { serializeJson } from '../generate/generate.js';

/**
 * The Postman environment of a running lab: `gateway_url` and `backend_url`. The id is derived from
 * the name, so re-importing a new lab's file into Postman replaces the old one instead of adding one.
 */
export function buildLabEnvironment(urls: { gatewayUrl: string; backendUrl: string }, name = 'lab'): PostmanEnvironmentFile {
  return buildEnvironment(name, { gateway_url: urls.gatewayUrl, backend_url: urls.backendUrl, secrets: [] });
}

/** Where writeLabEnvironment writes: `DIR/environments/<name>.postman_environment.json`. */
export function labEnvironmentPath(dir: string, name = 'lab'): string {
  return join(dir, 'environments', environmentFileName(name));
}

/**
 * Checks, before the lab starts, that its environment file can be written (InputError naming the
 * path otherwise: exit 2 with no server started).
 */
export async function checkLabEnvironmentOutput(dir: string, name = 'lab'): Promise<void> {
  await checkOutputFile(labEnvironmentPath(dir, name), 'the lab environment file (in the current directory)');
}

/** Writes `DIR/environments/<name>.postman_environment.json` atomically; returns its path. */
export async function writeLabEnvironment(dir: string, environment: PostmanEnvironmentFile): Promise<string> {
  const path = labEnvironmentPath(dir, environment.name);
  await writeFileAtomic(path, serializeJson(environment));
  return path;
}
