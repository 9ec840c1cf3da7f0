/**
 * Ramp options: the defaults in one place, and the checks every option must pass, all reported at
 * once (InputError → exit 2). The CLI hands raw values in; the library gets a RampOptions back.
 */
import { availableParallelism } from 'node:os';
import { DEFAULT_ENGINE, ENGINE_NAMES, ENGINES } from '../engines/engine.js';
import { InputError } from '../errors.js';
import { MAX_DURATION, parseDurationMs, TIMEOUT_REQUEST, type DurationSpec } from '../options/parse-duration.js';
import { LOAD_MODELS, MAX_CONCURRENCY, MAX_RATE_PER_SEC, type LoadModel, type RampEngine, type RampOptions, type RampTarget } from '../model.js';
import { parseFailOn } from './fail-on.js';

// The caps live in model.ts, where the report schema reads them too.
export { MAX_CONCURRENCY, MAX_RATE_PER_SEC };
/** The hard cap on --workers. */
export const MAX_WORKERS = 64;

/** The engines, as the registry (src/engines/engine.ts) names them. */
export const RAMP_ENGINES: readonly RampEngine[] = ENGINE_NAMES;
export const RAMP_MODES: readonly LoadModel[] = LOAD_MODELS;

export const RAMP_TARGETS: readonly (RampTarget | 'both')[] = ['gateway', 'backend', 'both'];

/** The most --max-requests can be: the ramp's send allowance counts in one Int32 shared with its worker threads. */
export const MAX_REQUESTS_CAP = 1_000_000_000;

/** Every default of `debug502 ramp`, as the issue states them. */
export const RAMP_DEFAULTS: RampOptions = {
  target: 'gateway',
  mode: 'concurrency',
  engine: DEFAULT_ENGINE,
  start: 1,
  max: 64,
  factor: 2,
  requestsPerStep: 200,
  threshold: 0,
  failOn: [502],
  bisect: true,
  maxRequests: 20_000,
  maxDurationMs: 10 * 60_000,
  timeoutRequestMs: 10_000,
};

/** The open model's defaults (`--mode rate`): 10 → 1000 req/s, 10 s a step, at most 256 in flight. */
export const RATE_DEFAULTS = { startRate: 10, maxRate: 1000, stepDurationMs: 10_000, maxVus: 256 } as const;

/**
 * The worker threads a step of `options` uses: --workers, else the engine's default for this
 * machine, and never more than one per core. Both engines are CPU-bound, so a thread past the cores
 * sends nothing more; it costs memory (a newman thread 30–60 MB: a whole newman and its sandbox).
 */
export function workersOf(options: Pick<RampOptions, 'engine' | 'workers' | 'mode'>, cores = availableParallelism()): number {
  if (options.mode === 'rate') return 1;
  return Math.min(options.workers ?? ENGINES[options.engine ?? DEFAULT_ENGINE].defaultWorkers(cores), Math.max(1, cores));
}

/** Raw option values, as a CLI or a caller has them; anything absent takes its default. */
export interface RawRampOptions {
  target?: string;
  mode?: string;
  engine?: string;
  /** Worker threads for a step's users; absent: the engine's default (workersOf). */
  workers?: number;
  start?: number;
  max?: number;
  factor?: number;
  requestsPerStep?: number;
  threshold?: number;
  /** Statuses, ranges (`502-504`), classes (`5xx`) and `slow`, as numbers or text (`"502,503"` is split by the CLI). */
  failOn?: (number | string)[];
  /** `--max-p95 MS`, `--max-p99 MS`. */
  maxP95Ms?: number;
  maxP99Ms?: number;
  bisect?: boolean;
  maxRequests?: number;
  /** A duration text: `90s`, `10m`, `1h`, `500ms`; a bare number is seconds (MAX_DURATION). */
  maxDuration?: number | string;
  /** A duration text (`2s`) or a bare number of milliseconds (TIMEOUT_REQUEST). */
  timeoutRequest?: number | string;
  /** False: do not follow redirects (--ignore-redirects). */
  followRedirects?: boolean;
  minCapacity?: number;
  startRate?: number;
  maxRate?: number;
  /** Like maxDuration: milliseconds or a duration text. */
  stepDuration?: number | string;
  maxVus?: number;
}

/** `--step-duration`: a bare number is seconds; at least 100 ms (shorter steps measure timers, not the target). */
const STEP_DURATION: DurationSpec = { option: '--step-duration', bareUnit: 's', minMs: 100, maxMs: 3_600_000 };

const FLAGS: Record<string, string> = { startRate: '--start-rate', maxRate: '--max-rate', stepDuration: '--step-duration', maxVus: '--max-vus' };
function flagOf(key: string): string {
  return FLAGS[key] ?? key;
}

type WholeCheck = (name: string, value: number | undefined, min: number, max?: number) => number | undefined;

/** The open model's options, checked into `o`: rates, step duration, the in-flight cap, an engine that can drive arrivals. */
function resolveRateOptions(raw: RawRampOptions, o: RampOptions, problems: string[], whole: WholeCheck): void {
  o.startRate = whole('start-rate', raw.startRate, 1, MAX_RATE_PER_SEC) ?? RATE_DEFAULTS.startRate;
  o.maxRate = whole('max-rate', raw.maxRate, 1, MAX_RATE_PER_SEC) ?? Math.max(RATE_DEFAULTS.maxRate, o.startRate);
  if (o.maxRate < o.startRate) problems.push(`--max-rate: must be at least --start-rate (${o.startRate}), got ${o.maxRate}`);
  o.maxVus = whole('max-vus', raw.maxVus, 1, MAX_CONCURRENCY) ?? RATE_DEFAULTS.maxVus;
  o.stepDurationMs = RATE_DEFAULTS.stepDurationMs;
  if (raw.stepDuration !== undefined) {
    try {
      o.stepDurationMs = parseDurationMs(raw.stepDuration, STEP_DURATION);
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      problems.push(`${error.message} (${error.hint})`);
    }
  }
  if (o.workers !== undefined && o.workers > 1) problems.push(`--workers: the open model runs in one thread, whose clock sets every arrival (got ${o.workers})`);
  const engine = ENGINES[o.engine ?? DEFAULT_ENGINE];
  if (!engine.models.includes('rate')) problems.push(`--mode rate: the ${o.engine} engine cannot drive an arrival rate: ${engine.cannot?.rate ?? 'it has no open-model sender'}`);
}

/**
 * Applies the defaults and checks every option; throws one InputError that lists each problem by
 * option name. The input is not changed.
 */
export function resolveRampOptions(raw: RawRampOptions): RampOptions {
  const problems: string[] = [];
  const o: RampOptions = { ...RAMP_DEFAULTS, failOn: [...RAMP_DEFAULTS.failOn] };
  const whole = (name: string, value: number | undefined, min: number, max = Number.MAX_SAFE_INTEGER): number | undefined => {
    if (value === undefined) return undefined;
    if (!Number.isInteger(value) || value < min || value > max) {
      const range = max === Number.MAX_SAFE_INTEGER ? `${min} or more` : `from ${min} to ${max}`;
      problems.push(`--${name}: must be a whole number ${range} (got ${value})`);
      return undefined;
    }
    return value;
  };

  if (raw.target !== undefined) {
    if ((RAMP_TARGETS as string[]).includes(raw.target)) o.target = raw.target as RampOptions['target'];
    else problems.push(`--target: must be one of ${RAMP_TARGETS.join(', ')} (got "${raw.target}")`);
  }
  if (raw.engine !== undefined) {
    if ((RAMP_ENGINES as string[]).includes(raw.engine)) o.engine = raw.engine as RampEngine;
    else problems.push(`--engine: must be one of ${RAMP_ENGINES.join(', ')} (got "${raw.engine}")`);
  }
  if (raw.mode !== undefined) {
    if ((RAMP_MODES as string[]).includes(raw.mode)) o.mode = raw.mode as LoadModel;
    else problems.push(`--mode: must be one of ${RAMP_MODES.join(', ')} (got "${raw.mode}")`);
  }
  const workers = whole('workers', raw.workers, 1, MAX_WORKERS);
  if (workers !== undefined) o.workers = workers;
  // The open model needs an engine that sends on the clock: fast, unless --engine says otherwise.
  if (o.mode === 'rate' && raw.engine === undefined) o.engine = 'fast';
  if (o.mode === 'rate') resolveRateOptions(raw, o, problems, whole);
  else {
    const given = (['startRate', 'maxRate', 'stepDuration', 'maxVus'] as const).filter((key) => raw[key] !== undefined);
    if (given.length > 0) problems.push(`${given.map(flagOf).join(', ')}: only with --mode rate (the open model)`);
  }
  o.start = whole('start', raw.start, 1, MAX_CONCURRENCY) ?? o.start;
  o.max = whole('max', raw.max, 1, MAX_CONCURRENCY) ?? o.max;
  if (o.max < o.start) problems.push(`--max: must be at least --start (${o.start}), got ${o.max}`);
  if (raw.factor !== undefined) {
    if (Number.isFinite(raw.factor) && raw.factor > 1 && raw.factor <= 16) o.factor = raw.factor;
    else problems.push(`--factor: must be a number above 1 and at most 16 (got ${raw.factor})`);
  }
  o.requestsPerStep = whole('requests-per-step', raw.requestsPerStep, 1, 1_000_000) ?? o.requestsPerStep;
  if (raw.threshold !== undefined) {
    if (Number.isFinite(raw.threshold) && raw.threshold >= 0 && raw.threshold < 1) o.threshold = raw.threshold;
    else problems.push(`--threshold: must be a failure share from 0 (any failure) up to, not including, 1 (got ${raw.threshold})`);
  }
  if (raw.failOn !== undefined) {
    const spec = parseFailOn(raw.failOn);
    if ('problems' in spec) problems.push(...spec.problems);
    else {
      o.failOn = spec.statuses;
      if (spec.slow) o.failOnSlow = true;
    }
  }
  for (const [name, key, value] of [['max-p95', 'maxP95Ms', raw.maxP95Ms], ['max-p99', 'maxP99Ms', raw.maxP99Ms]] as const) {
    if (value === undefined) continue;
    if (Number.isFinite(value) && value > 0 && value <= 3_600_000) o[key] = value;
    else problems.push(`--${name}: must be a latency in ms above 0 (got ${value})`);
  }
  if (raw.bisect !== undefined) o.bisect = raw.bisect;
  if (raw.followRedirects === false) o.followRedirects = false;
  o.maxRequests = whole('max-requests', raw.maxRequests, 1, MAX_REQUESTS_CAP) ?? o.maxRequests;
  const duration = (value: number | string | undefined, spec: DurationSpec): number | undefined => {
    if (value === undefined) return undefined;
    try {
      return parseDurationMs(value, spec);
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      problems.push(`${error.message} (${error.hint})`);
      return undefined;
    }
  };
  o.maxDurationMs = duration(raw.maxDuration, MAX_DURATION) ?? o.maxDurationMs;
  o.timeoutRequestMs = duration(raw.timeoutRequest, TIMEOUT_REQUEST) ?? o.timeoutRequestMs;
  const minCapacity = whole('min-capacity', raw.minCapacity, 1, o.mode === 'rate' ? MAX_RATE_PER_SEC : MAX_CONCURRENCY);
  if (minCapacity !== undefined) {
    const [top, flag] = o.mode === 'rate' ? [o.maxRate!, '--max-rate'] : [o.max, '--max'];
    if (minCapacity > top) problems.push(`--min-capacity: ${minCapacity} is above ${flag} (${top}); the ramp could never show it`);
    else o.minCapacity = minCapacity;
  }
  if (problems.length > 0) {
    throw new InputError('invalid ramp options', problems, `see "debug502 ramp --help" for every option and its default; ${MAX_CONCURRENCY} virtual users is the hard cap`);
  }
  return o;
}
