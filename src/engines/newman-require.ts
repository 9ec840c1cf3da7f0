import { createRequire } from 'node:module';

/** `require` as newman's own files resolve it: the module instances newman itself runs with (its lib/, postman-runtime and what that loads). */
export function requireFromNewman(): NodeJS.Require {
  return createRequire(createRequire(import.meta.url).resolve('newman'));
}

/** `require` as newman's postman-runtime resolves it: the postman-sandbox its runs use. */
export function requireFromRuntime(): NodeJS.Require {
  return createRequire(requireFromNewman().resolve('postman-runtime'));
}
