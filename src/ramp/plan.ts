/**
 * The ramp as data, computed before any request (k6's execution plan): which targets, which load
 * model and levels (concurrencies or offered rates), how many requests each step sends, how many
 * worker threads, and the safety limits. Pure: the plan the CLI prints is the plan runRamp runs.
 */
import { formatDurationOption } from '../options/parse-duration.js';
import type { LoadModel, RampOptions, RampTarget } from '../model.js';
import { MAX_CONCURRENCY, workersOf } from './options.js';
import { describeFailOn } from '../report/format.js';

/** What one step of the closed model sends: C users sharing whole passes of the folder. */
export interface StepBudget {
  model: 'concurrency';
  /** The step's level: its concurrency. */
  level: number;
  concurrency: number;
  /** Whole passes of the target's folder, spread over the virtual users. */
  iterations: number;
  /** iterations × requests per pass. */
  requests: number;
}

/** What one step of the open model sends: `rate` arrivals per second for `durationMs`, at most `maxVus` in flight. */
export interface RateStepBudget {
  model: 'rate';
  /** The step's level: its offered rate. */
  level: number;
  rate: number;
  durationMs: number;
  maxVus: number;
  /** Arrivals scheduled: rate × duration (each one request, the folder's requests in turn). */
  requests: number;
}

/** A step's budget in either model; `model` tells which executor runs it. */
export type LevelBudget = StepBudget | RateStepBudget;

export interface RampPlan {
  options: RampOptions;
  /** The load model: which executor runs the steps and what a level is. */
  mode: LoadModel;
  /** Worker threads a step's users are spread over (1: in this thread). */
  workers: number;
  /** In ramp order: the gateway first, so `both` can compare the backend against it. */
  targets: RampTarget[];
  /** Levels of the ramp steps, ascending: start, start·factor, … (rounded up), then max — concurrencies or rates (req/s). */
  levels: number[];
  /** Requests in one pass of each target's folder. */
  folderRequests: Partial<Record<RampTarget, number>>;
  /** The ramp steps of each target. Bisection probes and repeats are decided as results come in. */
  steps: Partial<Record<RampTarget, LevelBudget[]>>;
  /** Requests of every ramp step of every target, when no breaking point cuts the ramp short. */
  rampRequests: number;
  limits: { maxRequests: number; maxDurationMs: number; timeoutRequestMs: number; maxConcurrency: number };
  /** Things the user should know before starting, e.g. a budget rounded to whole passes. */
  notes: string[];
}

/**
 * The concurrency levels from `start` to `max`: each level is the previous one times `factor`,
 * rounded up and at least one more than the previous; `max` itself is always the last level.
 */
export function planLevels(start: number, max: number, factor: number): number[] {
  const levels = [start];
  for (;;) {
    const last = levels[levels.length - 1];
    const next = Math.max(Math.ceil(last * factor), last + 1);
    if (next >= max) break;
    levels.push(next);
  }
  if (levels[levels.length - 1] < max) levels.push(max);
  return levels;
}

/**
 * The budget of one step: the request budget rounded to whole passes of the folder (either engine
 * runs a pass to the end: `iterationCount`), and at least one pass per virtual user, so every user
 * sends something.
 */
export function budgetStep(concurrency: number, requestsPerStep: number, folderRequests: number): StepBudget {
  const iterations = Math.max(concurrency, Math.round(requestsPerStep / folderRequests), 1);
  return { model: 'concurrency', level: concurrency, concurrency, iterations, requests: iterations * folderRequests };
}

/** The budget of one open-model step: `rate` arrivals a second for `durationMs` (at least one arrival). */
export function budgetRateStep(rate: number, durationMs: number, maxVus: number): RateStepBudget {
  return { model: 'rate', level: rate, rate, durationMs, maxVus, requests: Math.max(1, Math.round((rate * durationMs) / 1000)) };
}

/** The budget of a step at `level` for `target` in the plan's model: ramp steps, bisection probes and repeats alike. */
export function budgetLevel(plan: RampPlan, target: RampTarget, level: number): LevelBudget {
  const o = plan.options;
  if (plan.mode === 'rate') return budgetRateStep(level, o.stepDurationMs!, o.maxVus!);
  return budgetStep(level, o.requestsPerStep, plan.folderRequests[target]!);
}

/** How many passes of the folder virtual user `index` (0-based) runs: the passes spread evenly. */
export function passesOfUser(budget: StepBudget, index: number): number {
  const base = Math.floor(budget.iterations / budget.concurrency);
  return base + (index < budget.iterations % budget.concurrency ? 1 : 0);
}

/** The targets of `--target`, in ramp order. */
export function targetsOf(target: RampOptions['target']): RampTarget[] {
  return target === 'both' ? ['gateway', 'backend'] : [target];
}

/**
 * Plans the ramp of `options` over folders of the given sizes (see countFolderRequests); every
 * target of `options.target` needs its folder size. Pure: the same input, the same plan.
 */
export function planRamp(options: RampOptions, folderRequests: Partial<Record<RampTarget, number>>): RampPlan {
  const targets = targetsOf(options.target);
  const mode = options.mode ?? 'concurrency';
  const levels = mode === 'rate'
    ? planLevels(options.startRate!, options.maxRate!, options.factor)
    : planLevels(options.start, Math.min(options.max, MAX_CONCURRENCY), options.factor);
  const notes: string[] = [];
  const steps: RampPlan['steps'] = {};
  let rampRequests = 0;
  for (const target of targets) {
    const perPass = folderRequests[target];
    if (perPass === undefined || perPass < 1) throw new Error(`planRamp: no folder size for ${target}`);
    if (mode === 'rate') {
      steps[target] = levels.map((rate) => budgetRateStep(rate, options.stepDurationMs!, options.maxVus!));
      rampRequests += steps[target]!.reduce((sum, s) => sum + s.requests, 0);
      continue;
    }
    const closed = levels.map((c) => budgetStep(c, options.requestsPerStep, perPass));
    steps[target] = closed;
    rampRequests += closed.reduce((sum, s) => sum + s.requests, 0);
    const rounded = closed.find((s) => s.iterations > s.concurrency);
    if (perPass > 1 && rounded && rounded.requests !== options.requestsPerStep) {
      notes.push(`${target}: one pass of the folder is ${perPass} requests, so a step sends ${rounded.requests} requests (${rounded.iterations} passes), not ${options.requestsPerStep}.`);
    }
    const raised = closed.filter((s) => s.iterations === s.concurrency && s.requests > options.requestsPerStep);
    if (raised.length > 0) {
      notes.push(`${target}: from concurrency ${raised[0].concurrency} on, each virtual user needs one whole pass, so those steps send more than --requests-per-step (${raised.map((s) => `${s.concurrency}: ${s.requests}`).join(', ')}).`);
    }
  }
  const workers = workersOf(options);
  if (options.workers !== undefined && workers < options.workers) {
    notes.push(`--workers ${options.workers}: ${workers} thread${workers === 1 ? '' : 's'}, one per core: a thread past the cores sends no more, and costs memory.`);
  }
  if (rampRequests > options.maxRequests) {
    notes.push(`The ramp steps need ${rampRequests} requests, above --max-requests ${options.maxRequests}: unless a breaking point ends the ramp sooner, it stops at the limit (exit 3, report written).`);
  }
  return {
    options,
    mode,
    workers,
    targets,
    levels,
    folderRequests: { ...folderRequests },
    steps,
    rampRequests,
    limits: {
      maxRequests: options.maxRequests,
      maxDurationMs: options.maxDurationMs,
      timeoutRequestMs: options.timeoutRequestMs,
      maxConcurrency: MAX_CONCURRENCY,
    },
    notes,
  };
}

/** The plan as text, for `--dry-run` and the head of a run: one line per ramp step and target. */
export function formatPlan(plan: RampPlan): string {
  const o = plan.options;
  const workers = plan.workers > 1 ? `, ${plan.workers} worker threads` : '';
  const levels = plan.mode === 'rate'
    ? `rate ${plan.levels.join(' → ')} req/s (arrivals on the clock, at most ${o.maxVus} in flight)`
    : `concurrency ${plan.levels.join(' → ')}`;
  const lines = [
    `Ramp plan: ${plan.targets.join(' then ')}, ${levels}, engine ${o.engine}${workers}`,
    `  a step fails when more than ${describeThreshold(o.threshold)} of its requests fail (${describeFailOn(o.failOn, o.failOnSlow)})` +
      (o.bisect ? '; after the first failing step, bisection finds the smallest failing level' : '; no bisection (--no-bisect)'),
  ];
  if (o.maxP95Ms !== undefined || o.maxP99Ms !== undefined) {
    lines.push(`  a step also fails when ${[o.maxP95Ms !== undefined ? `its p95 is above ${o.maxP95Ms} ms` : '', o.maxP99Ms !== undefined ? `its p99 is above ${o.maxP99Ms} ms` : ''].filter(Boolean).join(' or ')}`);
  }
  for (const target of plan.targets) {
    const perPass = plan.folderRequests[target]!;
    lines.push(`  ${target} (${perPass} request${perPass === 1 ? '' : 's'} per pass of the folder):`);
    for (const step of plan.steps[target]!) {
      if (step.model === 'rate') {
        lines.push(`    rate ${String(step.rate).padStart(7)}/s: ${String(step.requests).padStart(6)} arrivals over ${formatDurationOption(step.durationMs)}; a step that drops arrivals decides nothing`);
        continue;
      }
      const low = Math.floor(step.iterations / step.concurrency);
      const share = step.iterations % step.concurrency === 0 ? `${low}` : `${low}–${low + 1}`;
      lines.push(`    concurrency ${String(step.concurrency).padStart(4)}: ${String(step.requests).padStart(6)} requests, ${share} pass${share === '1' ? '' : 'es'} per virtual user`);
    }
  }
  lines.push(
    `  at most ${plan.rampRequests} requests in ramp steps (bisection and repeats of underdriven steps come on top)`,
    `  limits: --max-requests ${plan.limits.maxRequests}, --max-duration ${formatDurationOption(plan.limits.maxDurationMs)}, ` +
      `--timeout-request ${plan.limits.timeoutRequestMs} ms, ` +
      (plan.mode === 'rate' ? `in flight cap --max-vus ${o.maxVus}` : `concurrency cap ${plan.limits.maxConcurrency}`),
    ...plan.notes.map((n) => `  note: ${n}`),
  );
  return lines.join('\n') + '\n';
}

function describeThreshold(threshold: number): string {
  return threshold === 0 ? '0 (any failure)' : `${+(threshold * 100).toFixed(2)}%`;
}

export { formatDurationOption };
