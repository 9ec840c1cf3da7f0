/**
 * Realistic RampReports built in code: the shapes the ramp engine produces for the cases the
 * reporters must handle. Figures are consistent (failures = fail-on statuses + transport errors,
 * ratios = counts / requests, run ordinals continue across steps) so the renderers see real data.
 */
import type { LevelSummary, RampOptions, RampReport, StepPhase, StepResult, TargetResult } from '../../src/model.js';
import { RAMP_DEFAULTS } from '../../src/ramp/options.js';

interface StepSpec {
  c: number;
  phase?: StepPhase;
  requests?: number;
  /** Status counts other than 200 (200 gets the rest). */
  status?: Record<string, number>;
  transport?: Record<string, number>;
  p50: number;
  /** Tail growth: p90 = p50·tail^1, p95 = ·tail^1.5, p99 = ·tail^2.5, max = ·tail^3.5. */
  tail?: number;
  /** 1-based ordinal of the first failure in the step (default: just after the first third). */
  firstAt?: number;
  peak?: number;
  cpu?: number;
}

/** The ramp's own defaults: fixtures describe ramps run with them unless a case says otherwise. */
export const BASE_OPTIONS: RampOptions = { ...RAMP_DEFAULTS, target: 'gateway' };

/** Builds a target's result from step specs, deciding failed/breaking point like the ramp does. */
export function buildTarget(specs: StepSpec[], options: RampOptions = BASE_OPTIONS): TargetResult {
  let runRequests = 0;
  const steps = specs.map((spec): StepResult => {
    const requests = spec.requests ?? options.requestsPerStep;
    const extra = spec.status ?? {};
    const transport = spec.transport ?? {};
    const nonOk = Object.values(extra).reduce((a, b) => a + b, 0);
    const transportCount = Object.values(transport).reduce((a, b) => a + b, 0);
    const status: Record<string, number> = { '200': requests - nonOk - transportCount, ...extra };
    const failures = options.failOn.reduce((sum, code) => sum + (extra[String(code)] ?? 0), 0) + transportCount;
    const firstInStep = failures > 0 ? (spec.firstAt ?? Math.floor(requests / 3) + 1) : null;
    const tail = spec.tail ?? 1.2;
    const durationMs = Math.round((requests / spec.c) * spec.p50 * 1.1);
    const peakInFlight = spec.peak ?? spec.c;
    const step: StepResult = {
      concurrency: spec.c,
      phase: spec.phase ?? 'ramp',
      requests,
      status,
      transportErrors: transport,
      failures,
      rate502: (extra['502'] ?? 0) / requests,
      failureRate: failures / requests,
      latencyMs: {
        p50: spec.p50,
        p90: Math.round(spec.p50 * tail),
        p95: Math.round(spec.p50 * tail ** 1.5),
        p99: Math.round(spec.p50 * tail ** 2.5),
        max: Math.round(spec.p50 * tail ** 3.5),
      },
      rps: Math.round((requests / durationMs) * 100_000) / 100,
      durationMs,
      first502AtRequest: firstInStep,
      first502AtRunRequest: firstInStep === null ? null : runRequests + firstInStep,
      peakInFlight,
      underdriven: peakInFlight < spec.c,
      clientCpuPercent: spec.cpu ?? Math.min(95, 8 + spec.c * 1.5),
      failed: failures / requests > options.threshold,
    };
    runRequests += requests;
    return step;
  });
  const decided = steps.filter((s) => !s.underdriven);
  const failing = decided.filter((s) => s.failed).sort((a, b) => a.concurrency - b.concurrency)[0];
  const passing = decided
    .filter((s) => !s.failed && (!failing || s.concurrency < failing.concurrency))
    .sort((a, b) => b.concurrency - a.concurrency)[0];
  const level = (s: StepResult | undefined): LevelSummary | null =>
    s ? { concurrency: s.concurrency, rps: s.rps, rate502: s.rate502, failureRate: s.failureRate } : null;
  // Underdriven levels never re-measured properly leave the answer open below the breaking point.
  const openLevels = steps.filter((s) => s.underdriven && !decided.some((d) => d.concurrency === s.concurrency));
  const firstFailing = steps.find((s) => s.first502AtRunRequest !== null);
  return {
    steps,
    breakingPoint: level(failing),
    lastPassing: level(passing),
    first502AtRequest: firstFailing?.first502AtRunRequest ?? null,
    underdriven: openLevels.some((s) => !failing || s.concurrency < failing.concurrency),
  };
}

/** Wall time of a ramp: its steps one after another, plus a little start-up. */
const rampDurationMs = (...targets: TargetResult[]): number =>
  targets.flatMap((t) => t.steps).reduce((sum, s) => sum + s.durationMs, 350);

function meta(options: Partial<RampOptions>, durationMs: number, collection = 'Orders API — 502 Debugging'): RampReport['meta'] {
  return {
    tool: 'debug502',
    version: '0.1.0',
    collection,
    environment: 'staging',
    startedAt: '2025-03-14T09:26:53.000Z',
    durationMs,
    options: { ...BASE_OPTIONS, ...options },
  };
}

/** `--target both`, nginx `max_conns=20` in front of an uncapped backend: the gateway breaks at 21. */
export function gatewayLimitedReport(): RampReport {
  const options = { ...BASE_OPTIONS, target: 'both' as const };
  const gateway = buildTarget([
    { c: 1, p50: 52 }, { c: 2, p50: 53 }, { c: 4, p50: 53 }, { c: 8, p50: 55 }, { c: 16, p50: 58, tail: 1.25 },
    { c: 32, p50: 41, tail: 1.6, status: { '502': 61 }, firstAt: 23 },
    { c: 24, phase: 'bisect', p50: 50, tail: 1.4, status: { '502': 16 }, firstAt: 41 },
    { c: 20, phase: 'bisect', p50: 60, tail: 1.3 },
    { c: 22, phase: 'bisect', p50: 55, tail: 1.35, status: { '502': 7 }, firstAt: 64 },
    { c: 21, phase: 'bisect', p50: 57, tail: 1.32, status: { '502': 2, '504': 1 }, firstAt: 118 },
  ], options);
  const backend = buildTarget([
    { c: 1, p50: 50 }, { c: 2, p50: 50 }, { c: 4, p50: 51 }, { c: 8, p50: 51 }, { c: 16, p50: 52 },
    { c: 32, p50: 55, tail: 1.25 }, { c: 64, p50: 61, tail: 1.3, cpu: 71 },
  ], options);
  return {
    schemaVersion: 2,
    meta: meta(options, rampDurationMs(gateway, backend)),
    targets: { gateway, backend },
    verdict: {
      code: 'gateway-limited',
      message: 'The gateway returns 502s from 21 concurrent requests while the backend, hit directly, holds up to 64: the gateway is the limit.',
      next: 'Check the gateway’s connection limits: nginx max_conns on the upstream servers, worker_connections, keepalive and proxy timeouts.',
    },
  };
}

/** One target, a backend capped at 6 requests in flight behind nginx: breaks at 7 (502s, a 504, a reset). */
export function singleTargetReport(): RampReport {
  const gateway = buildTarget([
    { c: 1, p50: 51 }, { c: 2, p50: 52 }, { c: 4, p50: 53 },
    { c: 8, p50: 48, tail: 1.5, status: { '502': 22, '504': 2 }, transport: { ECONNRESET: 1 }, firstAt: 9 },
    { c: 6, phase: 'bisect', p50: 55, tail: 1.2 },
    { c: 7, phase: 'bisect', p50: 53, tail: 1.4, status: { '502': 6 }, firstAt: 31 },
  ]);
  return {
    schemaVersion: 2,
    meta: meta({ max: 32 }, rampDurationMs(gateway)),
    targets: { gateway },
    verdict: { code: 'breaking-point', message: 'The gateway returns 502s from 7 concurrent requests; 6 is the last level that passed.' },
  };
}

/** Nothing breaks up to the maximum. */
export function noBreakingPointReport(): RampReport {
  const gateway = buildTarget([1, 2, 4, 8, 16, 32, 64].map((c) => ({ c, p50: 50 + c / 8 })));
  return {
    schemaVersion: 2,
    meta: meta({}, rampDurationMs(gateway)),
    targets: { gateway },
    verdict: { code: 'no-breaking-point', message: 'No 502s up to 64 concurrent requests: the gateway held the whole ramp.' },
  };
}

/** Ctrl-C during the gateway's 4th step: three steps done, the backend never started. */
export function interruptedReport(): RampReport {
  const options = { ...BASE_OPTIONS, target: 'both' as const };
  const gateway = buildTarget([{ c: 1, p50: 50 }, { c: 2, p50: 51 }, { c: 4, p50: 52 }], options);
  const backend = buildTarget([], options);
  return {
    schemaVersion: 2,
    meta: { ...meta(options, rampDurationMs(gateway) + 2_900), aborted: { reason: 'interrupted', message: 'SIGINT received during the step at concurrency 8; in-flight requests finished.' } },
    targets: { gateway, backend },
    verdict: { code: 'inconclusive', message: 'The ramp was interrupted after 3 steps, before any step failed.' },
  };
}

/** The client could not keep 32 requests in flight (CPU-bound): 32 was never really tested. */
export function underdrivenReport(): RampReport {
  const gateway = buildTarget([
    { c: 1, p50: 50 }, { c: 2, p50: 50 }, { c: 4, p50: 51 }, { c: 8, p50: 52 }, { c: 16, p50: 54, cpu: 82 },
    { c: 32, p50: 57, peak: 24, cpu: 99 },
    { c: 32, phase: 'repeat', p50: 58, peak: 26, cpu: 100 },
  ]);
  return {
    schemaVersion: 2,
    meta: meta({ max: 32 }, rampDurationMs(gateway)),
    targets: { gateway },
    verdict: {
      code: 'inconclusive',
      message: 'No 502s up to 16 concurrent requests; at 32 the load generator never had more than 26 requests in flight, so 32 was not tested.',
      next: 'Run the ramp from a machine with more CPU, or use the fast engine.',
    },
  };
}

export const ALL_FIXTURES = {
  'gateway-limited': gatewayLimitedReport,
  'single-target': singleTargetReport,
  'no-breaking-point': noBreakingPointReport,
  interrupted: interruptedReport,
  underdriven: underdrivenReport,
} as const;
