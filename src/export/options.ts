/**
 * The options of a load-test export: the ramp's own (target, load model, levels, threshold,
 * --fail-on, bisection, limits, checked by resolveRampOptions) plus how long each level is held.
 * Distributed engines run on the clock, so a step is a duration, not a request budget.
 */
import { InputError } from '../errors.js';
import type { LoadModel, RampTarget } from '../model.js';
import { parseDurationMs, type DurationSpec } from '../options/parse-duration.js';
import { resolveRampOptions, type RawRampOptions } from '../ramp/options.js';
import { budgetRateStep, planLevels, targetsOf, type RateStepBudget } from '../ramp/plan.js';

export interface LoadTestOptions {
  target: RampTarget | 'both';
  /** `concurrency`: levels are users (closed model); `rate`: levels are offered arrivals per second (open model, k6 only). */
  mode: LoadModel;
  /** Closed model: first and last level (users). */
  start: number;
  max: number;
  factor: number;
  threshold: number;
  failOn: number[];
  /** `--fail-on slow`: an answer slower than `max_response_time_ms` fails the step too. */
  failOnSlow: boolean;
  bisect: boolean;
  /** How long each level is held. */
  stepDurationMs: number;
  /** Safety: the whole run stops after this long. */
  maxDurationMs: number;
  timeoutRequestMs: number;
  /** Open model (`mode: 'rate'`): first and last offered rate (req/s) and the cap on requests in flight (k6's VUs). */
  startRate?: number;
  maxRate?: number;
  maxVus?: number;
}

/**
 * The first part of each step that is not judged: the users of the new level start, and the last
 * answers of the level before still arrive (Locust workers report once a second). The report
 * import skips the same part, so both judge the same window.
 */
export const SETTLE_MS = 2000;
/**
 * Locust, `--target both`: between the targets every user stops and the shape holds 0 users this
 * long, so the stats history (a row a second) has a row at 0 users where one target's steps end.
 */
export const TARGET_DRAIN_MS = 2000;
export const DEFAULT_STEP_DURATION_MS = 10_000;
/** `--step-duration`: a bare number is seconds; long enough to judge something after the settle time. */
export const STEP_DURATION: DurationSpec = { option: '--step-duration', bareUnit: 's', minMs: SETTLE_MS + 1000, maxMs: 3_600_000 };

export interface RawLoadTestOptions extends RawRampOptions {
  /** `10s`, `1m`, `500ms`; a bare number is seconds. */
  stepDuration?: string | number;
}

/** Defaults applied and every option checked; one InputError lists every problem. */
export function resolveLoadTestOptions(raw: RawLoadTestOptions): LoadTestOptions {
  const problems: string[] = [];
  let ramp: ReturnType<typeof resolveRampOptions> | undefined;
  let failOnSlow = false;
  try {
    // No engine of ours sends the load; the step duration is checked below, against the settle time.
    ramp = resolveRampOptions({ ...raw, engine: undefined, workers: undefined, requestsPerStep: undefined, maxRequests: undefined, minCapacity: undefined, stepDuration: undefined });
    if (ramp.failOnSlow) failOnSlow = true;
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    problems.push(...(error.problems.length > 0 ? error.problems : [error.message]));
  }
  let stepDurationMs = DEFAULT_STEP_DURATION_MS;
  if (raw.stepDuration !== undefined) {
    try {
      stepDurationMs = parseDurationMs(raw.stepDuration, STEP_DURATION);
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      problems.push(`${error.message} (the first ${SETTLE_MS / 1000}s of a step are not judged)`);
    }
  }
  if (problems.length > 0 || !ramp) {
    throw new InputError('invalid export options', problems, 'see "debug502 export --help" for every option and its default');
  }
  return {
    target: ramp.target,
    mode: ramp.mode,
    ...(ramp.mode === 'rate' ? { startRate: ramp.startRate!, maxRate: ramp.maxRate!, maxVus: ramp.maxVus! } : {}),
    start: ramp.start,
    max: ramp.max,
    factor: ramp.factor,
    threshold: ramp.threshold,
    failOn: ramp.failOn,
    failOnSlow,
    bisect: ramp.bisect,
    stepDurationMs,
    maxDurationMs: ramp.maxDurationMs,
    timeoutRequestMs: ramp.timeoutRequestMs,
  };
}

/**
 * The ramp levels of the export, as the local ramp plans them: start, start·factor, … max users,
 * or (open model) start-rate, start-rate·factor, … max-rate req/s.
 */
export function loadTestLevels(options: LoadTestOptions): number[] {
  return options.mode === 'rate'
    ? planLevels(options.startRate!, options.maxRate!, options.factor)
    : planLevels(options.start, options.max, options.factor);
}

/** Open model: each level's step as the local ramp budgets it (rate, duration, in-flight cap, arrivals). */
export function loadTestRateSteps(options: LoadTestOptions): RateStepBudget[] {
  if (options.mode !== 'rate') throw new Error('loadTestRateSteps: only for mode "rate"');
  return loadTestLevels(options).map((rate) => budgetRateStep(rate, options.stepDurationMs, options.maxVus!));
}

export { targetsOf };
