import { parseEnvVar } from './load.js';

/** Repeated `--env-var key=value` → { key: value } (a later key wins); InputError on a bad one. */
export function parseEnvVars(values: readonly string[] | undefined): Record<string, string> {
  return Object.fromEntries((values ?? []).map(parseEnvVar).map(({ key, value }) => [key, value]));
}
