/** The config room: a YAML or JSON file in, a validated ResolvedConfig with defaults applied out. */
export { loadConfig, resolveConfig, findConfigFile } from './load-config.js';
export { parseConfigText, createLineLocator, type ParsedConfigText } from './parse-config-text.js';
export { formatConfigPath, describeConfigIssues, type ConfigPath, type LineLocator } from './problems.js';
export { CONFIG_DEFAULTS, DEFAULT_CONFIG_FILES, HTTP_METHODS, CONFIG_HINT, CONFIG_SYNTAX_HINT } from './defaults.js';
export { configSchema, isHttpBaseUrl } from './schema.js';
