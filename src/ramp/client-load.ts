/**
 * What the load generator really delivered, in the words the verdicts use. With the newman engine
 * (the default) each virtual user is one sequential newman run, so a level of C puts C requests in
 * flight at the peak, but newman's own work between requests (script sandbox, events, the next
 * request's set-up, each user's run start) keeps the time-weighted average far lower. Measured on
 * the lab (nginx 1.22, backend at 50 ms per answer, no cap), average in flight at C = 4, 8, 16, 32:
 * 2.3, 3.4, 3.3, 2.7 with 120 requests per step; 2.6, 4.3, 5.8, 7.0 with 600 per step, where
 * throughput levelled off at 75–90 req/s. So a ramp finds CONCURRENCY limits — max_conns, a worker
 * or connection cap, a backend capacity — which need only C requests at once, but not THROUGHPUT
 * limits (a server that breaks above some requests per second): newman cannot send that many —
 * the fast engine (FAST_ENGINE_HINT) can. Pure functions.
 */
import type { RampEngine, RampTarget, StepResult, TargetResult } from '../model.js';
import { formatAverage } from '../report/format.js';
import { worstUnderdrivenStep } from './detect.js';
import { levelOf, nameLevel } from '../facts/level.js';

/**
 * A client at this share of one CPU core or more is saturated: its requests start and finish late,
 * so the target saw less load than the level says.
 */
export const CLIENT_SATURATED_CPU_PERCENT = 90;

/**
 * A held level whose average in flight is below this share of its concurrency gets the throughput
 * caveat: the target held C requests at once, but the load it took on average was much smaller.
 */
export const LOW_AVERAGE_SHARE = 0.5;

/** Where newman's own cost limits the load, the engine that lifts it (measured: ~0.3 ms vs ~7 ms CPU a request). */
export const FAST_ENGINE_HINT = 'To push harder, ramp with --engine fast (the same requests, the guide\'s two tests, a fraction of the CPU).';

/**
 * Where the fast engine itself is the limit, what lifts it: more client, not another engine (the
 * hint a saturated fast-engine ramp gives instead of FAST_ENGINE_HINT).
 */
export const BIGGER_CLIENT_HINT = 'The fast engine itself was the limit on this machine: ramp from a bigger machine (more cores) or spread the plan over several (debug502 export --to locust or k6).';

/** The hint that lifts the client's limit, for the engine that sent the load (absent: newman). */
export function pushHarderHint(engine: RampEngine | undefined): string {
  return engine === 'fast' ? BIGGER_CLIENT_HINT : FAST_ENGINE_HINT;
}

/** "12.5%" — a 0..1 share as the ramp's verdicts and lines tell it, one decimal at most. */
export function formatShare(ratio: number): string {
  return `${+(ratio * 100).toFixed(1)}%`;
}


/** The step that showed the target holding at its last passing level (full concurrency, no failure). */
export function heldStep(result: TargetResult): StepResult | undefined {
  const held = result.lastPassing ? levelOf(result.lastPassing) : undefined;
  return held === undefined ? undefined : result.steps.filter((s) => levelOf(s) === held && !s.failed && !s.underdriven).at(-1);
}

/** A sentence when the step that showed the target holding ran on a saturated client, or ''. */
export function describeSaturation(target: RampTarget, result: TargetResult, engine?: RampEngine): string {
  const step = heldStep(result);
  if (!step || step.clientCpuPercent < CLIENT_SATURATED_CPU_PERCENT) return '';
  const average = step.avgInFlight === undefined ? '' : ` (on average ${formatAverage(step.avgInFlight)} in flight)`;
  return `At ${nameLevel(step)} the load generator ran at ${Math.round(step.clientCpuPercent)}% of one CPU core: its requests went out late${average}, so "the ${target} held at ${levelOf(step)}" is an upper bound on the load it really took. ${pushHarderHint(engine)}`;
}

/** "the load generator, not the target, was the limit: …" for the worst open step, or ''. */
export function describeClientLimit(result: TargetResult): string {
  const step = worstUnderdrivenStep(result.steps);
  if (!step) return '';
  if (step.rate !== undefined) {
    // Two reasons drop an arrival (execute-rate-step.ts): every virtual user busy, or the arrival came
    // due while the generator's event loop was held up (a timer late, a GC pause). Below the cap, only the second.
    const why = step.peakInFlight >= step.concurrency ? `all ${step.concurrency} virtual users busy` : `they came due while it was held up — at most ${step.peakInFlight} of ${step.concurrency} virtual users were busy`;
    return `The load generator, not the target, was the limit: at ${nameLevel(step)} it dropped ${step.droppedArrivals ?? 0} arrivals (${why}; it sent ${step.rps} req/s${describeClientCpu(step, ', ')}), so that level decided nothing.`;
  }
  const average = step.avgInFlight === undefined ? '' : `, ${formatAverage(step.avgInFlight)} on average`;
  const cpu = describeClientCpu(step, '');
  return `The load generator, not the target, was the limit: at concurrency ${step.concurrency} at most ${step.peakInFlight} requests were in flight at once${average}${cpu ? ` (${cpu})` : ''}, so that level decided nothing.`;
}

/** "client CPU 20% of one core" after `lead`, or '' for a step imported from Locust or k6 (neither measures it: 0). */
function describeClientCpu(step: StepResult, lead: string): string {
  return step.clientCpuPercent > 0 ? `${lead}client CPU ${Math.round(step.clientCpuPercent)}% of one core` : '';
}

/**
 * The throughput caveat for a target that held: it took C requests at once at the peak, but on
 * average far fewer, at the step's requests per second. '' when the average is unknown (older
 * reports) or not far below C, or when the saturation sentence already says it is an upper bound.
 */
export function describeAverageLoad(target: RampTarget, result: TargetResult, engine?: RampEngine): string {
  const step = heldStep(result);
  if (!step || step.avgInFlight === undefined || step.concurrency < 2 || step.rate !== undefined) return '';
  if (step.clientCpuPercent >= CLIENT_SATURATED_CPU_PERCENT || step.avgInFlight >= step.concurrency * LOW_AVERAGE_SHARE) return '';
  return (
    `At concurrency ${step.concurrency} the load generator had ${step.peakInFlight} requests in flight at the peak but ${formatAverage(step.avgInFlight)} on average (${step.rps} req/s): ` +
    `"the ${target} held at ${step.concurrency}" rules out a concurrency limit (max_conns, a worker or connection cap) up to ${step.concurrency}, not a throughput limit above ${step.rps} req/s. ` +
    `${pushHarderHint(engine)}`
  );
}
