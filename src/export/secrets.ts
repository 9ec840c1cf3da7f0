/**
 * Which variables of a collection hold secrets, for the load-test exports: they must never be written
 * into a generated script. A variable is secret when it has `type: "secret"` (environment or
 * collection), or when an `Authorization` / `Proxy-Authorization` header or an auth helper (at any
 * level) uses it. Pure.
 *
 * Local to the export room until the project-wide secrets function (#14) lands; then this uses it.
 */
import type { PostmanCollection, PostmanEnvironment, PostmanVariable } from '../postman/load.js';

/** Headers whose whole value is a credential. */
export const SECRET_HEADERS: ReadonlySet<string> = new Set(['authorization', 'proxy-authorization']);

const VARIABLE_REFERENCE = /\{\{([^{}$][^{}]*)\}\}/g;

/** The names of every secret variable, sorted. */
export function findSecretVariables(collection: PostmanCollection, environment: PostmanEnvironment | undefined): string[] {
  const names = new Set<string>();
  const typed = (variables: PostmanVariable[] | undefined) => {
    for (const v of variables ?? []) if (v.type === 'secret' && typeof v.key === 'string') names.add(v.key);
  };
  typed(environment?.values);
  typed(collection.variable);
  const referenced = (text: unknown) => {
    if (typeof text !== 'string') return;
    for (const match of text.matchAll(VARIABLE_REFERENCE)) names.add(match[1].trim());
  };
  walk(collection, (node) => {
    if (isObject(node.auth)) for (const value of authValues(node.auth)) referenced(value);
    const request = node.request;
    if (!isObject(request)) return;
    if (isObject(request.auth)) for (const value of authValues(request.auth)) referenced(value);
    if (Array.isArray(request.header)) {
      for (const header of request.header) {
        if (isObject(header) && typeof header.key === 'string' && SECRET_HEADERS.has(header.key.trim().toLowerCase())) referenced(header.value);
      }
    }
  });
  return [...names].sort();
}

/** Every string value of an auth object: `{ type: "bearer", bearer: [{ key: "token", value: "{{t}}" }] }` → ["{{t}}"]. */
function authValues(auth: Record<string, unknown>): string[] {
  const values: string[] = [];
  for (const [key, params] of Object.entries(auth)) {
    if (key === 'type') continue;
    if (Array.isArray(params)) for (const p of params) if (isObject(p) && typeof p.value === 'string') values.push(p.value);
    if (isObject(params)) for (const value of Object.values(params)) if (typeof value === 'string') values.push(value);
  }
  return values;
}

function walk(node: Record<string, unknown>, visit: (node: Record<string, unknown>) => void): void {
  visit(node);
  if (Array.isArray(node.item)) for (const child of node.item) if (isObject(child)) walk(child, visit);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The OS environment variable a secret is read from at run time: `api_token` → `DEBUG502_VAR_api_token`;
 * characters a shell cannot put in a name become `_`, and a clash gets `_2`, `_3`…
 */
export function secretEnvNames(names: readonly string[]): Map<string, string> {
  const result = new Map<string, string>();
  const taken = new Set<string>();
  for (const name of names) {
    const base = `DEBUG502_VAR_${name.replace(/[^A-Za-z0-9_]/g, '_')}`;
    let candidate = base;
    for (let n = 2; taken.has(candidate); n += 1) candidate = `${base}_${n}`;
    taken.add(candidate);
    result.set(name, candidate);
  }
  return result;
}
