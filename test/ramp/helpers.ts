/** Synthetic steps and a simulated target for the pure tests of the ramp; lab files for the real ones. */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildCollection, buildEnvironment } from '../../src/generate/index.js';
import type { RampTarget, StepPhase, StepResult } from '../../src/model.js';
import type { ExecuteStep, StepInput } from '../../src/ramp/index.js';

export interface FakeStepSpec {
  phase?: StepPhase;
  requests?: number;
  /** Failures: 502s unless `transport` is set. */
  failures?: number;
  transport?: boolean;
  peak?: number;
  cpu?: number;
  /** avgInFlight; absent when not given, as in reports written before it existed. */
  avg?: number;
}

/** A StepResult at concurrency `c`, consistent with itself (threshold 0). */
export function fakeStep(c: number, spec: FakeStepSpec = {}): StepResult {
  const requests = spec.requests ?? 100;
  const failures = spec.failures ?? 0;
  const status: Record<string, number> = {};
  if (requests > failures) status['200'] = requests - failures;
  if (failures > 0 && !spec.transport) status['502'] = failures;
  const peak = spec.peak ?? c;
  return {
    concurrency: c,
    phase: spec.phase ?? 'ramp',
    requests,
    status,
    transportErrors: failures > 0 && spec.transport ? { ECONNREFUSED: failures } : {},
    failures,
    rate502: spec.transport ? 0 : failures / requests,
    failureRate: failures / requests,
    latencyMs: { p50: 50, p90: 55, p95: 60, p99: 70, max: 80 },
    rps: 100,
    durationMs: 1000,
    first502AtRequest: failures > 0 ? 1 : null,
    first502AtRunRequest: failures > 0 ? 1 : null,
    peakInFlight: peak,
    ...(spec.avg !== undefined ? { avgInFlight: spec.avg } : {}),
    underdriven: peak < c,
    clientCpuPercent: spec.cpu ?? 20,
    failed: failures > 0,
  };
}

export interface SimulatedTarget {
  /** Fails at this concurrency and above; never when undefined. */
  breaksAt?: number;
  /** The client cannot hold more than this many requests in flight. */
  clientLimit?: number;
  /** No request gets any answer. */
  dead?: boolean;
  /** Share of a failing step's requests that fail (502s); default 0.1. */
  failShare?: number;
}

/**
 * An ExecuteStep that answers from a model of each target instead of sending requests, and
 * records every call. Ordinals continue over the run, as the real engine does.
 */
export function simulate(targets: Partial<Record<RampTarget, SimulatedTarget>>, hooks: { onStep?(input: StepInput): void } = {}) {
  const calls: StepInput[] = [];
  const execute: ExecuteStep = async (input) => {
    calls.push(input);
    hooks.onStep?.(input);
    const model = targets[input.target] ?? {};
    const c = input.budget.level;
    const requests = input.budget.requests;
    const failures = model.dead ? requests : model.breaksAt !== undefined && c >= model.breaksAt ? Math.ceil(requests * (model.failShare ?? 0.1)) : 0;
    const step = fakeStep(c, { phase: input.phase, requests, failures, transport: model.dead, peak: Math.min(c, model.clientLimit ?? c) });
    const aborted = input.signal?.aborted ?? false;
    if (aborted) return { result: { ...step, requests: Math.floor(requests / 2) }, complete: false, answered: Math.floor(requests / 2) };
    step.first502AtRunRequest = step.first502AtRequest === null ? null : input.runRequestsBefore + step.first502AtRequest;
    return { result: step, complete: true, answered: requests };
  };
  return { execute, calls };
}

/** The generated "502 Debugging" collection with one endpoint (GET /api/users): one request per pass. */
export function labCollection(): { item?: unknown } {
  return buildCollection({
    name: 'ramp test',
    assertions: { maxResponseTimeMs: 5000 },
    environments: { lab: { gateway_url: 'http://127.0.0.1:1', backend_url: 'http://127.0.0.1:1', secrets: [] } },
    endpoints: [{ name: 'List users', method: 'GET', path: '/api/users', query: {}, headers: {} }],
  }) as { item?: unknown };
}

/** Writes the lab collection and an environment pointing at `urls` into `dir`; returns both paths. */
export async function writeLabFiles(dir: string, urls: { gateway: string; backend: string }): Promise<{ collection: string; environment: string }> {
  const collection = join(dir, 'ramp.postman_collection.json');
  const environment = join(dir, 'lab.postman_environment.json');
  await writeFile(collection, JSON.stringify(labCollection()));
  await writeFile(environment, JSON.stringify(buildEnvironment('lab', { gateway_url: urls.gateway, backend_url: urls.backend, secrets: [] })));
  return { collection, environment };
}

/** The levels a ramp tried, in the order it first tried them (a repeated step counts once). */
export function levelsTried(steps: readonly StepResult[]): number[] {
  return [...new Set(steps.map((s) => s.concurrency))];
}

/** The last step at each level tried: after an underdriven step is repeated, the repeat is the one that decided. */
export function decidingSteps(steps: readonly StepResult[]): StepResult[] {
  return levelsTried(steps).map((level) => steps.filter((s) => s.concurrency === level).at(-1)!);
}
