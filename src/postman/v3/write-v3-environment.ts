import { stringify } from 'yaml';
import type { PostmanEnvironment } from '../load.js';

/** Where Postman v12's Native Git keeps environment `name`: `postman/environments/<name>.environment.yaml`. */
export function v3EnvironmentFileName(name: string): string {
  return `${name}.environment.yaml`;
}

/**
 * A Postman environment as the YAML file Native Git keeps beside v3 collections: the same
 * `id`, `name` and `values` as the JSON export, in YAML. `postman collection run -e FILE.yaml`
 * (Postman CLI 1.34.0) reads it; newman does not read YAML, so `generate` writes the JSON file too.
 */
export function writeV3Environment(environment: PostmanEnvironment): string {
  const { id, name, values } = environment;
  return stringify({ ...(id === undefined ? {} : { id }), name, values }, { lineWidth: 0 });
}
