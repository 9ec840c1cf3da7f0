import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../errors.js';
import { readInputText } from '../fs/read-input.js';
import type { ResolvedConfig } from '../model.js';
import { CONFIG_HINT, DEFAULT_CONFIG_FILES } from './defaults.js';
import { parseConfigText } from './parse-config-text.js';
import { describeConfigIssues, type LineLocator } from './problems.js';
import { configSchema, configSchemaWithoutEndpoints } from './schema.js';

/**
 * Reads, parses (YAML, or JSON for `*.json`) and validates a config file.
 * Throws InputError (exit 2) naming the file: when it is missing or unreadable, on a syntax error
 * (with line and column), or listing every schema problem at once, each with its dotted path and line.
 * Messages name the file as `shownAs` (default `path`), e.g. relative to the user's directory.
 */
export async function loadConfig(path: string, shownAs: string = path, options: { endpointsOptional?: boolean; signal?: AbortSignal } = {}): Promise<ResolvedConfig> {
  const text = await readInputText(path, {
    kind: 'config',
    label: shownAs,
    notFound: 'config file not found',
    isDirectory: 'is a directory, not a config file',
    hint: 'check the path, or leave out --config to use debug502.config.yaml in the current directory; pass the config file itself, e.g. --config debug502.config.yaml',
    signal: options.signal,
  });
  const { raw, locate } = parseConfigText(text, shownAs);
  return resolveConfig(raw, shownAs, locate, options);
}

/**
 * Validates already-parsed config data (`file` only names it in messages) and applies the defaults.
 * Returns a new object: `raw` is never changed and shares nothing with the result. Every problem is
 * collected in one pass and thrown as one InputError whose `problems` hold one line each.
 */
export function resolveConfig(raw: unknown, file: string, locate?: LineLocator, options: { endpointsOptional?: boolean } = {}): ResolvedConfig {
  if (raw === null || raw === undefined) {
    throw new InputError(`${file}: the config is empty`, ['(top level): needs at least "environments" and "endpoints"'], CONFIG_HINT);
  }
  // generate --from-collection / --from-openapi takes only environments and assertions from a config.
  const schema = options.endpointsOptional ? configSchemaWithoutEndpoints : configSchema;
  const result = schema.safeParse(raw, { reportInput: true });
  if (!result.success) {
    const problems = describeConfigIssues(result.error.issues, locate);
    const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
    throw new InputError(`${file}: ${count} in the config`, problems, CONFIG_HINT);
  }
  const config: ResolvedConfig = { ...result.data, endpoints: result.data.endpoints ?? [] };
  // zod copies objects and lists, but hands an `unknown` body through as the same reference.
  config.endpoints = config.endpoints.map((endpoint) =>
    endpoint.body === undefined || typeof endpoint.body === 'string'
      ? endpoint
      : { ...endpoint, body: JSON.parse(JSON.stringify(endpoint.body)) as Record<string, unknown> | unknown[] },
  );
  return config;
}

/**
 * The config file to use when none is named: the first of DEFAULT_CONFIG_FILES found in `cwd`.
 * Throws InputError when there is none.
 */
export function findConfigFile(cwd: string): string {
  for (const name of DEFAULT_CONFIG_FILES) {
    const candidate = join(cwd, name);
    if (existsSync(candidate)) return candidate;
  }
  throw new InputError(
    `no config file in ${cwd}`,
    [`looked for ${DEFAULT_CONFIG_FILES.join(', ')}`],
    'pass --config FILE, or copy debug502.config.yaml from the debug502 package and edit it',
  );
}
