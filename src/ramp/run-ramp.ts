/**
 * The ramp loop: plan, then for each target run the step chooseNextStep names until it names none,
 * then build the RampReport. The engine (executeStep), the clock, the progress listener and the
 * stop signal are passed in; every decision is made by the pure functions of plan/detect/verdict.
 *
 * Stops, each ending the ramp with `meta.aborted` and the report of the completed steps:
 * - `interrupted` — the signal fired (Ctrl-C / SIGTERM): the requests in flight are cut, no new one starts.
 * - `max-duration` — the same, when the ramp has run for --max-duration.
 * - `max-requests` — a step is never started when it would take the total past --max-requests, and
 *   every request that leaves the machine (redirect hops too) takes one from a shared allowance: when
 *   redirects use it up mid-step, that step is cut like an interrupt. The cap holds at the server.
 * - `unreachable` — the gateway answered none of the requests of its first step: with nothing that
 *   answers at gateway_url there is no load to speak of. (A dead backend BEHIND the gateway is a
 *   finding, not a stop: the gateway answers 502 at the first level.) The backend hit directly that
 *   answers nothing is a finding too — it is down — unless the gateway, ramped first, reached it
 *   fine: then backend_url is only unreachable from this machine, and that stops the ramp.
 * A step cut short by a stop is left out of the report (its figures would mix two loads); the
 * aborted message says how far it got.
 */
import type { AbortReason, RampOptions, RampReport, RampTarget, StepResult, TargetResult } from '../model.js';
import type { ClientTls } from '../postman/client-tls.js';
import { CONFIG_DEFAULTS } from '../config/defaults.js';
import { VERSION } from '../version.js';
import { collectionNameOf } from '../postman/items.js';
import { findSecretValues } from '../postman/secret-values.js';
import { createMask, maskDeep } from '../text/mask-secrets.js';
import { chooseNextStep, isUnanswered, summarizeTarget, type NextStep } from './detect.js';
import { createSendAllowance } from '../engines/request-guard.js';
import { prepareRequests } from '../engines/fast-requests.js';
import { refuseUnsendableRequests } from '../postman/unsendable.js';
import { ROUTE_FOLDER } from '../model.js';
import { executorFor, type StepExecutor } from './executors.js';
import type { ExecuteStep } from './execute-step.js';
import { countFolderRequests } from './folder.js';
import { nameLevel, nameLevelIn } from '../facts/level.js';
import { budgetLevel, formatDurationOption, planRamp, targetsOf, type RampPlan } from './plan.js';
import { describeFailures, decideRampVerdict } from './verdict.js';
import { describeTlsRemedy, isTlsErrorCode } from '../engines/tls-errors.js';

export interface RampInput {
  /** The collection as plain Postman JSON, with the "Through gateway" / "Direct to backend" folders. */
  collection: { item?: unknown };
  environment?: object;
  /** `--env-var` overrides on top of the environment. */
  envVars?: Record<string, string>;
  /** `-g` globals and `-d` rows (newman engine): each virtual user cycles through the rows from the first. */
  globals?: object;
  iterationData?: object[];
  options: RampOptions;
  /** What the report's meta calls the collection and environment (usually their file paths). */
  labels?: { collection?: string; environment?: string };
  /** The latency limit of the collection's tests (`max_response_time_ms`), for the report. */
  maxResponseTimeMs?: number;
  /** The plan to run, as planRampInput made it and the CLI printed it; planned here when absent. */
  plan?: RampPlan;
  /** `-k`: accept TLS certificates that do not verify (self-signed staging gateways). */
  insecure?: boolean;
  /** newman's TLS flags, read: client certificates, extra CAs. */
  tls?: ClientTls;
  /** `--cookie-jar`: every user starts with it (newman engine). */
  cookieJar?: string;
}

export interface RampClock {
  /** Milliseconds on a monotonic clock. */
  now(): number;
  /** Wall time, for `meta.startedAt`. */
  date(): Date;
  /** Calls `fn` after `ms`; returns a function that cancels it. */
  after(ms: number, fn: () => void): () => void;
}

/** Progress of a ramp, for a listener that draws it; the report never depends on these. */
export type RampEvent =
  | { type: 'plan'; plan: RampPlan }
  | { type: 'step-start'; target: RampTarget; level: number; phase: NextStep['phase']; planned: number }
  | { type: 'step-progress'; target: RampTarget; level: number; done: number; planned: number; failures: number; count502: number }
  | { type: 'step-end'; target: RampTarget; step: StepResult; complete: boolean; answered: number };

export interface RampDeps {
  /** Default: the executor of the plan's load model (executors.ts) with the engine of `options.engine`. */
  executeStep?: ExecuteStep;
  clock?: RampClock;
  onProgress?(event: RampEvent): void;
  /** Ctrl-C / SIGTERM: stop, cutting the requests in flight, and return the partial report. */
  signal?: AbortSignal;
  /** Told the secret values of the input (src/postman/secret-values.ts) before any request, to mask them in output. */
  onSecrets?(values: readonly string[]): void;
}

export const systemRampClock: RampClock = {
  now: () => performance.now(),
  date: () => new Date(),
  after: (ms, fn) => {
    const timer = setTimeout(fn, ms);
    timer.unref?.();
    return () => clearTimeout(timer);
  },
};

interface Stop {
  reason: AbortReason;
  message: string;
  /** A `tls-problem`'s error codes, for what to do about them. */
  codes?: string[];
}

/** The plan of `input` (its folders counted): what runRamp will do, printable before any request. */
export function planRampInput(input: RampInput): RampPlan {
  const folderRequests: Partial<Record<RampTarget, number>> = {};
  for (const target of targetsOf(input.options.target)) {
    folderRequests[target] = countFolderRequests(input.collection, target, input.labels?.collection);
  }
  return planRamp(input.options, folderRequests);
}

/**
 * Ramps each target of `input.options` and returns the RampReport. Safety stops and interrupts
 * are data (`meta.aborted`), not exceptions; throws InputError when the collection lacks a target's
 * folder, RuntimeError when its engine (`options.engine`) cannot run it.
 */
export async function runRamp(input: RampInput, deps: RampDeps = {}): Promise<RampReport> {
  const plan = input.plan ?? planRampInput(input);
  const { options } = plan;
  const clock = deps.clock ?? systemRampClock;
  // First: the refusal below may quote an item's name, which may quote a secret.
  const secrets = findSecretValues(input);
  deps.onSecrets?.(secrets);
  // What no client may send (a method that is no token, a header value with a line break) is
  // refused first, whatever the engine: newman would fail each such request as the target's fault.
  if (!deps.executeStep) {
    for (const target of plan.targets) {
      refuseUnsendableRequests({ collection: input.collection, environment: input.environment, envVars: input.envVars, globals: input.globals, folder: ROUTE_FOLDER[target] }, input.labels?.collection ?? 'collection');
    }
  }
  // The fast engine refuses what it cannot send (user scripts, some auth types, file bodies):
  // found now, for every folder ramped, so the refusal comes before any request.
  if (options.engine === 'fast' && !deps.executeStep) {
    for (const target of plan.targets) prepareRequests({ collection: input.collection, environment: input.environment, envVars: input.envVars, folder: ROUTE_FOLDER[target] });
  }
  const executor: StepExecutor = deps.executeStep ? { execute: deps.executeStep } : executorFor(plan);
  deps.onProgress?.({ type: 'plan', plan });

  const startedAt = clock.date();
  const startMs = clock.now();
  const stopper = new AbortController();
  let stopCause: 'interrupted' | 'max-duration' | 'max-requests' | undefined;
  const stopFor = (cause: 'interrupted' | 'max-duration' | 'max-requests') => {
    stopCause ??= cause;
    stopper.abort();
  };
  const onSignal = () => stopFor('interrupted');
  if (deps.signal?.aborted) onSignal();
  else deps.signal?.addEventListener('abort', onSignal, { once: true });
  const cancelTimer = clock.after(options.maxDurationMs, () => stopFor('max-duration'));

  // Every request that leaves the machine, redirect hops included, takes one: the cap holds at the server.
  const allowance = createSendAllowance(options.maxRequests, () => stopFor('max-requests'));
  const targets: Partial<Record<RampTarget, TargetResult>> = {};
  let sent = 0;
  let stop: Stop | undefined;
  const stopMessage = (cause: 'interrupted' | 'max-duration' | 'max-requests', where: string) =>
    cause === 'interrupted'
      ? `Interrupted ${where}.`
      : cause === 'max-requests'
        ? `Stopped at --max-requests ${options.maxRequests} ${where}: redirects count as requests.`
        : `Stopped at --max-duration ${formatDurationOption(options.maxDurationMs)} ${where}.`;

  try {
    for (const target of plan.targets) {
      const steps: StepResult[] = [];
      let runRequests = 0;
      for (let next = chooseNextStep(plan.levels, steps, options.bisect, plan.mode); next; next = chooseNextStep(plan.levels, steps, options.bisect, plan.mode)) {
        const budget = budgetLevel(plan, target, next.level);
        const level = nameLevelIn(plan.mode, next.level);
        const where = `before the ${target} step at ${level}`;
        if (stopCause) {
          stop = { reason: stopCause, message: stopMessage(stopCause, where) };
          break;
        }
        if (sent + budget.requests > options.maxRequests) {
          stop = { reason: 'max-requests', message: `Stopped ${where}: its ${budget.requests} requests would take the total from ${sent} past --max-requests ${options.maxRequests}.` };
          break;
        }
        deps.onProgress?.({ type: 'step-start', target, level: next.level, phase: next.phase, planned: budget.requests });
        const { result, complete, answered, sent: stepHops } = await executor.execute({
          target,
          phase: next.phase,
          budget,
          collection: input.collection,
          environment: input.environment,
          envVars: input.envVars,
          globals: input.globals,
          iterationData: input.iterationData,
          insecure: input.insecure,
          ...(input.tls ? { tls: input.tls } : {}),
          ...(input.cookieJar !== undefined ? { cookieJar: input.cookieJar } : {}),
          failOn: options.failOn,
          threshold: options.threshold,
          criteria: {
            slowAboveMs: options.failOnSlow ? (input.maxResponseTimeMs ?? CONFIG_DEFAULTS.maxResponseTimeMs) : undefined,
            maxP95Ms: options.maxP95Ms,
            maxP99Ms: options.maxP99Ms,
          },
          timeoutRequestMs: options.timeoutRequestMs,
          followRedirects: options.followRedirects,
          allowance,
          runRequestsBefore: runRequests,
          signal: stopper.signal,
          onProgress: deps.onProgress && (({ done, planned, failures, count502 }) => deps.onProgress!({ type: 'step-progress', target, level: next!.level, done, planned, failures, count502 })),
        });
        // After a stop newman may drop outcomes of answered requests: count what was really sent.
        const stepSent = stepHops ?? Math.max(answered, result.requests);
        sent += stepSent;
        deps.onProgress?.({ type: 'step-end', target, step: result, complete, answered });
        if (!complete) {
          const cut = `during the ${target} step at ${level}, after ${stepSent} of its ${budget.requests} requests; that step is left out`;
          stop = { reason: stopCause ?? 'interrupted', message: stopMessage(stopCause ?? 'interrupted', cut) };
          break;
        }
        // A step in which every request failed TLS verification measured the certificate, not a
        // load: it is left out, so no breaking point is ever made of it.
        const tls = steps.length === 0 && isUnanswered(result) ? judgeTlsFailure(target, result) : undefined;
        if (tls) {
          stop = tls;
          break;
        }
        steps.push(result);
        runRequests += result.requests;
        if (steps.length === 1 && isUnanswered(result)) stop = judgeUnanswered(target, result, targets.gateway, options);
        if (stop) break;
      }
      targets[target] = summarizeTarget(steps);
      if (stop) break;
    }
  } finally {
    cancelTimer();
    deps.signal?.removeEventListener('abort', onSignal);
    await executor.close?.();
  }

  const completed = Object.values(targets).reduce((n, t) => n + (t?.steps.length ?? 0), 0);
  let verdict = decideRampVerdict(targets, options);
  if (stop?.reason === 'tls-problem') verdict = { code: 'inconclusive', message: stop.message, next: `${describeTlsRemedy(stop.codes ?? [])}; "debug502 diagnose" shows it` };
  else if (stop) {
    stop.message += ` The report holds the ${completed} completed step${completed === 1 ? '' : 's'} (${sent} requests sent).`;
    if (verdict.code === 'no-breaking-point') verdict = { ...verdict, code: 'inconclusive' };
    verdict = { ...verdict, message: `Partial ramp (${stop.reason}): ${verdict.message}` };
  }
  // No report carries a secret: an error message or a request key could quote one.
  return maskDeep<RampReport>({
    schemaVersion: 2,
    meta: {
      tool: 'debug502',
      version: VERSION,
      collection: input.labels?.collection ?? 'collection',
      ...(collectionNameOf(input.collection) ? { collectionName: collectionNameOf(input.collection) } : {}),
      environment: input.labels?.environment ?? 'environment',
      startedAt: startedAt.toISOString(),
      durationMs: Math.round(clock.now() - startMs),
      options,
      ...(input.maxResponseTimeMs !== undefined ? { maxResponseTimeMs: input.maxResponseTimeMs } : {}),
      ...(stop ? { aborted: { reason: stop.reason, message: stop.message } } : {}),
    },
    targets,
    verdict,
  }, createMask(secrets));
}

/**
 * The first step of a target got no answer and every failure is a TLS verification error
 * (self-signed, expired, wrong name): a `tls-problem` stop, never a breaking point.
 */
function judgeTlsFailure(target: RampTarget, step: StepResult): Stop | undefined {
  const codes = Object.keys(step.transportErrors).filter((code) => step.transportErrors[code] > 0);
  if (codes.length === 0 || !codes.every(isTlsErrorCode)) return undefined;
  const url = target === 'gateway' ? 'gateway_url' : 'backend_url';
  return {
    reason: 'tls-problem',
    message: `Every request to the ${target} failed TLS (${codes.join(', ')}) at ${nameLevel(step)}: no TLS connection to ${url} could be used, so no load was measured. ${describeTlsRemedy(codes).replace(/^./, (c) => c.toUpperCase())}.`,
    codes,
  };
}

/** The first step of a target got no answer at all: a stop, or a finding (see the file comment). */
function judgeUnanswered(target: RampTarget, step: StepResult, gateway: TargetResult | undefined, options: RampOptions): Stop | undefined {
  const what = `answered none of the ${step.requests} requests at ${nameLevel(step)} (${describeFailures(step, options.failOn)})`;
  if (target === 'gateway') {
    return { reason: 'unreachable', message: `The gateway ${what}: nothing answers at gateway_url, so there is no load to ramp. Check gateway_url, or run "debug502 diagnose".` };
  }
  const gatewayFirst = gateway?.steps[0];
  if (gatewayFirst && !gatewayFirst.failed && !isUnanswered(gatewayFirst)) {
    return { reason: 'unreachable', message: `The backend, hit directly, ${what}, though the gateway reached it: backend_url is not reachable from this machine. Ramp --target gateway, or run from inside the backend's network.` };
  }
  return undefined;
}
