/**
 * One ramp step at concurrency C: C virtual users started together, each ONE sequential engine run
 * (newman or fast, src/engines) over the target's folder with its share of the step's passes
 * (`iterationCount`). One run per user and step, not one per request: starting a newman run costs
 * about 70 ms of CPU, which would otherwise starve the very concurrency the step is meant to hold.
 *
 * Stopping: both engines take an AbortSignal and stop after the request in flight (newman through
 * the postman-runtime `run` it hands out on `start`, whose `abort()` does that). So a stop (Ctrl-C,
 * --max-duration) ends a step within one request per user: no request is cut off, and no new one
 * starts.
 */
import { cycleRows } from '../postman/newman-inputs.js';
import { getMaxListeners, setMaxListeners } from 'node:events';
import type { RunEngine } from '../engines/index.js';
import { runNewman } from '../engines/newman.js';
import { Debug502Error, RuntimeError } from '../errors.js';
import { ROUTE_FOLDER, type RampTarget, type StepPhase, type StepResult } from '../model.js';
import { passesOfUser, type StepBudget } from './plan.js';
import { createStepRecorder, type StepCounts, type StepRecorderClock, type StepRecorderOptions } from './step-recorder.js';

export interface StepInput {
  target: RampTarget;
  phase: StepPhase;
  budget: StepBudget;
  /** The collection (plain Postman JSON) with the target's folder. */
  collection: object;
  environment?: object;
  envVars?: Record<string, string>;
  globals?: object;
  /** Each virtual user runs its passes over these rows, cycling from the first. */
  iterationData?: object[];
  failOn: readonly number[];
  threshold: number;
  /** `--fail-on slow`, `--max-p95`, `--max-p99`: what else fails a request or the step. */
  criteria?: Pick<StepRecorderOptions, 'slowAboveMs' | 'maxP95Ms' | 'maxP99Ms'>;
  timeoutRequestMs: number;
  /** Requests this target was sent before this step: run ordinals continue from here. */
  runRequestsBefore: number;
  /** Aborting it stops every virtual user after its request in flight; the step comes back incomplete. */
  signal?: AbortSignal;
  /** Called after every finished request. */
  onProgress?(counts: StepCounts & { planned: number }): void;
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
}

/** Runs one step; the ramp calls it through this type so tests can pass a fake. */
export type ExecuteStep = (input: StepInput) => Promise<StepOutcome>;

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
  const runEngine = deps.runEngine ?? runNewman;
  const { budget } = input;
  const recorder = createStepRecorder(
    { concurrency: budget.concurrency, phase: input.phase, failOn: input.failOn, threshold: input.threshold, runRequestsBefore: input.runRequestsBefore, ...input.criteria },
    deps.clock ?? systemStepClock,
  );
  // Every virtual user's run listens on the signal: more than Node's default of 10 is expected.
  if (input.signal) setMaxListeners(Math.max(getMaxListeners(input.signal), budget.concurrency + 10), input.signal);
  let answered = 0;
  const runUser = async (index: number): Promise<void> => {
    const passes = passesOfUser(budget, index);
    if (passes === 0 || input.signal?.aborted) return;
    // A user's requests run one after another, so the one in flight is the one whose outcome comes next.
    let current = 0;
    await runEngine(
      {
        collection: input.collection,
        environment: input.environment,
        envVars: input.envVars,
        ...(input.globals ? { globals: input.globals } : {}),
        ...(input.iterationData ? { iterationData: cycleRows(input.iterationData, passes) } : {}),
        folder: ROUTE_FOLDER[input.target],
        iterationCount: passes,
        timeoutRequestMs: input.timeoutRequestMs,
        signal: input.signal,
      },
      {
        onRequestStart: () => {
          current = recorder.requestStarted();
        },
        onResponse: () => {
          answered += 1;
          recorder.responseArrived();
        },
        onOutcome: (outcome) => {
          recorder.recordOutcome(current, outcome);
          input.onProgress?.({ ...recorder.counts(), planned: budget.requests });
        },
      },
    );
  };
  try {
    await Promise.all(Array.from({ length: budget.concurrency }, (_, i) => runUser(i)));
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
  // A stop that came after the last request still leaves a whole step.
  return { result, complete: result.requests >= budget.requests || !input.signal?.aborted, answered };
}
