/**
 * Secrets are known the moment an input is read, not when a command gets round to asking: the
 * collection and environment loaders (load.ts) note every collection, environment and set of
 * overrides they produce, and the listener of the scope they run in (the CLI's masking Io, see
 * cli/main.ts) is told each secret value the first time it is found (secret-values.ts). So an
 * error thrown right after a file is read — `gateway_url: must be an http(s) URL, got "…"` — is
 * masked like any report line, whichever command read the file, and a new command cannot forget
 * to register what it loaded. Outside a scope (library callers, step workers) noting costs nothing.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { findSecretValues } from './secret-values.js';

/** Told each newly found secret value (never one twice). */
export type SecretListener = (values: readonly string[]) => void;

interface Scope {
  listener: SecretListener;
  collections: unknown[];
  environments: unknown[];
  known: Set<string>;
}

const scopes = new AsyncLocalStorage<Scope>();

/** Runs `fn` with `listener` told of the secrets of every input loaded during it (async work included). */
export function withSecretListener<T>(listener: SecretListener, fn: () => T): T {
  return scopes.run({ listener, collections: [], environments: [], known: new Set() }, fn);
}

/**
 * Called by the loaders with what they read, as plain JSON: a collection, or an environment (also
 * one with `--env-var` overrides applied, and globals). Each is paired with every one of the other
 * kind noted before, so an auth field `{{token}}` read from a collection finds the token's value in
 * an environment read after it. No-op outside a scope.
 */
export function noteSecretSources(sources: { collection?: unknown; environment?: unknown }): void {
  const scope = scopes.getStore();
  if (!scope) return;
  const found: string[] = [];
  const take = (collection: unknown, environment: unknown) => {
    for (const value of findSecretValues({ collection, environment })) {
      if (scope.known.has(value)) continue;
      scope.known.add(value);
      found.push(value);
    }
  };
  if (sources.collection !== undefined) {
    scope.collections.push(sources.collection);
    for (const environment of [undefined, ...scope.environments]) take(sources.collection, environment);
  }
  if (sources.environment !== undefined) {
    scope.environments.push(sources.environment);
    for (const collection of [undefined, ...scope.collections]) take(collection, sources.environment);
  }
  if (found.length > 0) scope.listener(found);
}

/** Secret values given outright (a `--ssl-client-passphrase`): the scope's listener is told those it does not know yet. No-op outside a scope. */
export function noteSecretValues(values: readonly string[]): void {
  const scope = scopes.getStore();
  if (!scope) return;
  const found = values.filter((value) => value !== '' && !scope.known.has(value));
  for (const value of found) scope.known.add(value);
  if (found.length > 0) scope.listener(found);
}
