/**
 * The aggregates of one step, fed request by request: status and transport-error counts, failures,
 * the first failure's ordinal, an HDR latency histogram, the peak and the time-weighted average of
 * requests in flight, and the client's CPU. Memory stays flat however many requests a step sends: nothing per request is kept.
 */
import { build as buildHistogram, type Histogram } from 'hdr-histogram-js';
import type { StepPhase, StepResult, TransportErrorCode } from '../model.js';
import { isStepFailed, isUnderdriven } from './detect.js';

/** Latencies above this (one hour) are recorded as this; nothing real waits that long. */
const HIGHEST_LATENCY_MS = 3_600_000;

/** The latency histogram of a step (1 ms to one hour, 3 significant digits); worker parts merge into one alike. */
export function buildLatencyHistogram(): Histogram {
  return buildHistogram({ lowestDiscernibleValue: 1, highestTrackableValue: HIGHEST_LATENCY_MS, numberOfSignificantValueDigits: 3 });
}

/** A latency as the histogram records it: whole milliseconds, 0 to one hour. */
export function clampLatencyMs(latencyMs: number): number {
  return Math.min(HIGHEST_LATENCY_MS, Math.max(0, Math.round(latencyMs)));
}

/** Outcome counts by kind, as tallyOutcome adds them up. */
export interface OutcomeTally {
  status: Record<string, number>;
  transportErrors: Record<string, number>;
  /** Answers slower than `slowAboveMs` (`--fail-on slow`). */
  slow: number;
}

/**
 * Counts one outcome into `tally`; true when it is a failure: a `failOn` status, no response, or
 * (with `slowAboveMs`) an answer strictly over the limit, as the collection's own latency test judges it.
 */
export function tallyOutcome(outcome: RecordedOutcome, failOn: ReadonlySet<number>, slowAboveMs: number | undefined, tally: OutcomeTally): boolean {
  if (outcome.status === undefined) {
    const code = outcome.error ?? 'EUNKNOWN';
    tally.transportErrors[code] = (tally.transportErrors[code] ?? 0) + 1;
    return true;
  }
  tally.status[outcome.status] = (tally.status[outcome.status] ?? 0) + 1;
  if (slowAboveMs !== undefined && outcome.latencyMs > slowAboveMs) {
    tally.slow += 1;
    return true;
  }
  return failOn.has(outcome.status);
}

/** Everything a step's result is computed from: one recorder's, or the merge of worker parts (workers/pool.ts). */
export interface StepAggregates {
  done: number;
  failures: number;
  status: Record<string, number>;
  transportErrors: Record<string, number>;
  histogram: Histogram;
  peakInFlight: number;
  /** ∫ in flight dt, request·ms. */
  inFlightArea: number;
  /** 1-based ordinal in the step of the first failure, or null. */
  firstFailure: number | null;
  /** Answers over `slowAboveMs`. */
  slow: number;
  droppedArrivals: number;
  durationMs: number;
  /** Client CPU over the step, ms (every thread of the process). */
  cpuMs: number;
}

/** The StepResult of a step's aggregates. Pure. */
export function summarizeStep(options: StepRecorderOptions, a: StepAggregates): StepResult {
  const { done, durationMs } = a;
  const at = (p: number) => (done === 0 ? 0 : a.histogram.getValueAtPercentile(p));
  const open = options.rate !== undefined;
  const latencyMs = { p50: at(50), p90: at(90), p95: at(95), p99: at(99), max: done === 0 ? 0 : a.histogram.maxValue };
  const overPercentile = done > 0 && (latencyMs.p95 > (options.maxP95Ms ?? Infinity) || latencyMs.p99 > (options.maxP99Ms ?? Infinity));
  return {
    concurrency: options.concurrency,
    ...(open ? { rate: options.rate, droppedArrivals: a.droppedArrivals } : {}),
    phase: options.phase,
    requests: done,
    status: sortKeys(a.status),
    transportErrors: sortKeys(a.transportErrors),
    failures: a.failures,
    ...(options.slowAboveMs !== undefined ? { slow: a.slow } : {}),
    rate502: done === 0 ? 0 : (a.status['502'] ?? 0) / done,
    failureRate: done === 0 ? 0 : a.failures / done,
    latencyMs,
    rps: durationMs > 0 ? round2((done * 1000) / durationMs) : 0,
    durationMs: Math.round(durationMs),
    first502AtRequest: a.firstFailure,
    first502AtRunRequest: a.firstFailure === null ? null : options.runRequestsBefore + a.firstFailure,
    peakInFlight: a.peakInFlight,
    avgInFlight: durationMs > 0 ? round2(a.inFlightArea / durationMs) : 0,
    underdriven: open ? a.droppedArrivals > 0 : isUnderdriven(a.peakInFlight, options.concurrency),
    clientCpuPercent: durationMs > 0 ? Math.round((a.cpuMs / durationMs) * 1000) / 10 : 0,
    failed: isStepFailed(a.failures, done, options.threshold) || overPercentile,
  };
}

export interface StepRecorderOptions {
  /** Closed model: the level. Open model: the cap on requests in flight. */
  concurrency: number;
  /** Open model: the offered rate; the step is then underdriven when it dropped arrivals, not by its peak. */
  rate?: number;
  phase: StepPhase;
  failOn: readonly number[];
  threshold: number;
  /** Requests this target was sent before the step: run ordinals continue from here. */
  runRequestsBefore: number;
  /** `--fail-on slow`: an answer slower than this (the collection's `max_response_time_ms`) fails. */
  slowAboveMs?: number;
  /** `--max-p95` / `--max-p99`: the step fails when its percentile is above it. */
  maxP95Ms?: number;
  maxP99Ms?: number;
}

export interface StepRecorderClock {
  /** Milliseconds on a monotonic clock. */
  now(): number;
  /** CPU time of this process so far, as process.cpuUsage() gives it (microseconds). */
  cpuUsage(): { user: number; system: number };
}

/** What a finished request contributes: a status or a transport error, and its latency. */
export interface RecordedOutcome {
  status?: number;
  error?: TransportErrorCode;
  latencyMs: number;
}

/** Counts so far, for a progress bar. */
export interface StepCounts {
  done: number;
  failures: number;
  count502: number;
}

/** A step's counts and how many requests it plans: what a step's onProgress is given after every request. */
export type StepProgress = StepCounts & { planned: number };

/**
 * The progress call of a step: `onProgress` given the recorder's counts, or nothing to do without one.
 * Called after every request: the object is built field by field, which against a fast target
 * cost a measurable share of the fast engine's CPU when it was spread from counts().
 */
export function progressReporter(recorder: StepRecorder, planned: number, onProgress: ((progress: StepProgress) => void) | undefined): () => void {
  if (!onProgress) return () => {};
  return () => {
    const { done, failures, count502 } = recorder.counts();
    onProgress({ done, failures, count502, planned });
  };
}

export interface StepRecorder {
  /** A request starts: returns its 1-based ordinal in the step and counts it in flight. */
  requestStarted(): number;
  /** Its response (or transport error) arrived: it is no longer in flight. */
  responseArrived(): void;
  /** Open model: an arrival found every virtual user busy and was not sent. */
  arrivalDropped(): void;
  /** Its outcome, under the ordinal requestStarted returned. */
  recordOutcome(ordinal: number, outcome: RecordedOutcome): void;
  counts(): StepCounts;
  /** The step's result; the clock stops at the first call. */
  finish(): StepResult;
}

/** Starts recording a step now (clock and CPU sampled at once). */
export function createStepRecorder(options: StepRecorderOptions, clock: StepRecorderClock): StepRecorder {
  const failOn = new Set(options.failOn);
  const histogram = buildLatencyHistogram();
  const counted: OutcomeTally = { status: {}, transportErrors: {}, slow: 0 };
  const { status, transportErrors } = counted;
  const startedAt = clock.now();
  const cpuAtStart = clock.cpuUsage();
  let started = 0;
  let inFlight = 0;
  let peakInFlight = 0;
  // ∫ inFlight dt in request·ms, advanced at every start and response: the average shows how much of
  // the step C requests were really in flight (the peak only says they were at some moment).
  let inFlightArea = 0;
  let lastChangeAt = startedAt;
  const advance = (now: number) => {
    inFlightArea += inFlight * Math.max(0, now - lastChangeAt);
    lastChangeAt = now;
  };
  let done = 0;
  let dropped = 0;
  let failures = 0;
  let firstFailure: number | null = null;
  let result: StepResult | undefined;

  return {
    requestStarted() {
      advance(clock.now());
      started += 1;
      inFlight += 1;
      if (inFlight > peakInFlight) peakInFlight = inFlight;
      return started;
    },
    responseArrived() {
      advance(clock.now());
      if (inFlight > 0) inFlight -= 1;
    },
    arrivalDropped() {
      dropped += 1;
    },
    recordOutcome(ordinal, outcome) {
      done += 1;
      if (tallyOutcome(outcome, failOn, options.slowAboveMs, counted)) {
        failures += 1;
        if (firstFailure === null || ordinal < firstFailure) firstFailure = ordinal;
      }
      histogram.recordValue(clampLatencyMs(outcome.latencyMs));
    },
    counts: () => ({ done, failures, count502: status['502'] ?? 0 }),
    finish() {
      if (result) return result;
      const endedAt = clock.now();
      const durationMs = Math.max(0, endedAt - startedAt);
      advance(endedAt);
      const cpu = clock.cpuUsage();
      const cpuMs = (cpu.user - cpuAtStart.user + cpu.system - cpuAtStart.system) / 1000;
      result = summarizeStep(options, {
        done, failures, status, transportErrors, histogram, peakInFlight, inFlightArea, firstFailure, slow: counted.slow, droppedArrivals: dropped, durationMs, cpuMs,
      });
      return result;
    },
  };
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

/** Keys in a stable order, so the same counts always serialize the same way. */
function sortKeys(counts: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => a.localeCompare(b)));
}
