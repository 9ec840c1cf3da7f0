/**
 * The newman adapter: the only file that imports newman. It hands newman plain JSON with no
 * reporters and turns its events into our own RequestOutcome records.
 *
 * We never keep `summary.run.executions`: newman appends every response to it and it grows without
 * bound (newman issues #941, #2483). Callers that send many requests use `iterationCount: 1` runs
 * in a loop (see the ramp engine), which keeps each run's own bookkeeping small.
 */
import newman from 'newman';
import type { RequestOutcome, Route, TestOutcome } from '../model.js';
import { ROUTE_VARIABLE } from '../model.js';

export interface NewmanRunInput {
  /** A Postman v2.x collection as plain JSON. */
  collection: object;
  /** A Postman environment as plain JSON. */
  environment?: object;
  /** Overrides on top of the environment, e.g. { gateway_url: "http://…" }. */
  envVars?: Record<string, string>;
  /** Run only these folders (or requests) by name. */
  folder?: string | string[];
  iterationCount?: number;
  /** Per-request timeout; 0 means none. */
  timeoutRequestMs?: number;
  insecure?: boolean;
  /** Let newman print its own CLI output (stdout) — for `--verbose`. */
  verbose?: boolean;
}

export interface NewmanListener {
  /** A request is about to be sent (for in-flight counting). */
  onRequestStart?(item: string): void;
  /** A request got its response or its transport error; its tests have not run yet. */
  onResponse?(item: string): void;
  /** A request is complete, with its assertions. */
  onOutcome?(outcome: RequestOutcome): void;
}

export interface NewmanRunSummary {
  requests: number;
  failedTests: number;
  /** Errors of the run itself (bad collection, script crash), not request failures. */
  runError?: Error;
}

/** Which route an item belongs to, from the URL variable its request uses. */
export function routeOfUrl(url: string): Route | null {
  for (const [route, variable] of Object.entries(ROUTE_VARIABLE) as [Route, string][]) {
    if (new RegExp(`\\{\\{\\s*${variable}\\s*\\}\\}`).test(url)) return route;
  }
  return null;
}

interface Pending {
  outcome: RequestOutcome;
  startedAt: number;
}

/** The transport error code of a failed request: ECONNREFUSED, ESOCKETTIMEDOUT, HPE_…, or a fallback. */
export function transportErrorCode(error: { code?: unknown; message?: string } | undefined): string {
  if (error && typeof error.code === 'string' && error.code) return error.code;
  const message = error?.message ?? '';
  const match = /\b(E[A-Z]{3,}|HPE_[A-Z_]+)\b/.exec(message);
  return match ? match[1] : 'EUNKNOWN';
}

/**
 * Runs a collection once with newman and reports each request through the listener.
 * Resolves when the run is done; rejects only when newman cannot start the run at all.
 */
export function runNewman(input: NewmanRunInput, listener: NewmanListener = {}): Promise<NewmanRunSummary> {
  return new Promise((resolve, reject) => {
    const pending = new Map<string, Pending>();
    let requests = 0;
    let failedTests = 0;
    const envVar = Object.entries(input.envVars ?? {}).map(([key, value]) => ({ key, value }));
    const emitter = newman.run(
      {
        collection: input.collection as never,
        environment: input.environment as never,
        envVar,
        folder: input.folder as never,
        iterationCount: input.iterationCount ?? 1,
        timeoutRequest: input.timeoutRequestMs ?? 0,
        insecure: input.insecure ?? false,
        reporters: input.verbose ? ['cli'] : [],
      } as newman.NewmanRunOptions,
      (error) => {
        if (error && requests === 0) return reject(error);
        resolve({ requests, failedTests, runError: error ?? undefined });
      },
    );

    const itemName = (args: { item?: { name?: string } }) => args.item?.name ?? '(unnamed)';
    const refOf = (args: { cursor?: { ref?: string } }) => args.cursor?.ref ?? '';

    emitter.on('beforeRequest', (_err: unknown, args: any) => {
      const url = args.item?.request?.url?.toString?.() ?? '';
      pending.set(refOf(args), {
        startedAt: performance.now(),
        outcome: { route: routeOfUrl(url), item: itemName(args), latencyMs: 0, tests: [] },
      });
      listener.onRequestStart?.(itemName(args));
    });

    emitter.on('request', (err: any, args: any) => {
      const entry = pending.get(refOf(args));
      if (!entry) return;
      requests++;
      const { outcome } = entry;
      if (err || !args.response) {
        outcome.error = transportErrorCode(err);
        outcome.errorMessage = err?.message;
        outcome.latencyMs = Math.round(performance.now() - entry.startedAt);
      } else {
        outcome.status = args.response.code;
        outcome.latencyMs = args.response.responseTime ?? Math.round(performance.now() - entry.startedAt);
      }
      listener.onResponse?.(outcome.item);
      // Keep newman's own execution log from growing with the run.
      const executions = (emitter as any).summary?.run?.executions;
      if (Array.isArray(executions)) executions.length = 0;
    });

    emitter.on('assertion', (err: any, args: any) => {
      const entry = pending.get(refOf(args));
      if (!entry || args.skipped) return;
      const test: TestOutcome = { name: args.assertion, passed: !err };
      if (err) {
        test.message = err.message;
        failedTests++;
      }
      entry.outcome.tests.push(test);
    });

    emitter.on('item', (_err: unknown, args: any) => {
      const ref = refOf(args);
      const entry = pending.get(ref);
      if (!entry) return;
      pending.delete(ref);
      listener.onOutcome?.(entry.outcome);
    });
  });
}
