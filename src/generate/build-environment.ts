import type { EnvironmentConfig } from '../model.js';
import { ROUTE_VARIABLE } from '../model.js';
import { stableUuid } from './stable-id.js';

/** One variable of a Postman environment file. */
export interface PostmanEnvironmentValue {
  key: string;
  value: string;
  type: 'default' | 'secret';
  enabled: true;
}

/** A Postman environment file, as the Postman app exports it (minus the export timestamp). */
export interface PostmanEnvironmentFile {
  id: string;
  name: string;
  values: PostmanEnvironmentValue[];
  _postman_variable_scope: 'environment';
}

/** `<key>.postman_environment.json`, where `generate` (and `lab`) write environment `key` under `environments/`. */
export function environmentFileName(key: string): string {
  return `${key}.postman_environment.json`;
}

/**
 * The Postman environment `key` of the config: `gateway_url`, `backend_url`, then each secret with
 * type "secret" and an empty value (secrets are never written to disk). The id is derived from the
 * name, so re-importing after a change replaces the environment in Postman.
 */
export function buildEnvironment(key: string, env: EnvironmentConfig): PostmanEnvironmentFile {
  return {
    id: stableUuid(`debug502 environment ${key}`),
    name: key,
    values: [
      { key: ROUTE_VARIABLE.gateway, value: env.gateway_url, type: 'default', enabled: true },
      { key: ROUTE_VARIABLE.backend, value: env.backend_url, type: 'default', enabled: true },
      ...env.secrets.map((secret): PostmanEnvironmentValue => ({ key: secret, value: '', type: 'secret', enabled: true })),
    ],
    _postman_variable_scope: 'environment',
  };
}
