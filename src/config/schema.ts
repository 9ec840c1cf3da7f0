import { HEALTH_REQUEST_NAME } from '../model.js';
import { z } from 'zod';
import { ROUTE_VARIABLE, type HttpMethod } from '../model.js';
import { CONFIG_DEFAULTS, HTTP_METHODS } from './defaults.js';

/**
 * The config file's schema (zod 4). Every object is strict (an unknown key is a problem, so a typo
 * never silently drops a setting), every default comes from CONFIG_DEFAULTS, and checks that span
 * several fields run even when other fields are already wrong, so one pass reports everything.
 */

/** YAML reads `page: 1` or `name: 404` as a number; a value, header or name is text either way. */
const scalarText = z.preprocess((v) => (typeof v === 'number' || typeof v === 'boolean' ? String(v) : v), z.string());

const nonBlank = scalarText.refine((s) => s.trim() !== '', 'must not be empty');

const method = z.preprocess(
  (v) => (typeof v === 'string' ? v.toUpperCase() : v),
  z.enum(HTTP_METHODS as [HttpMethod, ...HttpMethod[]], { error: `must be one of ${HTTP_METHODS.join(', ')}` }),
);

const path = z
  .string()
  .refine((p) => p.startsWith('/'), 'must start with "/"')
  .refine((p) => !/[?#]/.test(p), 'must not contain "?" or "#": put query parameters under "query"')
  .refine((p) => !/\s/.test(p), 'must not contain spaces or line breaks');

/** True for an absolute http: or https: URL without query or fragment (paths are appended to it). */
export function isHttpBaseUrl(text: string): boolean {
  if (/\s/.test(text)) return false;
  try {
    const url = new URL(text);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.search === '' && url.hash === '' && !text.includes('#');
  } catch {
    return false;
  }
}

// A trailing slash would double up with the endpoint's leading one: {{gateway_url}}/api/users.
const baseUrl = z
  .string()
  .refine(isHttpBaseUrl, 'must be an http(s) URL without query or fragment, e.g. http://127.0.0.1:8080')
  .transform((u) => u.replace(/\/+$/, ''));

const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
const RESERVED_VARIABLES = new Set(Object.values(ROUTE_VARIABLE));

const secrets = z
  .array(z.string().regex(VARIABLE_NAME, 'must be a variable name (letters, digits, _ . -; not starting with a digit)'))
  .check(
    z.superRefine((names, ctx) => {
      if (!Array.isArray(names)) return;
      names.forEach((name, i) => {
        if (RESERVED_VARIABLES.has(name)) ctx.addIssue({ code: 'custom', path: [i], message: `"${name}" is set by debug502 itself; pick another name` });
        const first = names.indexOf(name);
        if (first !== i) ctx.addIssue({ code: 'custom', path: [i], message: `duplicate of secrets[${first}]` });
      });
    }, { when: () => true }),
  );

const environment = z
  .object({ gateway_url: baseUrl, backend_url: baseUrl, secrets: secrets.default(() => []) })
  .strict();

// Each key names a file: environments/<key>.postman_environment.json.
const ENVIRONMENT_KEY = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
const environments = z
  .record(z.string().regex(ENVIRONMENT_KEY, 'must be a file-name-safe name (letters, digits, _ . -)'), environment)
  .refine((envs) => Object.keys(envs).length > 0, 'needs at least one environment, e.g. local: { gateway_url: …, backend_url: … }');

// RFC 9110 token characters.
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const headers = z.record(
  z.string().regex(HEADER_NAME, 'must be a valid HTTP header name'),
  scalarText.refine((v) => !/[\r\n]/.test(v), 'must not contain line breaks'),
);

const body = z.union([z.string(), z.record(z.string(), z.unknown()), z.array(z.unknown())], {
  error: 'must be an object or list (sent as JSON) or a string (sent raw)',
});

const expectStatus = z
  .number({ error: 'must be an HTTP status code (100–599)' })
  .int('must be an HTTP status code (100–599)')
  .min(100, 'must be an HTTP status code (100–599)')
  .max(599, 'must be an HTTP status code (100–599)');

const endpoint = z
  .object({
    name: nonBlank,
    method: method.default(CONFIG_DEFAULTS.method),
    path,
    query: z.record(z.string(), scalarText).default(() => ({})),
    headers: headers.default(() => ({})),
    body: body.optional(),
    expectStatus: expectStatus.optional(),
  })
  .strict();

// Gateway and backend requests are paired by name, so two endpoints may not share one.
const endpoints = z
  .array(endpoint)
  .min(1, 'needs at least one endpoint, e.g. - { name: List users, path: /api/users }')
  .check(
    z.superRefine((list, ctx) => {
      if (!Array.isArray(list)) return;
      const firstByName = new Map<string, number>();
      list.forEach((item, i) => {
        const name = (item as { name?: unknown } | null)?.name;
        if (typeof name !== 'string') return;
        // run pairs requests by name and diagnose tells the health request by it: an endpoint may not take it.
        if (name.trim().toLowerCase() === HEALTH_REQUEST_NAME.toLowerCase()) {
          ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `"${HEALTH_REQUEST_NAME}" is the name of debug502's own health request (set it with health.path); pick another name` });
        }
        const first = firstByName.get(name);
        if (first === undefined) firstByName.set(name, i);
        else ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `duplicate of endpoints[${first}].name ("${name}"): names pair the gateway and backend requests` });
      });
    }, { when: () => true }),
  );

const assertions = z
  .object({
    maxResponseTimeMs: z
      .number()
      .int('must be a whole number of milliseconds')
      .positive('must be above 0')
      .default(CONFIG_DEFAULTS.maxResponseTimeMs),
  })
  .strict();

const health = z.object({ path, method: method.default(CONFIG_DEFAULTS.healthMethod) }).strict();

/** The whole config file. Its output type is ResolvedConfig (checked in load-config.ts). */
export const configSchema = z
  .object({
    name: nonBlank.default(CONFIG_DEFAULTS.name),
    assertions: assertions.default(() => ({ maxResponseTimeMs: CONFIG_DEFAULTS.maxResponseTimeMs })),
    environments,
    health: health.optional(),
    endpoints,
  })
  .strict();

/** The config without endpoints: what generate --from-collection / --from-openapi reads from it. */
export const configSchemaWithoutEndpoints = configSchema.partial({ endpoints: true });
