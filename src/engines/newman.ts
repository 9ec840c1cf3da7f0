/**
 * The newman adapter: the only file that imports newman. It hands newman plain JSON with no
 * reporters and turns its events into our own RequestOutcome records (the contract: engine.ts).
 *
 * newman's summary keeps no record of our runs' requests (lean-summaries.ts): its `run.executions`
 * would otherwise hold every response of the run (newman issues #941, #2483).
 */
import type newmanModule from 'newman';
import { INVALID_STATUS_CODE, describeInvalidStatus, type RequestOutcome, type TestOutcome } from '../model.js';
import { newmanCertificateList } from '../postman/client-tls.js';
import { keepOnlyFolders } from '../postman/items.js';
import { requestKeyOf, routeOfUrl } from '../postman/route.js';
import type { EngineInput, EngineListener, EngineSummary, FinalVariables } from './engine.js';
import { keepNoRecords, leanNewmanSummaries } from './lean-summaries.js';
import { objectCache } from './object-cache.js';
import { quietRedirectListeners } from './redirect-listeners.js';
import { createNewmanGuard } from './request-guard.js';
import { requireFromNewman } from './newman-require.js';
import { deferUnusedModules } from './deferred-modules.js';
import { leanSandboxBootCode } from './sandbox-bootcode.js';
import { shareNewmanSandboxes } from './shared-sandboxes.js';

let newmanLoaded: Promise<typeof newmanModule> | undefined;

/**
 * newman is imported on first use: it takes ~0.4 s to load, and every CLI command (even `--help`)
 * imports this file through the command list. Its runs then share their script sandboxes
 * (shared-sandboxes.ts) instead of booting one per run, keep no per-request records
 * (lean-summaries.ts), no thread keeps the sandbox boot code's module source (sandbox-bootcode.ts),
 * the modules of features a run does not use load only when one does (deferred-modules.ts), and a
 * redirect chain sets off no leak warning (redirect-listeners.ts).
 */
function loadNewman(): Promise<typeof newmanModule> {
  if (!newmanLoaded) {
    leanSandboxBootCode();
    deferUnusedModules();
  }
  return (newmanLoaded ??= import('newman').then((module) => {
    shareNewmanSandboxes();
    leanNewmanSummaries();
    quietRedirectListeners();
    return module.default;
  }));
}

interface Pending {
  outcome: RequestOutcome;
  startedAt: number;
  /** Its response (or transport error) has come back. */
  answered: boolean;
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
export async function runNewman(input: EngineInput, listener: EngineListener = {}): Promise<EngineSummary> {
  const newman = await loadNewman();
  const jar = cookieJarFor(input);
  let sent = 0;
  const guard = createNewmanGuard({
    timeoutMs: input.timeoutRequestMs,
    signal: input.signal,
    allowance: input.allowance,
    extraCaPem: input.tls?.extraCa?.value,
    onSend: (info) => {
      sent += 1;
      listener.onSend?.(info);
    },
  });
  return new Promise((resolve, reject) => {
    const pending = new Map<string, Pending>();
    const early = new Map<string, TestOutcome[]>();
    let requests = 0;
    let failedTests = 0;
    let refused = false;
    let abortRun: (() => void) | undefined;
    const envVar = Object.entries(input.envVars ?? {}).map(([key, value]) => ({ key, value }));
    const emitter = newman.run(
      {
        collection: collectionForRun(input.collection, input.folder) as never,
        environment: input.environment as never,
        envVar,
        globals: input.globals as never,
        iterationData: input.iterationData as never,
        delayRequest: input.delayRequestMs ?? 0,
        bail: input.bail ?? false,
        color: input.color ?? 'auto',
        folder: input.folder as never,
        iterationCount: input.iterationCount ?? 1,
        timeoutRequest: input.timeoutRequestMs ?? 0,
        timeout: input.runTimeoutMs ?? 0,
        timeoutScript: input.timeoutScriptMs ?? 0,
        ...(jar ? { cookieJar: jar } : {}),
        ignoreRedirects: input.followRedirects === false,
        // Every request (each redirect hop too) goes through the guard's agents: the total
        // deadline, the stop that cuts the request in flight, the send allowance.
        requestAgents: guard.agents,
        insecure: input.insecure ?? false,
        // Absolute paths: postman-runtime reads the files itself, per request, as newman run does.
        sslClientCertList: newmanCertificateList(input.tls),
        reporters: [...(input.verbose ? ['cli'] : []), ...(input.newmanReporters ?? []).map((r) => r.name)],
        reporter: Object.fromEntries((input.newmanReporters ?? []).map((r) => [r.name, r.options ?? {}])),
      } as newmanModule.NewmanRunOptions,
      (error, summary) => {
        guard.close();
        if (error && requests === 0 && !refused) return reject(error);
        // After run.abort() newman emits no 'item' for requests already answered: report them
        // here (their tests may be missing), so every request counted has its outcome.
        for (const entry of pending.values()) if (entry.answered) listener.onOutcome?.(entry.outcome);
        pending.clear();
        resolve({ requests, failedTests, runError: error ?? undefined, sent, refused, ...finalVariables(summary, input.keep, jar) });
      },
    );
    // newman's own reporters read the records at the end; debug502's runs keep none otherwise.
    if (!input.newmanReporters?.length) keepNoRecords(emitter);

    const itemName = (args: { item?: { name?: string } }) => args.item?.name ?? '(unnamed)';
    const refOf = (args: { cursor?: { ref?: string } }) => args.cursor?.ref ?? '';

    emitter.on('start', (_err: unknown, args: any) => {
      const signal = input.signal;
      if (typeof args?.run?.abort !== 'function') return;
      abortRun = () => args.run.abort();
      if (!signal) return;
      const abort = () => args.run.abort();
      if (signal.aborted) return abort();
      signal.addEventListener('abort', abort, { once: true });
      emitter.once('done', () => signal.removeEventListener('abort', abort));
    });

    emitter.on('beforeRequest', (_err: unknown, args: any) => {
      const url = args.item?.request?.url?.toString?.() ?? '';
      const method = args.request?.method ?? args.item?.request?.method ?? 'GET';
      pending.set(refOf(args), {
        startedAt: performance.now(),
        answered: false,
        outcome: {
          route: routeOfUrl(url),
          item: itemName(args),
          itemId: args.item?.id,
          request: requestKeyOf(method, url),
          latencyMs: 0,
          tests: early.get(refOf(args)) ?? [],
        },
      });
      early.delete(refOf(args));
      guard.start();
      listener.onRequestStart?.(itemName(args));
    });

    emitter.on('request', (err: any, args: any) => {
      const entry = pending.get(refOf(args));
      if (!entry) return;
      const end = guard.end();
      // Cut by a stop, or never sent (the cap is reached): not an outcome of the target.
      if ((err && end.stopped && !end.timedOut) || end.refused) {
        pending.delete(refOf(args));
        if (end.refused) {
          refused = true;
          abortRun?.();
        }
        return;
      }
      requests++;
      entry.answered = true;
      const { outcome } = entry;
      if (end.timedOut) {
        outcome.error = end.timedOutConnecting ? 'ETIMEDOUT' : 'ESOCKETTIMEDOUT';
        outcome.errorMessage = outcome.error;
        outcome.latencyMs = Math.round(performance.now() - entry.startedAt);
      } else if (err || !args.response) {
        outcome.error = transportErrorCode(err);
        outcome.errorMessage = err?.message;
        outcome.latencyMs = Math.round(performance.now() - entry.startedAt);
      } else {
        // 000 or 999 is no answer (model.ts): a malformed response, whatever newman's scripts made of it.
        const invalid = describeInvalidStatus(args.response.code);
        if (invalid) [outcome.error, outcome.errorMessage] = [INVALID_STATUS_CODE, invalid];
        else outcome.status = args.response.code;
        outcome.latencyMs = args.response.responseTime ?? Math.round(performance.now() - entry.startedAt);
      }
      listener.onResponse?.(outcome.item);
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

    // A script that throws (or does not parse) runs none of its tests: count it as a failed test,
    // as newman's own CLI does, so a broken test script never passes silently.
    // Pre-request scripts run before 'beforeRequest': their errors wait in `early` until it comes.
    emitter.on('script', (err: any, args: any) => {
      if (!err) return;
      const prerequest = args.event?.listen === 'prerequest';
      const test: TestOutcome = { name: `${prerequest ? 'Pre-request' : 'Test'} script error`, passed: false, message: `${err.name ?? 'Error'}: ${err.message}` };
      const entry = pending.get(refOf(args));
      if (entry) entry.outcome.tests.push(test);
      else early.set(refOf(args), [...(early.get(refOf(args)) ?? []), test]);
      failedTests++;
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

/**
 * The collection newman parses for a run of `folder`: keepOnlyFolders' copy, made once for the C
 * runs of a step (they share the collection object) rather than once per run. On the Gotify fixture
 * (84 requests) a run of one route folder's "message" requests spent ~37 ms before its first request.
 */
function collectionForRun(collection: object, folder: string | string[] | undefined): object {
  if (folder === undefined) return collection;
  return KEPT(collection, JSON.stringify(folder), () => keepOnlyFolders(collection as { item?: unknown }, folder));
}
const KEPT = objectCache<object>(16);

/** The scopes newman's summary holds at the end (absent when the run never started). */
function finalVariables(summary: newmanModule.NewmanRunSummary | undefined, keep: EngineInput['keep'], jar: CookieJarLike | undefined): { variables?: FinalVariables } {
  const scopes = summary as unknown as { environment?: { toJSON(): object }; globals?: { toJSON(): object }; collection?: { toJSON(): object } } | undefined;
  if (!scopes?.environment || !scopes.globals) return {};
  return {
    variables: {
      environment: scopes.environment.toJSON(),
      globals: scopes.globals.toJSON(),
      ...(keep?.collection && scopes.collection ? { collection: scopes.collection.toJSON() } : {}),
      ...(keep?.cookieJar && jar ? { cookieJar: jar.toJSON() } : {}),
    },
  };
}

interface CookieJarLike {
  toJSON(): object;
}

/**
 * The run's cookie jar when one is given or kept, as newman makes it: `--cookie-jar` read with
 * tough-cookie's CookieJar.fromJSON (lib/run/options.js), else postman-request's `jar()` (a
 * loose-mode CookieJar) — the one newman's run would use — so that its cookies can be exported.
 */
function cookieJarFor(input: EngineInput): CookieJarLike | undefined {
  if (input.cookieJar === undefined && !input.keep?.cookieJar) return undefined;
  const { CookieJar } = requireFromNewman()('@postman/tough-cookie') as { CookieJar: { fromJSON(text: string): CookieJarLike; new (store: undefined, options: object): CookieJarLike } };
  return input.cookieJar !== undefined ? CookieJar.fromJSON(input.cookieJar) : new CookieJar(undefined, { looseMode: true });
}
