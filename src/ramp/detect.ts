/**
 * What the steps of one target show, as pure functions: which levels pass or fail, which step to
 * run next (ramp, repeat, bisect), and the breaking point.
 *
 * A level fails when any of its steps failed: a failure is evidence whatever the client managed.
 * It passes only when a step passed with the full concurrency really in flight; a passing step that
 * was underdriven decides nothing (the client, not the target, limited it), so it is repeated, and a
 * level still undecided after the repeats stays `open`.
 */
import type { LevelSummary, StepPhase, StepResult, TargetResult } from '../model.js';

export type LevelDecision = 'pass' | 'fail' | 'open';

/** An underdriven passing step is run this many more times before its level is left open. */
export const MAX_REPEATS = 2;

/** The next step to run for a target. */
export interface NextStep {
  concurrency: number;
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

/** The decision of every concurrency tried so far. */
export function decideLevels(steps: readonly StepResult[]): Map<number, LevelDecision> {
  const decisions = new Map<number, LevelDecision>();
  for (const step of steps) {
    const before = decisions.get(step.concurrency);
    const now: LevelDecision = step.failed ? 'fail' : step.underdriven ? 'open' : 'pass';
    if (before === 'fail' || now === 'fail') decisions.set(step.concurrency, 'fail');
    else if (before === 'pass' || now === 'pass') decisions.set(step.concurrency, 'pass');
    else decisions.set(step.concurrency, 'open');
  }
  return decisions;
}

/** The smallest failing concurrency, or null. */
function smallestFailing(decisions: Map<number, LevelDecision>): number | null {
  let found: number | null = null;
  for (const [c, d] of decisions) if (d === 'fail' && (found === null || c < found)) found = c;
  return found;
}

/** The largest passing concurrency below `below` (any, when null), or null. */
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
 * neighbours. A bisection probe whose level stays open ends the search: the client cannot tell.
 */
export function chooseNextStep(levels: readonly number[], steps: readonly StepResult[], bisect: boolean): NextStep | null {
  const decisions = decideLevels(steps);
  const last = steps[steps.length - 1];
  if (last && decisions.get(last.concurrency) === 'open') {
    const tries = steps.filter((s) => s.concurrency === last.concurrency).length;
    if (tries <= MAX_REPEATS) return { concurrency: last.concurrency, phase: 'repeat' };
  }
  const failing = smallestFailing(decisions);
  if (failing === null) {
    const next = levels.find((c) => !decisions.has(c));
    return next === undefined ? null : { concurrency: next, phase: 'ramp' };
  }
  if (!bisect) return null;
  const passing = largestPassing(decisions, failing) ?? 0;
  if (failing - passing <= 1) return null;
  const middle = Math.floor((passing + failing) / 2);
  return decisions.has(middle) ? null : { concurrency: middle, phase: 'bisect' };
}

/** The figures of a level, from the step that decided it. */
export function summarizeLevel(step: StepResult): LevelSummary {
  return { concurrency: step.concurrency, rps: step.rps, rate502: step.rate502, failureRate: step.failureRate };
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
  const stepAt = (c: number, wanted: (s: StepResult) => boolean) => steps.filter((s) => s.concurrency === c && wanted(s)).at(-1);
  const breakingStep = failing === null ? undefined : steps.find((s) => s.concurrency === failing && s.failed);
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
    .filter((s) => s.underdriven && open.get(s.concurrency) === 'open')
    .sort((a, b) => b.concurrency - a.concurrency || a.peakInFlight - b.peakInFlight)[0];
}
