import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { writeFileAtomic } from '../fs/atomic-write.js';

/** A Postman environment file, as the Postman app exports it. */
export interface PostmanEnvironment {
  id: string;
  name: string;
  values: { key: string; value: string; type: 'default'; enabled: true }[];
  _postman_variable_scope: 'environment';
}

/**
 * The Postman environment of a running lab: `gateway_url` and `backend_url`. The id is derived from
 * the name, so re-importing a new lab's file into Postman replaces the old one instead of adding one.
 */
export function buildLabEnvironment(urls: { gatewayUrl: string; backendUrl: string }, name = 'lab'): PostmanEnvironment {
  return {
    id: uuidFrom(`debug502 environment ${name}`),
    name,
    values: [
      { key: 'gateway_url', value: urls.gatewayUrl, type: 'default', enabled: true },
      { key: 'backend_url', value: urls.backendUrl, type: 'default', enabled: true },
    ],
    _postman_variable_scope: 'environment',
  };
}

/** Writes `DIR/environments/<name>.postman_environment.json` atomically; returns its path. */
export async function writeLabEnvironment(dir: string, environment: PostmanEnvironment): Promise<string> {
  const path = join(dir, 'environments', `${environment.name}.postman_environment.json`);
  await writeFileAtomic(path, JSON.stringify(environment, null, 2) + '\n');
  return path;
}

/** A stable UUID-shaped id (version 5 layout) from a text. */
function uuidFrom(text: string): string {
  const hex = createHash('sha1').update(text).digest('hex');
  const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
