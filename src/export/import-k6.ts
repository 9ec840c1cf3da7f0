/**
 * A k6 run of the exported script back into a RampReport, as far as k6's end-of-test summary carries
 * the steps: the script tags every request with its step and keeps per-step submetrics (through
 * thresholds) of its failure, 502, no-response and --fail-on shares and of http_req_duration, and
 * writes its plan beside them. k6 keeps no order of requests (the first failure's ordinal is
 * unknown) nor status codes beyond the --fail-on ones: other answers are counted under 200.
 *
 * A rate-mode summary (ramping-arrival-rate) becomes an open-model report: steps carry their offered
 * `rate`, and the arrivals k6 dropped (it counts them per scenario, `dropped_iterations`) are put on
 * the steps that sent fewer requests than they offered, so such a step decides nothing, as locally.
 */
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { InputError } from '../errors.js';
import { readInputText } from '../fs/read-input.js';
import { MAX_CONCURRENCY, MAX_RATE_PER_SEC, type LatencySummary, type LoadModel, type RampReport, type RampTarget, type StepResult } from '../model.js';
import { isStepFailed, summarizeTarget } from '../ramp/detect.js';
import { RAMP_DEFAULTS } from '../ramp/options.js';
import { decideRampVerdict } from '../ramp/verdict.js';
import { VERSION } from '../version.js';

const HINT = 'pass the summary.json the exported k6 script wrote (its handleSummary; -e DEBUG502_SUMMARY=path moves it)';

interface K6Plan {
  /** Absent in summaries of scripts written before the open model: concurrency. */
  mode?: LoadModel;
  levels: number[];
  /** Rate mode: the most requests in flight (VUs), and the arrivals each step offered. */
  maxVus?: number;
  arrivals?: number[];
  stepSeconds: number;
  targets: RampTarget[];
  failOn: number[];
  /** Absent in summaries of scripts written before --fail-on slow. */
  failOnSlow?: boolean;
  threshold: number;
  maxResponseTimeMs: number;
}

interface K6Metric {
  values?: Record<string, number>;
}

export interface K6ImportOptions {
  threshold?: number;
  failOn?: number[];
  failOnSlow?: boolean;
  label?: string;
  /** When the run started (the summary does not say); default: its end minus its duration, or now. */
  startedAt?: Date;
}

/** The parsed summary → the report. InputError when it is not a summary of the exported script. */
export function buildK6Report(summary: unknown, options: K6ImportOptions = {}, file = 'summary.json'): { report: RampReport; notes: string[] } {
  const plan = readPlan(summary, file);
  const metrics = (summary as { metrics?: Record<string, K6Metric> }).metrics ?? {};
  const threshold = options.threshold ?? plan.threshold;
  const failOn = options.failOn ?? plan.failOn;
  const failOnSlow = options.failOnSlow ?? plan.failOnSlow ?? false;
  const rate = (name: string, tag: string) => {
    const values = metrics[`${name}{step:${tag}}`]?.values ?? {};
    return { yes: values.passes ?? 0, all: (values.passes ?? 0) + (values.fails ?? 0) };
  };
  const targets: RampReport['targets'] = {};
  const notes: string[] = [];
  const rateMode = plan.mode === 'rate';
  for (const target of plan.targets) {
    const steps: StepResult[] = [];
    const dropped = rateMode ? placeDroppedArrivals(plan, plan.levels.map((_, i) => rate('debug502_failed', `${target}-${i}`).all), metrics[`dropped_iterations{scenario:${target}}`]) : [];
    plan.levels.forEach((level, i) => {
      const tag = `${target}-${i}`;
      const all = rate('debug502_failed', tag);
      if (all.all === 0) return; // not reached: the test stopped before it (abortOnFail) or it sent nothing
      const statusFailures = Object.fromEntries(plan.failOn.map((s) => [String(s), rate(`debug502_status_${s}`, tag).yes]));
      const transport = rate('debug502_transport', tag).yes;
      const answeredOther = all.all - transport - Object.values(statusFailures).reduce((n, v) => n + v, 0);
      const status: Record<string, number> = { ...(answeredOther > 0 ? { 200: answeredOther } : {}) };
      for (const [code, n] of Object.entries(statusFailures)) if (n > 0) status[code] = n;
      const slow = failOnSlow ? rate('debug502_slow', tag).yes : 0;
      const failures = transport + slow + failOn.reduce((n, s) => n + (statusFailures[String(s)] ?? 0), 0);
      const count502 = rate('debug502_502', tag).yes;
      const latencyMs = readLatency(metrics[`http_req_duration{step:${tag}}`]);
      const rps = Math.round((all.all * 100) / plan.stepSeconds) / 100;
      // Rate: k6 measures no in-flight peak per step; the average is Little's law (rate × mean latency).
      const avgInFlight = rateMode ? Math.round((rps * readMeanMs(metrics[`http_req_duration{step:${tag}}`])) / 10) / 100 : undefined;
      const step: StepResult = {
        concurrency: rateMode ? plan.maxVus! : level,
        ...(rateMode ? { rate: level, droppedArrivals: dropped[i] } : {}),
        phase: steps.some((s) => s.failed) ? 'bisect' : 'ramp',
        requests: all.all,
        status,
        transportErrors: transport > 0 ? { ENORESPONSE: transport } : {},
        failures,
        ...(failOnSlow ? { slow } : {}),
        rate502: count502 / all.all,
        failureRate: failures / all.all,
        latencyMs,
        rps,
        durationMs: plan.stepSeconds * 1000,
        first502AtRequest: null,
        first502AtRunRequest: null,
        peakInFlight: rateMode ? (dropped[i] > 0 ? plan.maxVus! : Math.min(plan.maxVus!, Math.ceil(avgInFlight!))) : level,
        ...(avgInFlight !== undefined ? { avgInFlight } : {}),
        underdriven: rateMode && dropped[i] > 0,
        clientCpuPercent: 0,
        failed: isStepFailed(failures, all.all, threshold),
      };
      steps.push(step);
    });
    if (steps.length > 0) targets[target] = summarizeTarget(steps);
  }
  if (!targets.gateway && !targets.backend) throw new InputError(`${file}: the summary holds no step with requests`, [], HINT);
  const all = Object.values(targets).flatMap((t) => t!.steps);
  const levels = all.map((s) => s.rate ?? s.concurrency);
  const { engine: _engine, ...defaults } = RAMP_DEFAULTS;
  const testRunMs = Number((summary as { state?: { testRunDurationMs?: number } }).state?.testRunDurationMs) || all.length * plan.stepSeconds * 1000;
  const report: RampReport = {
    schemaVersion: 2,
    meta: {
      tool: 'debug502',
      version: VERSION,
      collection: options.label ?? `k6 run ${file}`,
      environment: '',
      startedAt: (options.startedAt ?? new Date(Date.now() - testRunMs)).toISOString(),
      durationMs: testRunMs,
      options: {
        ...defaults,
        mode: rateMode ? 'rate' : 'concurrency',
        target: targets.gateway && targets.backend ? 'both' : targets.gateway ? 'gateway' : 'backend',
        ...(rateMode
          ? { startRate: plan.levels[0], maxRate: plan.levels.at(-1)!, stepDurationMs: plan.stepSeconds * 1000, maxVus: plan.maxVus! }
          : { start: plan.levels[0], max: plan.levels.at(-1)! }),
        factor: plan.levels.length > 1 ? +(plan.levels[1] / plan.levels[0]).toFixed(2) : RAMP_DEFAULTS.factor,
        bisect: false,
        threshold,
        failOn,
        ...(failOnSlow ? { failOnSlow } : {}),
        requestsPerStep: Math.max(1, ...all.map((s) => s.requests)),
        maxRequests: Math.max(1, all.reduce((n, s) => n + s.requests, 0)),
        maxDurationMs: Math.max(1000, testRunMs),
      },
      maxResponseTimeMs: plan.maxResponseTimeMs,
      source: {
        tool: 'k6',
        files: [file],
        note: `k6 summary, each level held ${plan.stepSeconds} s, no bisection; answers other than --fail-on statuses counted as 200, no response as ENORESPONSE` +
          (rateMode ? `; open model (ramping-arrival-rate, at most ${plan.maxVus} VUs): dropped arrivals placed on the steps that sent fewer than they offered, in-flight average by Little's law` : ''),
      },
    },
    targets,
    verdict: decideRampVerdict(targets, rateMode ? { failOn, max: plan.levels.at(-1)!, mode: 'rate', maxRate: plan.levels.at(-1)!, bisect: false } : { failOn, max: Math.max(...levels), bisect: false }),
  };
  if (rateMode && all.some((s) => s.underdriven)) notes.push('k6 dropped arrivals (every VU busy): those steps decide nothing; export again with a higher --max-vus');
  if (!all.some((s) => s.failed)) notes.push('no step failed: the k6 run found no breaking point up to its last level');
  return { report, notes };
}

function readPlan(summary: unknown, file: string): K6Plan {
  const plan = (summary as { debug502?: Partial<K6Plan> } | null)?.debug502;
  const ok = plan && Array.isArray(plan.levels) && plan.levels.every((l) => Number.isInteger(l) && l > 0) && plan.levels.length > 0
    && typeof plan.stepSeconds === 'number' && Array.isArray(plan.targets) && plan.targets.every((t) => t === 'gateway' || t === 'backend')
    && Array.isArray(plan.failOn) && typeof plan.threshold === 'number' && typeof plan.maxResponseTimeMs === 'number';
  if (!ok) throw new InputError(`${file}: not the summary of a "debug502 export --to k6" script (no "debug502" plan in it)`, [], HINT);
  if (plan.mode !== undefined && plan.mode !== 'concurrency' && plan.mode !== 'rate') throw new InputError(`${file}: debug502.mode must be "concurrency" or "rate" (got ${JSON.stringify(plan.mode)})`, [], HINT);
  if (plan.mode === 'rate') {
    const rateOk = Number.isInteger(plan.maxVus) && plan.maxVus! > 0 && Array.isArray(plan.arrivals) && plan.arrivals.length === plan.levels!.length
      && plan.arrivals.every((n) => Number.isInteger(n) && n > 0);
    if (!rateOk) throw new InputError(`${file}: a rate-mode plan needs debug502.maxVus and one debug502.arrivals count per level`, [], HINT);
    if (plan.maxVus! > MAX_CONCURRENCY) throw new InputError(`${file}: debug502.maxVus is ${plan.maxVus}; the exported script's --max-vus is at most ${MAX_CONCURRENCY}, the cap of a ramp`, [], HINT);
  }
  // The export caps its levels as a ramp does: a level above the cap is not from one of its scripts.
  const [cap, unit] = plan.mode === 'rate' ? [MAX_RATE_PER_SEC, 'req/s'] : [MAX_CONCURRENCY, 'users'];
  const over = plan.levels!.find((level) => level > cap);
  if (over !== undefined) throw new InputError(`${file}: debug502.levels holds ${over} ${unit}; the exported script's levels are at most ${cap} ${unit}, the cap of a ramp`, [], HINT);
  return plan as K6Plan;
}

/**
 * Rate mode: k6 counts dropped arrivals per scenario only. They go to the steps that sent fewer
 * requests than they offered (and sent any: an unreached step was not offered), the largest
 * shortfall first, never more than a step's shortfall nor than k6 counted — so a step cut short by
 * abortOnFail gets none when k6 dropped nothing.
 */
function placeDroppedArrivals(plan: K6Plan, sent: readonly number[], counter: K6Metric | undefined): number[] {
  let left = Math.max(0, Math.round(Number(counter?.values?.count) || 0));
  const dropped = sent.map(() => 0);
  const order = sent.map((n, i) => ({ i, short: Math.max(0, plan.arrivals![i] - n) })).filter((s) => s.short > 0 && sent[s.i] > 0).sort((a, b) => b.short - a.short);
  for (const { i, short } of order) {
    if (left === 0) break;
    dropped[i] = Math.min(short, left);
    left -= dropped[i];
  }
  return dropped;
}

function readMeanMs(metric: K6Metric | undefined): number {
  return Math.max(0, Number(metric?.values?.avg) || 0);
}

function readLatency(metric: K6Metric | undefined): LatencySummary {
  const v = metric?.values ?? {};
  const ms = (key: string) => Math.max(0, Number(v[key]) || 0);
  return { p50: ms('p(50)'), p90: ms('p(90)'), p95: ms('p(95)'), p99: ms('p(99)'), max: ms('max') };
}

/** Reads and imports a k6 summary file. */
export async function importK6Summary(file: string, options: K6ImportOptions & { cwd?: string } = {}): Promise<{ report: RampReport; notes: string[] }> {
  const path = resolve(options.cwd ?? process.cwd(), file);
  const text = await readInputText(path, { kind: 'loadTestResults', label: `--from-k6 ${file}`, hint: HINT });
  let summary: unknown;
  try {
    summary = JSON.parse(text);
  } catch (error) {
    throw new InputError(`${file}: not JSON (${(error as Error).message})`, [], HINT);
  }
  const endedAt = (await stat(path)).mtime.getTime();
  const ranMs = Number((summary as { state?: { testRunDurationMs?: number } } | null)?.state?.testRunDurationMs) || 0;
  const built = buildK6Report(summary, { startedAt: new Date(endedAt - ranMs), ...options }, file);
  built.report.meta.source!.files = [path];
  return built;
}
