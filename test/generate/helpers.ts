import { existsSync, readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import AjvDraft04 from 'ajv-draft-04';
import newman from 'newman';
import { expect } from 'vitest';
import type { ResolvedConfig } from '../../src/model.js';

/** The repository root (this file is test/generate/helpers.ts). */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The official collection schema lives beside the repository, in ../shared/schemas/. */
export const SCHEMA_PATH = fileURLToPath(new URL('../../../shared/schemas/postman-collection-v2.1.0.schema.json', import.meta.url));
export const FIXTURE_DIR = fileURLToPath(new URL('../../../shared/fixtures/collections/', import.meta.url));

/**
 * Why the checks against the official schema skip, or undefined when `../shared` is beside the
 * repository. A fresh clone has no `../shared`: its suite passes and says, once, what it skipped.
 * CI has `../shared` and sets DEBUG502_REQUIRE_SHARED=1 (see .ci/run), so there a missing schema fails.
 */
export const SCHEMA_SKIP_REASON: string | undefined = existsSync(SCHEMA_PATH) || process.env.DEBUG502_REQUIRE_SHARED
  ? undefined
  : `the official Postman collection schema is not beside the repository (looked for ${SCHEMA_PATH}): schema checks skip; CI has ../shared and runs them`;
if (SCHEMA_SKIP_REASON) console.warn(`skip: ${SCHEMA_SKIP_REASON}`);

/** Asserts `json` is a valid v2.1.0 collection; skips (the reason printed once) when the schema is absent. */
export function expectValidCollection(json: unknown): void {
  if (SCHEMA_SKIP_REASON) return;
  expect(loadCollectionValidator()(json).errors).toEqual([]);
}

/** An ajv validator for the official Postman v2.1.0 (draft-04) schema; fails clearly when it is missing. */
export function loadCollectionValidator(): (json: unknown) => { valid: boolean; errors: string[] } {
  if (!existsSync(SCHEMA_PATH)) {
    throw new Error(`the official Postman collection schema is missing: looked for ${SCHEMA_PATH} (../shared/schemas/ relative to the repository)`);
  }
  // A CommonJS module with `exports.default`: under NodeNext typing the class sits on `.default`.
  const Ajv = (AjvDraft04 as unknown as { default: typeof AjvDraft04.default }).default ?? AjvDraft04;
  // strict: false — the official schema uses draft-04 keywords that ajv's strict mode rejects.
  const ajv = new Ajv({ allErrors: true, strict: false });
  const validate = ajv.compile(JSON.parse(readFileSync(SCHEMA_PATH, 'utf8')));
  return (json) => {
    const valid = validate(json) as boolean;
    return { valid, errors: (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`) };
  };
}

/** A config as resolveConfig would return it, for generator tests. */
export function makeConfig(overrides: Partial<ResolvedConfig> = {}): ResolvedConfig {
  return {
    name: '502 Debugging',
    assertions: { maxResponseTimeMs: 5000 },
    environments: { local: { gateway_url: 'http://127.0.0.1:8080', backend_url: 'http://127.0.0.1:3000', secrets: [] } },
    health: { path: '/health', method: 'GET' },
    endpoints: [
      { name: 'List users', method: 'GET', path: '/api/users', query: { page: '1' }, headers: { Accept: 'application/json' }, expectStatus: 200 },
      { name: 'Create user', method: 'POST', path: '/api/users', query: {}, headers: {}, body: { name: 'Ada' }, expectStatus: 201 },
    ],
    ...overrides,
  };
}

export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface TinyServer {
  url: string;
  port: number;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

/** An HTTP server on 127.0.0.1 (port 0) that records every request and answers `status`. */
export async function startTinyServer(status = 200, delayMs = 0): Promise<TinyServer> {
  const requests: RecordedRequest[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      setTimeout(() => {
        res.writeHead(status, { 'content-type': 'application/json', connection: 'close' });
        res.end(JSON.stringify({ status }));
      }, delayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export interface AssertionResult {
  item: string;
  name: string;
  passed: boolean;
  message?: string;
}

export interface NewmanResult {
  assertions: AssertionResult[];
  requests: number;
  /** The globals after the run, key → value. */
  globals: Record<string, unknown>;
  /** Errors thrown by scripts (a test script that does not compile shows up here). */
  scriptErrors: string[];
}

/** Runs a collection with the newman library, no reporters, and collects what it asserted. */
export function runWithNewman(collection: object, environment: object, envVar: { key: string; value: string }[] = []): Promise<NewmanResult> {
  const assertions: AssertionResult[] = [];
  const scriptErrors: string[] = [];
  let requests = 0;
  return new Promise((resolve, reject) => {
    newman
      .run({ collection, environment, envVar, reporters: [], timeoutRequest: 10_000 } as newman.NewmanRunOptions, (err, summary) => {
        if (err) return reject(err);
        const globals: Record<string, unknown> = {};
        for (const v of (summary.globals as unknown as { values: { all(): { key: string; value: unknown }[] } }).values.all()) globals[v.key] = v.value;
        resolve({ assertions, requests, globals, scriptErrors });
      })
      .on('request', () => void requests++)
      .on('assertion', (err, args: { assertion: string; item: { name: string } }) => {
        assertions.push({ item: args.item.name, name: args.assertion, passed: !err, message: err?.message });
      })
      .on('script', (err) => {
        if (err) scriptErrors.push(String((err as Error).message));
      })
      .on('exception', (_err, args: { error?: Error }) => {
        scriptErrors.push(String(args?.error?.message));
      });
  });
}
