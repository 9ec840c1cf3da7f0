/**
 * The aggregates of one step, fed request by request: status and transport-error counts, failures,
 * the first failure's ordinal, an HDR latency histogram, the peak and the time-weighted average of
 * requests in flight, and the client's CPU. Memory stays flat however many requests a step sends: nothing per request is kept.
 */
import { build as buildHistogram } from 'hdr-histogram-js';
import type { StepPhase, StepResult, TransportErrorCode } from '../model.js';
import { isStepFailed, isUnderdriven } from './detect.js';

/** Latencies above this (one hour) are recorded as this; nothing real waits that long. */
const HIGHEST_LATENCY_MS = 3_600_000;

export interface StepRecorderOptions {
  concurrency: number;
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

export interface StepRecorder {
  /** A request starts: returns its 1-based ordinal in the step and counts it in flight. */
  requestStarted(): number;
  /** Its response (or transport error) arrived: it is no longer in flight. */
  responseArrived(): void;
  /** Its outcome, under the ordinal requestStarted returned. */
  recordOutcome(ordinal: number, outcome: RecordedOutcome): void;
  counts(): StepCounts;
  /** The step's result; the clock stops at the first call. */
  finish(): StepResult;
}

/** Starts recording a step now (clock and CPU sampled at once). */
export function createStepRecorder(options: StepRecorderOptions, clock: StepRecorderClock): StepRecorder {
  const failOn = new Set(options.failOn);
  const histogram = buildHistogram({ lowestDiscernibleValue: 1, highestTrackableValue: HIGHEST_LATENCY_MS, numberOfSignificantValueDigits: 3 });
  const status: Record<string, number> = {};
  const transportErrors: Record<string, number> = {};
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
  let failures = 0;
  let slow = 0;
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
    recordOutcome(ordinal, outcome) {
      done += 1;
      let failed: boolean;
      if (outcome.status !== undefined) {
        status[outcome.status] = (status[outcome.status] ?? 0) + 1;
        failed = failOn.has(outcome.status);
        // The guide's latency test: strictly over the limit, as the collection's own test judges it.
        if (options.slowAboveMs !== undefined && outcome.latencyMs > options.slowAboveMs) {
          slow += 1;
          failed = true;
        }
      } else {
        const code = outcome.error ?? 'EUNKNOWN';
        transportErrors[code] = (transportErrors[code] ?? 0) + 1;
        failed = true;
      }
      if (failed) {
        failures += 1;
        if (firstFailure === null || ordinal < firstFailure) firstFailure = ordinal;
      }
      histogram.recordValue(Math.min(HIGHEST_LATENCY_MS, Math.max(0, Math.round(outcome.latencyMs))));
    },
    counts: () => ({ done, failures, count502: status['502'] ?? 0 }),
    finish() {
      if (result) return result;
      const endedAt = clock.now();
      const durationMs = Math.max(0, endedAt - startedAt);
      advance(endedAt);
      const cpu = clock.cpuUsage();
      const cpuMs = (cpu.user - cpuAtStart.user + cpu.system - cpuAtStart.system) / 1000;
      const at = (p: number) => (done === 0 ? 0 : histogram.getValueAtPercentile(p));
      const latencyMs = { p50: at(50), p90: at(90), p95: at(95), p99: at(99), max: done === 0 ? 0 : histogram.maxValue };
      const overPercentile = done > 0 && (latencyMs.p95 > (options.maxP95Ms ?? Infinity) || latencyMs.p99 > (options.maxP99Ms ?? Infinity));
      result = {
        concurrency: options.concurrency,
        phase: options.phase,
        requests: done,
        status: sortKeys(status),
        transportErrors: sortKeys(transportErrors),
        failures,
        ...(options.slowAboveMs !== undefined ? { slow } : {}),
        rate502: done === 0 ? 0 : (status['502'] ?? 0) / done,
        failureRate: done === 0 ? 0 : failures / done,
        latencyMs,
        rps: durationMs > 0 ? round2((done * 1000) / durationMs) : 0,
        durationMs: Math.round(durationMs),
        first502AtRequest: firstFailure,
        first502AtRunRequest: firstFailure === null ? null : options.runRequestsBefore + firstFailure,
        peakInFlight,
        avgInFlight: durationMs > 0 ? round2(inFlightArea / durationMs) : 0,
        underdriven: isUnderdriven(peakInFlight, options.concurrency),
        clientCpuPercent: durationMs > 0 ? Math.round((cpuMs / durationMs) * 1000) / 10 : 0,
        failed: isStepFailed(failures, done, options.threshold) || overPercentile,
      };
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
