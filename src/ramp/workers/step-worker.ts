/**
 * A step worker (worker_threads): loads its engine once, then runs the virtual users the parent
 * hands it, step after step, and streams what they did as aggregates (messages.ts). Each user is
 * one engine run, exactly as in the parent's own executeStep; the parent merges the workers' parts
 * into one StepResult (pool.ts). Nothing per request is kept past a batch.
 */
// First: the stand-ins for modules this thread's runs may never use go in before anything loads them.
import '../../engines/defer-at-start.js';
import { setMaxListeners } from 'node:events';
import { parentPort, workerData } from 'node:worker_threads';
import { encodeIntoCompressedBase64 } from 'hdr-histogram-js';
import { ENGINES, STOP_LISTENERS_PER_RUN } from '../../engines/engine.js';
import { joinSharedAllowance } from '../../engines/request-guard.js';
import { cycleRows } from '../../postman/cycle-rows.js';
import { Debug502Error, InputError } from '../../errors.js';
import { buildLatencyHistogram, clampLatencyMs, tallyOutcome } from '../step-recorder.js';
import type { BatchCounts, ParentMessage, StepRequest, WorkerMessage, WorkerSetup } from './messages.js';

/** A batch goes to the parent at least this often, so its progress bar and stop decisions stay live. */
const BATCH_MS = 50;

const port = parentPort;
if (!port) throw new Error('step-worker.js runs as a worker thread (src/ramp/workers/pool.ts starts it)');
const setup = workerData as WorkerSetup;
const engine = ENGINES[setup.engine];
/** One clock for every thread: each worker's performance.now() has its own origin. */
const sharedNow = () => performance.timeOrigin + performance.now();
const running = new Map<number, AbortController>();

const post = (message: WorkerMessage) => port.postMessage(message);

port.on('message', (message: ParentMessage) => {
  if (message.type === 'stop') return void running.get(message.stepId)?.abort();
  void runStep(message);
});
post({ type: 'ready' });

function emptyCounts(): BatchCounts {
  return { done: 0, answered: 0, failures: 0, count502: 0, slow: 0, status: {}, transportErrors: {}, sent: 0, redirects: 0, intervals: new Float64Array(0) };
}

async function runStep(request: StepRequest): Promise<void> {
  const controller = new AbortController();
  // Each of the step's users here listens on it while its run is under way.
  setMaxListeners(request.passes.length * STOP_LISTENERS_PER_RUN + 10, controller.signal);
  running.set(request.stepId, controller);
  const failOn = new Set(request.failOn);
  const histogram = buildLatencyHistogram();
  let counts = emptyCounts();
  let times: number[] = [];
  let firstFailureStart: number | null = null;
  let refused = false;
  const allowance = request.allowance ? joinSharedAllowance(request.allowance) : undefined;
  const take = (): BatchCounts => {
    const batch = { ...counts, intervals: Float64Array.from(times) };
    counts = emptyCounts();
    times = [];
    return batch;
  };
  const timer = setInterval(() => {
    if (counts.done > 0 || times.length > 0) post({ type: 'batch', stepId: request.stepId, ...take() });
  }, BATCH_MS);
  try {
    await Promise.all(
      request.passes.map(async (passes) => {
        if (passes === 0) return;
        // A user's requests run one after another: the one that starts is the one that answers next.
        let startedAt = 0;
        const summary = await engine.run(
          {
            ...request.input,
            ...(request.iterationData ? { iterationData: cycleRows(request.iterationData, passes) } : {}),
            iterationCount: passes,
            allowance,
            signal: controller.signal,
          },
          {
            onRequestStart: () => {
              startedAt = sharedNow();
            },
            onSend: (info) => {
              counts.sent += 1;
              if (info.redirect) counts.redirects += 1;
            },
            onResponse: () => {
              counts.answered += 1;
              times.push(startedAt, sharedNow());
            },
            onOutcome: (outcome) => {
              counts.done += 1;
              if (outcome.status === 502) counts.count502 += 1;
              const failed = tallyOutcome(outcome, failOn, request.slowAboveMs, counts);
              if (failed) {
                counts.failures += 1;
                if (firstFailureStart === null || startedAt < firstFailureStart) firstFailureStart = startedAt;
              }
              post({ type: 'tick', stepId: request.stepId, failed, is502: outcome.status === 502 });
              histogram.recordValue(clampLatencyMs(outcome.latencyMs));
            },
          },
        );
        if (summary.refused && !refused) {
          refused = true;
          post({ type: 'refused', stepId: request.stepId });
        }
      }),
    );
    post({ type: 'done', stepId: request.stepId, ...take(), histogram: encodeIntoCompressedBase64(histogram), firstFailureStart: firstFailureStart as number | null, refused });
    // After 'done': the step is measured without it, and the next one finds the memory returned.
    await engine.afterStep?.();
  } catch (error) {
    const e = error as Error;
    post({
      type: 'error',
      stepId: request.stepId,
      error: {
        name: e instanceof InputError ? 'InputError' : e instanceof Debug502Error ? 'RuntimeError' : 'Error',
        message: e.message,
        problems: e instanceof InputError ? e.problems : undefined,
        hint: e instanceof Debug502Error ? e.hint : undefined,
      },
    });
  } finally {
    clearInterval(timer);
    histogram.destroy();
    running.delete(request.stepId);
  }
}
