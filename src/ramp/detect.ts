/**
 * What the steps of one target show, as pure functions: which levels pass or fail, which step to
 * run next (ramp, repeat, bisect), and the breaking point.
 *
 * A level fails when any of its steps failed: a failure is evidence whatever the client managed.
 * It passes only when a step passed with the full concurrency really in flight; a passing step that
 * was underdriven decides nothing (the client, not the target, limited it), so it is repeated, and a
 * level still undecided after the repeats stays `open`.
 */
import type { LevelSummary, LoadModel, StepPhase, StepResult, TargetResult } from '../model.js';
import { levelOf } from '../facts/level.js';

export type LevelDecision = 'pass' | 'fail' | 'open';

/** An underdriven passing step is run this many more times before its level is left open. */
export const MAX_REPEATS = 2;

/**
 * Open model: bisection stops when the passing and failing rates are within this share of the
 * failing one (2.5 %: 10 req/s at 400). Rates are not countable like users — 399 vs 400 req/s is
 * below what timers and a loaded machine can tell apart — and each probe costs a whole step.
 */
export const RATE_BISECT_SHARE = 0.025;

/** The smallest gap between passing and failing levels that bisection still splits. */
export function bisectResolution(mode: LoadModel, failing: number): number {
  return mode === 'rate' ? Math.max(1, Math.ceil(failing * RATE_BISECT_SHARE)) : 1;
}

/** The next step to run for a target. */
export interface NextStep {
  /** A concurrency (closed model) or an offered rate in req/s (open model). */
  level: number;
  phase: StepPhase;
}


/** A step fails when its share of failures is above the threshold (0: any failure). */
export function isStepFailed(failures: number, requests: number, threshold: number): boolean {
  return requests > 0 && failures / requests > threshold;
}

/** A step is underdriven when fewer than `concurrency` requests were ever in flight at once. */
export function isUnderdriven(peakInFlight: number, concurrency: number): boolean {
  return peakInFlight < concurrency;
}

/** The decision of every level tried so far. */
export function decideLevels(steps: readonly StepResult[]): Map<number, LevelDecision> {
  const decisions = new Map<number, LevelDecision>();
  for (const step of steps) {
    const level = levelOf(step);
    const before = decisions.get(level);
    const now: LevelDecision = step.failed ? 'fail' : step.underdriven ? 'open' : 'pass';
    if (before === 'fail' || now === 'fail') decisions.set(level, 'fail');
    else if (before === 'pass' || now === 'pass') decisions.set(level, 'pass');
    else decisions.set(level, 'open');
  }
  return decisions;
}

/** The smallest failing level, or null. */
function smallestFailing(decisions: Map<number, LevelDecision>): number | null {
  let found: number | null = null;
  for (const [c, d] of decisions) if (d === 'fail' && (found === null || c < found)) found = c;
  return found;
}

/** The largest passing level below `below` (any, when null), or null. */
function largestPassing(decisions: Map<number, LevelDecision>, below: number | null): number | null {
  let found: number | null = null;
  for (const [c, d] of decisions) {
    if (d === 'pass' && (below === null || c < below) && (found === null || c > found)) found = c;
  }
  return found;
}

/**
 * The step to run next, or null when the target is done. In order: repeat the last step while it
 * passed underdriven (at most MAX_REPEATS times); ramp to the next planned level until a level
 * fails; then, with `bisect`, probe the middle (rounded down) between the largest passing level
 * below the smallest failing one (0 when none passed) and that failing level, until they are
 * neighbours (rates: within bisectResolution). A bisection probe whose level stays open ends the
 * search: the client cannot tell.
 */
export function chooseNextStep(levels: readonly number[], steps: readonly StepResult[], bisect: boolean, mode: LoadModel = 'concurrency'): NextStep | null {
  const decisions = decideLevels(steps);
  const last = steps[steps.length - 1];
  if (last && decisions.get(levelOf(last)) === 'open') {
    const tries = steps.filter((s) => levelOf(s) === levelOf(last)).length;
    if (tries <= MAX_REPEATS) return { level: levelOf(last), phase: 'repeat' };
  }
  const failing = smallestFailing(decisions);
  if (failing === null) {
    const next = levels.find((c) => !decisions.has(c));
    return next === undefined ? null : { level: next, phase: 'ramp' };
  }
  if (!bisect) return null;
  const passing = largestPassing(decisions, failing) ?? 0;
  if (failing - passing <= bisectResolution(mode, failing)) return null;
  const middle = Math.floor((passing + failing) / 2);
  return decisions.has(middle) ? null : { level: middle, phase: 'bisect' };
}

/** The figures of a level, from the step that decided it. */
export function summarizeLevel(step: StepResult): LevelSummary {
  return { concurrency: step.concurrency, ...(step.rate !== undefined ? { rate: step.rate } : {}), rps: step.rps, rate502: step.rate502, failureRate: step.failureRate };
}

/**
 * The result of one target from its steps: the breaking point (smallest failing level), the last
 * passing level below it (or the largest passing level when nothing failed), the first failure's
 * ordinal over the whole ramp, and whether open (underdriven) levels sit between the two, or above
 * the last passing level when nothing failed — then the answer is open.
 */
export function summarizeTarget(steps: readonly StepResult[]): TargetResult {
  const decisions = decideLevels(steps);
  const failing = smallestFailing(decisions);
  const passing = largestPassing(decisions, failing);
  const stepAt = (level: number, wanted: (s: StepResult) => boolean) => steps.filter((s) => levelOf(s) === level && wanted(s)).at(-1);
  const breakingStep = failing === null ? undefined : steps.find((s) => levelOf(s) === failing && s.failed);
  const passingStep = passing === null ? undefined : stepAt(passing, (s) => !s.failed && !s.underdriven);
  const low = passing ?? 0;
  const underdriven = [...decisions].some(([c, d]) => d === 'open' && c > low && (failing === null || c < failing));
  return {
    steps: [...steps],
    breakingPoint: breakingStep ? summarizeLevel(breakingStep) : null,
    lastPassing: passingStep ? summarizeLevel(passingStep) : null,
    first502AtRequest: steps.find((s) => s.first502AtRunRequest !== null)?.first502AtRunRequest ?? null,
    underdriven,
  };
}

/** True when no request of the step got any HTTP answer: every one was a transport error. */
export function isUnanswered(step: StepResult): boolean {
  return step.requests > 0 && Object.values(step.status).every((n) => n === 0);
}

/** The open step with the most concurrency: the clearest sign of the load generator's limit. */
export function worstUnderdrivenStep(steps: readonly StepResult[]): StepResult | undefined {
  const open = decideLevels(steps);
  return steps
    .filter((s) => s.underdriven && open.get(levelOf(s)) === 'open')
    .sort((a, b) => levelOf(b) - levelOf(a) || a.peakInFlight - b.peakInFlight)[0];
}
