/**
 * One ramp step at concurrency C: C virtual users started together, each ONE sequential engine run
 * (newman or fast, src/engines) over the target's folder with its share of the step's passes
 * (`iterationCount`). One run per user and step, not one per request: starting a newman run costs
 * about 70 ms of CPU, which would otherwise starve the very concurrency the step is meant to hold.
 *
 * Stopping: both engines take an AbortSignal that cuts the request in flight and starts no new
 * one (src/engines/request-guard.ts), so a stop (Ctrl-C, --max-duration, --max-requests) ends a
 * step at once, even against a backend that trickles its answer; the cut step is left out. Every
 * request that leaves the machine, redirect hops included, is asked of the ramp's send allowance
 * first, so --max-requests holds at the server.
 */
import { cycleRows } from '../postman/cycle-rows.js';
import type { ClientTls } from '../postman/client-tls.js';
import { getMaxListeners, setMaxListeners } from 'node:events';
import { ENGINES, STOP_LISTENERS_PER_RUN, type EngineListener, type EngineSummary, type RunEngine } from '../engines/engine.js';
import type { SendAllowance } from '../engines/request-guard.js';
import { Debug502Error, RuntimeError } from '../errors.js';
import { ROUTE_FOLDER, type RampTarget, type StepPhase, type StepResult } from '../model.js';
import { passesOfUser, type LevelBudget, type StepBudget } from './plan.js';
import { createStepRecorder, progressReporter, type StepProgress, type StepRecorder, type StepRecorderClock, type StepRecorderOptions } from './step-recorder.js';

export interface StepInput {
  target: RampTarget;
  phase: StepPhase;
  /** The step's budget; its `model` names the executor that can run it (executors.ts). */
  budget: LevelBudget;
  /** The collection (plain Postman JSON) with the target's folder. */
  collection: object;
  environment?: object;
  envVars?: Record<string, string>;
  globals?: object;
  /** Each virtual user runs its passes over these rows, cycling from the first. */
  iterationData?: object[];
  /** Accept TLS certificates that do not verify. */
  insecure?: boolean;
  /** Client certificates and extra CAs (EngineInput.tls). */
  tls?: ClientTls;
  /** The jar every user starts with (EngineInput.cookieJar). */
  cookieJar?: string;
  failOn: readonly number[];
  threshold: number;
  /** `--fail-on slow`, `--max-p95`, `--max-p99`: what else fails a request or the step. */
  criteria?: Pick<StepRecorderOptions, 'slowAboveMs' | 'maxP95Ms' | 'maxP99Ms'>;
  timeoutRequestMs: number;
  /** Follow redirects (default true). */
  followRedirects?: boolean;
  /** Asked before every request that leaves the machine, redirects included (--max-requests). */
  allowance?: SendAllowance;
  /** Requests this target was sent before this step: run ordinals continue from here. */
  runRequestsBefore: number;
  /** Aborting it stops every virtual user after its request in flight; the step comes back incomplete. */
  signal?: AbortSignal;
  /** Called after every finished request. */
  onProgress?(progress: StepProgress): void;
}

export interface StepOutcome {
  result: StepResult;
  /** False when the step was stopped before its budget was sent. */
  complete: boolean;
  /**
   * Requests that got their response or transport error. After a stop this can exceed
   * `result.requests`: newman drops the last outcomes of an aborted run (the response came, the
   * item's completion event never does), so the cut step's figures are incomplete — one more
   * reason it is left out of the report.
   */
  answered: number;
  /** Requests that left the machine, redirect hops included (absent from fakes: `answered`). */
  sent?: number;
  /** The send allowance refused a request: the step was cut at --max-requests. */
  refused?: boolean;
}

/** Runs one step; the ramp calls it through this type so tests can pass a fake. */
export type ExecuteStep = (input: StepInput) => Promise<StepOutcome>;

/** The closed model's budget; an open-model budget here is a wiring mistake, not a user's. */
export function closedBudgetOf(budget: LevelBudget): StepBudget {
  if (budget.model === 'rate') throw new Error('executeStep runs closed-model (concurrency) steps; a rate step goes to executeRateStep');
  return budget;
}

/** The engine and clock a step uses; defaults: newman, performance.now, process.cpuUsage. */
export interface StepDeps {
  runEngine?: RunEngine;
  /** How errors name the engine; default "newman". */
  engineName?: string;
  clock?: StepRecorderClock;
}

export const systemStepClock: StepRecorderClock = { now: () => performance.now(), cpuUsage: () => process.cpuUsage() };

/**
 * Runs `input.budget` against the target's folder with `budget.concurrency` virtual users and
 * returns the step's aggregates. Throws RuntimeError when the engine cannot run the collection at
 * all; an engine's own Debug502Error (the fast engine refusing an item) passes through as it is.
 */
export async function executeStep(input: StepInput, deps: StepDeps = {}): Promise<StepOutcome> {
  const runEngine = deps.runEngine ?? ENGINES.newman.run;
  const budget = closedBudgetOf(input.budget);
  const recorder = createStepRecorder(
    { concurrency: budget.concurrency, phase: input.phase, failOn: input.failOn, threshold: input.threshold, runRequestsBefore: input.runRequestsBefore, ...input.criteria },
    deps.clock ?? systemStepClock,
  );
  // Every virtual user's run listens on the signal: more than Node's default of 10 is expected.
  if (input.signal) setMaxListeners(Math.max(getMaxListeners(input.signal), budget.concurrency * STOP_LISTENERS_PER_RUN + 10), input.signal);
  const tally: SendTally = { answered: 0, sent: 0, redirects: 0 };
  const progress = progressReporter(recorder, budget.requests, input.onProgress);
  let refused = false;
  const runUser = async (index: number): Promise<EngineSummary | undefined> => {
    const passes = passesOfUser(budget, index);
    if (passes === 0 || input.signal?.aborted) return;
    return runEngine(
      {
        collection: input.collection,
        environment: input.environment,
        envVars: input.envVars,
        ...(input.globals ? { globals: input.globals } : {}),
        ...(input.iterationData ? { iterationData: cycleRows(input.iterationData, passes) } : {}),
        folder: ROUTE_FOLDER[input.target],
        iterationCount: passes,
        timeoutRequestMs: input.timeoutRequestMs,
        followRedirects: input.followRedirects,
        allowance: input.allowance,
        insecure: input.insecure,
        ...(input.tls ? { tls: input.tls } : {}),
        ...(input.cookieJar !== undefined ? { cookieJar: input.cookieJar } : {}),
        signal: input.signal,
      },
      recordInto(recorder, tally, progress),
    );
  };
  try {
    await Promise.all(Array.from({ length: budget.concurrency }, (_, i) => runUser(i).then((summary) => {
      if (summary?.refused) refused = true;
    })));
  } catch (error) {
    // An engine's own refusal (the fast engine cannot send an item) is already worded for the user.
    if (error instanceof Debug502Error) throw error;
    throw new RuntimeError(
      `${deps.engineName ?? 'newman'} could not run the "${ROUTE_FOLDER[input.target]}" folder: ${(error as Error).message}`,
      'check the collection with "debug502 run" first',
      { cause: error },
    );
  }
  const result = recorder.finish();
  if (tally.redirects > 0) result.redirects = tally.redirects;
  // A stop that came after the last request still leaves a whole step.
  const complete = (result.requests >= budget.requests || !input.signal?.aborted) && !refused;
  return { result, complete, answered: tally.answered, sent: tally.sent, refused };
}

/** What a step counts beside its recorder: answers, and the hops that left the machine (redirects among them). */
export interface SendTally {
  answered: number;
  sent: number;
  redirects: number;
}

/**
 * The listener of one virtual user (or one arrival) of a step: its requests go one at a time, so
 * the one in flight is the one whose outcome comes next. Records into the step's recorder and
 * tally, and calls `progress` after every outcome.
 */
export function recordInto(recorder: StepRecorder, tally: SendTally, progress: () => void): EngineListener {
  let ordinal = 0;
  return {
    onRequestStart: () => {
      ordinal = recorder.requestStarted();
    },
    onSend: (info) => {
      tally.sent += 1;
      if (info.redirect) tally.redirects += 1;
    },
    onResponse: () => {
      tally.answered += 1;
      recorder.responseArrived();
    },
    onOutcome: (outcome) => {
      recorder.recordOutcome(ordinal, outcome);
      progress();
    },
  };
}
