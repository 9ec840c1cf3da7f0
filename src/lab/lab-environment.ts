import { join } from 'node:path';
import { writeFileAtomic } from '../fs/atomic-write.js';
import { buildEnvironment, environmentFileName, type PostmanEnvironmentFile } from '../generate/build-environment.js';
import { serializeJson } from '../generate/generate.js';

/**
 * The Postman environment of a running lab: `gateway_url` and `backend_url`. The id is derived from
 * the name, so re-importing a new lab's file into Postman replaces the old one instead of adding one.
 */
export function buildLabEnvironment(urls: { gatewayUrl: string; backendUrl: string }, name = 'lab'): PostmanEnvironmentFile {
  return buildEnvironment(name, { gateway_url: urls.gatewayUrl, backend_url: urls.backendUrl, secrets: [] });
}

/** Writes `DIR/environments/<name>.postman_environment.json` atomically; returns its path. */
export async function writeLabEnvironment(dir: string, environment: PostmanEnvironmentFile): Promise<string> {
  const path = join(dir, 'environments', environmentFileName(environment.name));
  await writeFileAtomic(path, serializeJson(environment));
  return path;
}
