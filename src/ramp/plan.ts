/**
 * The ramp as data, computed before any request (k6's execution plan): which targets, which
 * concurrency levels, how many requests each step sends, and the safety limits. Pure.
 */
import { formatDurationOption } from '../options/parse-duration.js';
import type { RampOptions, RampTarget } from '../model.js';
import { MAX_CONCURRENCY } from './options.js';
import { describeFailOn } from '../report/format.js';

/** What one step at one concurrency sends. */
export interface StepBudget {
  concurrency: number;
  /** Whole passes of the target's folder, spread over the virtual users. */
  iterations: number;
  /** iterations × requests per pass. */
  requests: number;
}

export interface RampPlan {
  options: RampOptions;
  /** In ramp order: the gateway first, so `both` can compare the backend against it. */
  targets: RampTarget[];
  /** Concurrency of the ramp steps, ascending: start, start·factor, … (rounded up), then max. */
  levels: number[];
  /** Requests in one pass of each target's folder. */
  folderRequests: Partial<Record<RampTarget, number>>;
  /** The ramp steps of each target. Bisection probes and repeats are decided as results come in. */
  steps: Partial<Record<RampTarget, StepBudget[]>>;
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
  return { concurrency, iterations, requests: iterations * folderRequests };
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
  const levels = planLevels(options.start, Math.min(options.max, MAX_CONCURRENCY), options.factor);
  const notes: string[] = [];
  const steps: RampPlan['steps'] = {};
  let rampRequests = 0;
  for (const target of targets) {
    const perPass = folderRequests[target];
    if (perPass === undefined || perPass < 1) throw new Error(`planRamp: no folder size for ${target}`);
    steps[target] = levels.map((c) => budgetStep(c, options.requestsPerStep, perPass));
    rampRequests += steps[target]!.reduce((sum, s) => sum + s.requests, 0);
    const rounded = steps[target]!.find((s) => s.iterations > s.concurrency);
    if (perPass > 1 && rounded && rounded.requests !== options.requestsPerStep) {
      notes.push(`${target}: one pass of the folder is ${perPass} requests, so a step sends ${rounded.requests} requests (${rounded.iterations} passes), not ${options.requestsPerStep}.`);
    }
    const raised = steps[target]!.filter((s) => s.iterations === s.concurrency && s.requests > options.requestsPerStep);
    if (raised.length > 0) {
      notes.push(`${target}: from concurrency ${raised[0].concurrency} on, each virtual user needs one whole pass, so those steps send more than --requests-per-step (${raised.map((s) => `${s.concurrency}: ${s.requests}`).join(', ')}).`);
    }
  }
  if (rampRequests > options.maxRequests) {
    notes.push(`The ramp steps need ${rampRequests} requests, above --max-requests ${options.maxRequests}: unless a breaking point ends the ramp sooner, it stops at the limit (exit 3, report written).`);
  }
  return {
    options,
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
  const lines = [
    `Ramp plan: ${plan.targets.join(' then ')}, concurrency ${plan.levels.join(' → ')}, engine ${o.engine ?? 'newman'}`,
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
      const low = Math.floor(step.iterations / step.concurrency);
      const share = step.iterations % step.concurrency === 0 ? `${low}` : `${low}–${low + 1}`;
      lines.push(`    concurrency ${String(step.concurrency).padStart(4)}: ${String(step.requests).padStart(6)} requests, ${share} pass${share === '1' ? '' : 'es'} per virtual user`);
    }
  }
  lines.push(
    `  at most ${plan.rampRequests} requests in ramp steps (bisection and repeats of underdriven steps come on top)`,
    `  limits: --max-requests ${plan.limits.maxRequests}, --max-duration ${formatDurationOption(plan.limits.maxDurationMs)}, ` +
      `--timeout-request ${plan.limits.timeoutRequestMs} ms, concurrency cap ${plan.limits.maxConcurrency}`,
    ...plan.notes.map((n) => `  note: ${n}`),
  );
  return lines.join('\n') + '\n';
}

function describeThreshold(threshold: number): string {
  return threshold === 0 ? '0 (any failure)' : `${+(threshold * 100).toFixed(2)}%`;
}

export { formatDurationOption };
