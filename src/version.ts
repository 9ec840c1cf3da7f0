import { readFileSync } from 'node:fs';

/** The package version, read once from package.json (same relative place from src/ and dist/). */
export const VERSION: string = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

/** The package root: templates/ and package.json live here, from src/ (tests) and dist/ alike. */
export const PACKAGE_ROOT = new URL('../', import.meta.url);
