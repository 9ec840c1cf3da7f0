/**
 * Ramp options: the defaults in one place, and the checks every option must pass, all reported at
 * once (InputError → exit 2). The CLI hands raw values in; the library gets a RampOptions back.
 */
import { InputError } from '../errors.js';
import { MAX_DURATION, parseDurationMs, TIMEOUT_REQUEST, type DurationSpec } from '../options/parse-duration.js';
import type { RampEngine, RampOptions, RampTarget } from '../model.js';
import { parseFailOn } from './fail-on.js';

/** The hard cap on concurrency: no option lifts it, so a typo cannot open thousands of runs. */
export const MAX_CONCURRENCY = 1024;

export const RAMP_ENGINES: readonly RampEngine[] = ['newman', 'fast'];

export const RAMP_TARGETS: readonly (RampTarget | 'both')[] = ['gateway', 'backend', 'both'];

/** Every default of `debug502 ramp`, as the issue states them. */
export const RAMP_DEFAULTS: RampOptions = {
  target: 'gateway',
  engine: 'newman',
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

/** Raw option values, as a CLI or a caller has them; anything absent takes its default. */
export interface RawRampOptions {
  target?: string;
  engine?: string;
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
  o.maxRequests = whole('max-requests', raw.maxRequests, 1) ?? o.maxRequests;
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
  const minCapacity = whole('min-capacity', raw.minCapacity, 1, MAX_CONCURRENCY);
  if (minCapacity !== undefined) {
    if (minCapacity > o.max) problems.push(`--min-capacity: ${minCapacity} is above --max (${o.max}); the ramp could never show it`);
    else o.minCapacity = minCapacity;
  }
  if (problems.length > 0) {
    throw new InputError('invalid ramp options', problems, `see "debug502 ramp --help" for every option and its default; ${MAX_CONCURRENCY} virtual users is the hard cap`);
  }
  return o;
}
