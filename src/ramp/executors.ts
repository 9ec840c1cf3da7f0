/**
 * One executor per load model, as k6 registers its executors: the plan's `mode` picks it, the
 * engine and worker count come from the plan. The ramp loop (run-ramp.ts) only ever calls the
 * executor this returns, and closes it at the end (a worker pool's threads end then).
 */
import { DEFAULT_ENGINE, ENGINES } from '../engines/engine.js';
import type { LoadModel } from '../model.js';
import { executeRateStep } from './execute-rate-step.js';
import { executeStep, type ExecuteStep } from './execute-step.js';
import type { RampPlan } from './plan.js';
import { createStepPool } from './workers/pool.js';

export interface StepExecutor {
  execute: ExecuteStep;
  /** Frees what the executor holds (worker threads, what its engine's duringRamp set); called once, when the ramp ends. */
  close?(): Promise<void>;
}

/**
 * The executors by load model. Closed (concurrency: users that wait for their answers): in this
 * thread with one worker, else over a worker pool. Open (rate: arrivals on the clock): in this
 * thread — one event loop keeps the clock, and the fast engine it needs sends ~10× what newman does.
 */
export const EXECUTORS: Readonly<Record<LoadModel, (plan: RampPlan) => StepExecutor>> = {
  concurrency: (plan) => {
    const engine = plan.options.engine ?? DEFAULT_ENGINE;
    const undo = ENGINES[engine].duringRamp?.();
    if (plan.workers > 1) {
      const pool = createStepPool({ engine, workers: plan.workers });
      return { execute: (input) => pool.execute(input), close: () => pool.close().finally(undo) };
    }
    return {
      execute: async (input) => {
        const outcome = await executeStep(input, { runEngine: ENGINES[engine].run, engineName: engine });
        await ENGINES[engine].afterStep?.();
        return outcome;
      },
      close: async () => undo?.(),
    };
  },
  rate: (plan) => ({ execute: (input) => executeRateStep(input, { engine: plan.options.engine ?? DEFAULT_ENGINE }) }),
};

/** The executor that runs the steps of `plan`. */
export function executorFor(plan: RampPlan): StepExecutor {
  return EXECUTORS[plan.mode](plan);
}
