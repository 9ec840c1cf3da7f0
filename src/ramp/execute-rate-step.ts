/**
 * One step of the open model (k6's ramping-arrival-rate, one stage at a time): `rate` arrivals per
 * second on the clock for `durationMs`, each one request (the folder's requests in turn), sent
 * whatever the answers do — a slow or failing target does not slow the arrivals, as a real spike
 * does not wait. At most `maxVus` requests are in flight: an arrival that finds them all busy is
 * DROPPED (not sent, counted), and a step that dropped any decides nothing, like an underdriven
 * step of the closed model: the generator, not the target, set the load.
 *
 * Arrivals are due at t0 + i/rate; each timer tick sends every arrival that is due. An arrival the
 * generator reaches more than LATE_TOLERANCE (one interval, at least LATE_MIN_MS) after it was due
 * is dropped too: sending it would turn a busy event loop's pause into a burst the target never
 * was offered, and a false breaking point below the real one. So dropped arrivals mean "the
 * generator could not offer this rate" either way, and the step is repeated. A stop (Ctrl-C,
 * --max-duration, --max-requests) sends no further arrival and cuts those in flight; every hop,
 * redirects too, is taken from the ramp's send allowance first.
 */
import { getMaxListeners, setMaxListeners } from 'node:events';
import { ENGINES } from '../engines/engine.js';
import { Debug502Error, RuntimeError } from '../errors.js';
import { ROUTE_FOLDER, type RampEngine } from '../model.js';
import { recordInto, systemStepClock, type SendTally, type StepInput, type StepOutcome } from './execute-step.js';
import type { RateStepBudget } from './plan.js';
import { createStepRecorder, progressReporter, type StepRecorderClock } from './step-recorder.js';

/** An arrival later than max(this, one interval) is dropped, not sent in a burst (see the file comment). */
export const LATE_MIN_MS = 2;

export interface RateStepDeps {
  engine: RampEngine;
  clock?: StepRecorderClock;
}

/** Runs an open-model step: see the file comment. Throws RuntimeError when the engine cannot send the folder. */
export async function executeRateStep(input: StepInput, deps: RateStepDeps): Promise<StepOutcome> {
  const budget = input.budget;
  if (budget.model !== 'rate') throw new Error('executeRateStep runs open-model (rate) steps; a concurrency step goes to executeStep');
  const engine = ENGINES[deps.engine];
  if (!engine.openArrivals) throw new RuntimeError(`the ${deps.engine} engine cannot drive an arrival rate: ${engine.cannot?.rate ?? ''}`, 'ramp --mode rate with --engine fast');
  const folder = ROUTE_FOLDER[input.target];
  // Every request in flight listens on the signal (to be cut by a stop): up to maxVus at once.
  if (input.signal) setMaxListeners(Math.max(getMaxListeners(input.signal), budget.maxVus + 10), input.signal);
  let sender;
  try {
    sender = await engine.openArrivals({
      collection: input.collection,
      environment: input.environment,
      envVars: input.envVars,
      folder,
      timeoutRequestMs: input.timeoutRequestMs,
      followRedirects: input.followRedirects,
      insecure: input.insecure,
      ...(input.tls ? { tls: input.tls } : {}),
      allowance: input.allowance,
      signal: input.signal,
    });
  } catch (error) {
    if (error instanceof Debug502Error) throw error;
    throw new RuntimeError(`${deps.engine} could not prepare the "${folder}" folder: ${(error as Error).message}`, 'check the collection with "debug502 run" first', { cause: error });
  }
  const clock = deps.clock ?? systemStepClock;
  const recorder = createStepRecorder(
    { concurrency: budget.maxVus, rate: budget.rate, phase: input.phase, failOn: input.failOn, threshold: input.threshold, runRequestsBefore: input.runRequestsBefore, ...input.criteria },
    clock,
  );
  const tally: SendTally = { answered: 0, sent: 0, redirects: 0 };
  const progress = progressReporter(recorder, budget.requests, input.onProgress);
  let offered = 0;
  let refused = false;
  try {
    offered = await offerArrivals(budget, clock, input.signal, (index, done) => {
      void sender.send(index, recordInto(recorder, tally, progress)).then((end) => {
        if (end === 'refused') refused = true;
      }).finally(done);
    }, () => recorder.arrivalDropped());
  } finally {
    await sender.close();
  }
  const result = recorder.finish();
  if (tally.redirects > 0) result.redirects = tally.redirects;
  return { result, complete: offered >= budget.requests && !refused, answered: tally.answered, sent: tally.sent, refused };
}

/**
 * The arrival schedule: calls `launch(i, done)` for each due arrival while fewer than maxVus are
 * in flight and it is not too late (`done` when its request ends), `drop()` otherwise. Resolves with the arrivals offered
 * (sent or dropped) once the last one has been and nothing is in flight.
 */
function offerArrivals(
  budget: RateStepBudget,
  clock: StepRecorderClock,
  signal: AbortSignal | undefined,
  launch: (index: number, done: () => void) => void,
  drop: () => void,
): Promise<number> {
  const intervalMs = 1000 / budget.rate;
  const lateMs = Math.max(LATE_MIN_MS, intervalMs);
  const startMs = clock.now();
  let next = 0;
  let inFlight = 0;
  return new Promise((resolve) => {
    let timer: NodeJS.Timeout | undefined;
    const finishIfDone = () => {
      const over = next >= budget.requests || signal?.aborted;
      if (over && inFlight === 0) {
        signal?.removeEventListener('abort', onAbort);
        resolve(next);
      }
    };
    const onAbort = () => {
      if (timer) clearTimeout(timer);
      finishIfDone();
    };
    const done = () => {
      inFlight -= 1;
      finishIfDone();
    };
    const tick = () => {
      timer = undefined;
      const now = clock.now();
      while (next < budget.requests && !signal?.aborted && startMs + next * intervalMs <= now) {
        const index = next++;
        if (inFlight >= budget.maxVus || now - (startMs + index * intervalMs) > lateMs) {
          drop();
          continue;
        }
        inFlight += 1;
        launch(index, done);
      }
      if (next < budget.requests && !signal?.aborted) timer = setTimeout(tick, Math.max(0, startMs + next * intervalMs - clock.now()));
      else finishIfDone();
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    tick();
  });
}
