import { parseEnvVar } from './load.js';

/**
 * What a report says the environment was: the file as given, and the `--env-var` keys that
 * overrode it (keys only — a value may be a secret): `local.json + --env-var gateway_url`,
 * `--env-var gateway_url, backend_url` without a file, '' with neither.
 */
export function describeEnvironmentSource(file: string | undefined, envVars: Readonly<Record<string, string>> | undefined): string {
  const keys = Object.keys(envVars ?? {});
  const overrides = keys.length > 0 ? `--env-var ${keys.join(', ')}` : '';
  return [file ?? '', overrides].filter(Boolean).join(' + ');
}

/** Repeated `--env-var key=value` → { key: value } (a later key wins); InputError on a bad one. */
export function parseEnvVars(values: readonly string[] | undefined): Record<string, string> {
  return Object.fromEntries((values ?? []).map(parseEnvVar).map(({ key, value }) => [key, value]));
}
