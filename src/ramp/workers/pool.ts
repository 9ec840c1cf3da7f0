/**
 * A step's virtual users spread over worker threads, one engine per thread — newman costs ~7 ms of
 * CPU a request, so one thread caps a step near 150 req/s however many users it starts; N threads
 * use N cores. The pool lives for one ramp: workers start (and load their engine) at the first
 * step and are reused for every step after it; close() ends them.
 *
 * Same step as executeStep (execute-step.ts), merged from the workers' parts (messages.ts): counts
 * add up; HDR histograms merge; the in-flight peak, average and the first failure's ordinal come
 * from the requests' start/end times on one clock for all threads. Stops: the signal is passed to
 * every worker, whose engines cut their requests in flight, as in one thread. --max-requests holds
 * at the server: a step's passes are split over the users (passesOfUser) before any starts, and
 * every hop (redirects too) is taken from the ramp's allowance in shared memory (Atomics), so no
 * two threads get the last send.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker, type ResourceLimits } from 'node:worker_threads';
import { decodeFromCompressedBase64, type Histogram } from 'hdr-histogram-js';
import type { RampAllowance, SendAllowance, SharedAllowanceState } from '../../engines/request-guard.js';
import { InputError, RuntimeError } from '../../errors.js';
import { ROUTE_FOLDER, type RampEngine } from '../../model.js';
import { closedBudgetOf, systemStepClock, type StepInput, type StepOutcome } from '../execute-step.js';
import { passesOfUser } from '../plan.js';
import { buildLatencyHistogram, summarizeStep, type StepRecorderClock } from '../step-recorder.js';
import type { BatchCounts, DoneMessage, ErrorMessage, StepRequest, WorkerMessage, WorkerSetup } from './messages.js';
import { mergeTimeline } from './timeline.js';

export interface StepPool {
  execute(input: StepInput): Promise<StepOutcome>;
  /** Ends every worker; the pool cannot run steps after it. */
  close(): Promise<void>;
}

export interface StepPoolOptions {
  engine: RampEngine;
  workers: number;
  clock?: StepRecorderClock;
}

/**
 * The compiled step-worker.js beside this file. Under vitest this file runs from src/ as
 * TypeScript, which a worker thread cannot load: the build's copy in dist/ is used then (npm test
 * builds first).
 */
export function stepWorkerUrl(): URL {
  const here = import.meta.url;
  const url = new URL('./step-worker.js', here);
  if (!here.endsWith('.ts')) return url;
  const built = new URL(url.href.replace(/\/src\/(?!.*\/src\/)/, '/dist/'));
  if (!existsSync(fileURLToPath(built))) throw new RuntimeError(`the worker pool needs the built ${fileURLToPath(built)}`, 'run "npm run build" first');
  return built;
}

interface PoolWorker {
  worker: Worker;
  ready: Promise<void>;
}

/**
 * A worker's young generation capped at 4 MB (V8's default lets it grow to 16–32 MB a thread): each
 * thread holds a whole newman, and what a request makes dies young. Measured with newman ramps
 * 1 → 64 of the bench collection on 2 threads against nginx `return 200`: no cap 300 MB peak RSS,
 * 8 MB 254 MB; later (with lean summaries, the heap growth limit and no boot code module source),
 * 20,000 requests 258 MB with 8 MB and 246 MB with 4 MB, at the same rate (C = 16, two threads,
 * interleaved processes: medians 378 and 359 req/s, within this VM's spread of 295–403).
 * The fast engine's threads keep 8 MB: they make garbage at tens of thousands of requests a
 * second and hold little else.
 */
const WORKER_LIMITS: Record<RampEngine, ResourceLimits> = { newman: { maxYoungGenerationSizeMb: 4 }, fast: { maxYoungGenerationSizeMb: 8 } };

/** A pool of `options.workers` threads for one ramp; see the file comment. */
export function createStepPool(options: StepPoolOptions): StepPool {
  const clock = options.clock ?? systemStepClock;
  let workers: PoolWorker[] | undefined;
  let nextStepId = 1;
  const start = (): PoolWorker[] =>
    (workers ??= Array.from({ length: options.workers }, () => {
      const worker = new Worker(stepWorkerUrl(), { workerData: { engine: options.engine } satisfies WorkerSetup, resourceLimits: WORKER_LIMITS[options.engine] });
      // A pool someone forgot to close must not keep the process alive.
      worker.unref();
      const ready = new Promise<void>((resolve, reject) => {
        const onMessage = (message: WorkerMessage) => message.type === 'ready' && (worker.off('message', onMessage), resolve());
        worker.on('message', onMessage);
        worker.once('error', reject);
        worker.once('exit', (code) => reject(new RuntimeError(`a step worker exited (code ${code}) before it was ready`)));
      });
      return { worker, ready };
    }));

  return {
    async execute(input) {
      const pool = start();
      await Promise.all(pool.map((w) => w.ready));
      return runPooledStep(pool.map((w) => w.worker), nextStepId++, input, options.engine, clock);
    },
    async close() {
      const pool = workers;
      workers = undefined;
      if (pool) await Promise.all(pool.map((w) => w.worker.terminate()));
    },
  };
}

function runPooledStep(pool: Worker[], stepId: number, input: StepInput, engine: RampEngine, clock: StepRecorderClock): Promise<StepOutcome> {
  const budget = closedBudgetOf(input.budget);
  const allowance = input.allowance && sharedStateOf(input.allowance);
  const options = { concurrency: budget.concurrency, phase: input.phase, failOn: input.failOn, threshold: input.threshold, runRequestsBefore: input.runRequestsBefore, ...input.criteria };
  const shares: number[][] = pool.map(() => []);
  for (let user = 0; user < budget.concurrency; user++) shares[user % pool.length].push(passesOfUser(budget, user));
  const busy = pool.map((worker, i) => ({ worker, passes: shares[i] })).filter((w) => w.passes.some((p) => p > 0));

  const status: Record<string, number> = {};
  const transportErrors: Record<string, number> = {};
  const intervals: Float64Array[] = [];
  const histogram = buildLatencyHistogram();
  // Progress counts come from the per-request ticks, the step's figures from the batches.
  const progress = { done: 0, failures: 0, count502: 0 };
  let done = 0;
  let answered = 0;
  let failures = 0;
  let count502 = 0;
  let slow = 0;
  let sent = 0;
  let redirects = 0;
  let refused = false;
  let firstFailureStart: number | null = null;
  const add = (part: BatchCounts) => {
    done += part.done;
    answered += part.answered;
    failures += part.failures;
    count502 += part.count502;
    slow += part.slow;
    sent += part.sent;
    redirects += part.redirects;
    for (const [key, n] of Object.entries(part.status)) status[key] = (status[key] ?? 0) + n;
    for (const [key, n] of Object.entries(part.transportErrors)) transportErrors[key] = (transportErrors[key] ?? 0) + n;
    if (part.intervals.length > 0) intervals.push(part.intervals);
  };

  const startedAt = clock.now();
  const cpuAtStart = clock.cpuUsage();
  return new Promise<StepOutcome>((resolve, reject) => {
    let pending = busy.length;
    let failed: Error | undefined;
    const stop = () => busy.forEach(({ worker }) => worker.postMessage({ type: 'stop', stepId }));
    const cleanup = () => {
      input.signal?.removeEventListener('abort', stop);
      for (const { worker } of busy) {
        worker.off('message', onMessage);
        worker.off('error', onError);
      }
    };
    const settle = () => {
      if (--pending > 0) return;
      cleanup();
      if (failed) {
        histogram.destroy();
        return reject(failed);
      }
      const durationMs = Math.max(0, clock.now() - startedAt);
      const cpu = clock.cpuUsage();
      const timeline = mergeTimeline(intervals, firstFailureStart);
      const result = summarizeStep(options, {
        done, failures, status, transportErrors, slow, histogram, peakInFlight: timeline.peakInFlight, inFlightArea: timeline.inFlightArea,
        firstFailure: timeline.firstFailureOrdinal, droppedArrivals: 0, durationMs, cpuMs: (cpu.user - cpuAtStart.user + cpu.system - cpuAtStart.system) / 1000,
      });
      histogram.destroy();
      if (redirects > 0) result.redirects = redirects;
      const complete = (result.requests >= budget.requests || !input.signal?.aborted) && !refused;
      resolve({ result, complete, answered, sent, refused });
    };
    const onMessage = (message: WorkerMessage) => {
      if (message.type === 'ready' || message.stepId !== stepId) return;
      if (message.type === 'tick') {
        progress.done += 1;
        if (message.failed) progress.failures += 1;
        if (message.is502) progress.count502 += 1;
        return input.onProgress?.({ done: progress.done, failures: progress.failures, count502: progress.count502, planned: budget.requests });
      }
      if (message.type === 'refused') {
        // A take past the cap, here: the ramp's allowance sees the refusal (and stops the ramp) as
        // it would have had the engine run in this thread.
        refused = true;
        input.allowance?.take();
        return;
      }
      if (message.type === 'error') {
        failed ??= rebuildError(message, engine, input);
        stop();
        return settle();
      }
      add(message);
      if (message.type === 'done') {
        mergeHistogram(histogram, (message as DoneMessage).histogram);
        const first = (message as DoneMessage).firstFailureStart;
        if (first !== null && (firstFailureStart === null || first < firstFailureStart)) firstFailureStart = first;
        if ((message as DoneMessage).refused) refused = true;
        settle();
      }
    };
    const onError = (error: Error) => {
      failed ??= new RuntimeError(`a step worker crashed: ${error.message}`, 'run the ramp with --workers 1 to see the engine\'s own error', { cause: error });
      settle();
    };
    for (const { worker } of busy) {
      worker.on('message', onMessage);
      worker.once('error', onError);
    }
    if (busy.length === 0) {
      pending = 1;
      return settle();
    }
    for (const { worker, passes } of busy) {
      const request: StepRequest = {
        type: 'step',
        stepId,
        input: {
          collection: input.collection,
          environment: input.environment,
          envVars: input.envVars,
          ...(input.globals ? { globals: input.globals } : {}),
          folder: ROUTE_FOLDER[input.target],
          timeoutRequestMs: input.timeoutRequestMs,
          followRedirects: input.followRedirects,
          insecure: input.insecure,
          ...(input.tls ? { tls: input.tls } : {}),
          ...(input.cookieJar !== undefined ? { cookieJar: input.cookieJar } : {}),
        },
        ...(input.iterationData ? { iterationData: input.iterationData } : {}),
        ...(allowance ? { allowance } : {}),
        passes,
        failOn: [...input.failOn],
        slowAboveMs: input.criteria?.slowAboveMs,
      };
      worker.postMessage(request);
    }
    // After the steps: a stop that came while the workers were starting (their first step) must
    // reach a step the worker runs, not arrive before it and be ignored.
    if (input.signal?.aborted) stop();
    else input.signal?.addEventListener('abort', stop, { once: true });
  });
}

/** Where an allowance counts, for the workers to take from it too; one without shared memory cannot be shared (a wiring mistake). */
function sharedStateOf(allowance: SendAllowance): SharedAllowanceState {
  const shared = (allowance as Partial<RampAllowance>).shared;
  if (!shared) throw new Error('the worker pool needs an allowance from createSendAllowance (its count is in shared memory)');
  return shared;
}

function mergeHistogram(into: Histogram, encoded: string): void {
  const part = decodeFromCompressedBase64(encoded);
  into.add(part);
  part.destroy();
}

/** The worker's error as the parent would have thrown it: the user's words for the fast engine's refusals, else as executeStep words it. */
function rebuildError(message: ErrorMessage, engine: RampEngine, input: StepInput): Error {
  const { name, message: text, problems, hint } = message.error;
  if (name === 'InputError') return new InputError(text, problems ?? [], hint);
  if (name === 'RuntimeError') return new RuntimeError(text, hint);
  return new RuntimeError(`${engine} could not run the "${ROUTE_FOLDER[input.target]}" folder: ${text}`, 'check the collection with "debug502 run" first');
}
