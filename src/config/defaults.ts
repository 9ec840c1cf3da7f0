import type { HttpMethod } from '../model.js';

/**
 * Every default of the config file, in one place: the schema applies these and nothing else, and
 * the README's config reference quotes them.
 */
export const CONFIG_DEFAULTS = {
  /** The collection's name; also the slug of its file name. */
  name: '502 Debugging',
  /** The guide's "Response under 5 seconds". */
  maxResponseTimeMs: 5000,
  method: 'GET' as HttpMethod,
  healthMethod: 'GET' as HttpMethod,
} as const;

/** Where `loadConfig` looks when no `--config` is given, in this order, in the working directory. */
export const DEFAULT_CONFIG_FILES: readonly string[] = ['debug502.config.yaml', 'debug502.config.yml', 'debug502.config.json'];

export const HTTP_METHODS: readonly HttpMethod[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];

/** The hint every config InputError carries. */
export const CONFIG_HINT = 'fix the problems listed above; the config reference is in README.md ("Config")';

/** The hint of a config file that does not parse. */
export const CONFIG_SYNTAX_HINT = 'fix the syntax at the line shown (YAML indents with spaces; JSON needs double quotes and no trailing commas)';
