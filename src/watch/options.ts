import { InputError } from '../errors.js';
import type { Route, WatchArrivals, WatchOptions } from '../model.js';
import { parseDurationMs, type DurationSpec } from '../options/parse-duration.js';

/** What a user may give; every field optional, strings where the CLI takes text (`5/s`, `10m`). */
export interface RawWatchOptions {
  target?: string;
  rate?: string | number;
  duration?: string | number;
  window?: string | number;
  arrivals?: string;
  seed?: number;
  failOn?: number[];
  threshold?: number;
  timeoutRequestMs?: number;
  maxRequests?: number;
}

export const WATCH_TARGETS: readonly (Route | 'both')[] = ['gateway', 'backend', 'both'];
export const WATCH_ARRIVALS: readonly WatchArrivals[] = ['poisson', 'uniform'];

/** The defaults, in one place: 5 requests/s for 10 minutes in 10 s windows, poisson arrivals, any 502 fails. */
export const WATCH_DEFAULTS = {
  target: 'both', ratePerSec: 5, durationMs: 600_000, windowMs: 10_000, arrivals: 'poisson',
  failOn: [502], threshold: 0, timeoutRequestMs: 10_000, maxRequests: 100_000,
} as const;

/** `--duration`: a bare number is seconds; at most a day. */
const DURATION: DurationSpec = { option: '--duration', bareUnit: 's', maxMs: 86_400_000 };
/** `--window`: a bare number is seconds; from 100 ms. */
const WINDOW: DurationSpec = { option: '--window', bareUnit: 's', minMs: 100, maxMs: 86_400_000 };

/** The shared parser's InputError as one line among the others, so every problem is listed at once. */
function readDuration(value: string | number | undefined, fallback: number, spec: DurationSpec, problems: string[]): number | undefined {
  if (value === undefined) return fallback;
  try {
    return parseDurationMs(value, spec);
  } catch (error) {
    problems.push(`${(error as Error).message} (${(error as { hint?: string }).hint ?? 'e.g. 90s, 10m'})`);
    return undefined;
  }
}

/** `5/s` → 5, `300/m` → 5, `2.5` → 2.5 (per second); undefined when not a positive rate. Pure. */
export function parseRatePerSec(text: string | number): number | undefined {
  if (typeof text === 'number') return Number.isFinite(text) && text > 0 ? text : undefined;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(?:\/\s*(s|sec|m|min|h))?\s*$/i.exec(text);
  if (!m) return undefined;
  const per = { s: 1, sec: 1, m: 60, min: 60, h: 3600 }[(m[2] ?? 's').toLowerCase() as 's'];
  const rate = Number(m[1]) / per;
  return rate > 0 ? rate : undefined;
}

/** Applies the defaults and checks every option at once: one InputError listing each problem by option name. */
export function resolveWatchOptions(raw: RawWatchOptions): WatchOptions {
  const problems: string[] = [];
  const target = (raw.target ?? WATCH_DEFAULTS.target) as WatchOptions['target'];
  if (!WATCH_TARGETS.includes(target)) problems.push(`--target: must be one of ${WATCH_TARGETS.join(', ')} (got "${raw.target}")`);
  const ratePerSec = raw.rate === undefined ? WATCH_DEFAULTS.ratePerSec : parseRatePerSec(raw.rate);
  if (ratePerSec === undefined || ratePerSec > 1000) problems.push(`--rate: must be a rate up to 1000/s such as 5/s or 300/m (got "${raw.rate}")`);
  const durationMs = readDuration(raw.duration, WATCH_DEFAULTS.durationMs, DURATION, problems);
  const windowMs = readDuration(raw.window, WATCH_DEFAULTS.windowMs, WINDOW, problems);
  const arrivals = (raw.arrivals ?? WATCH_DEFAULTS.arrivals) as WatchArrivals;
  if (!WATCH_ARRIVALS.includes(arrivals)) problems.push(`--arrivals: must be poisson or uniform (got "${raw.arrivals}")`);
  const failOn = raw.failOn ?? [...WATCH_DEFAULTS.failOn];
  if (failOn.length === 0 || failOn.some((s) => !Number.isInteger(s) || s < 100 || s > 599)) problems.push(`--fail-on: must be HTTP statuses 100–599 (got ${failOn.join(',')})`);
  const threshold = raw.threshold ?? WATCH_DEFAULTS.threshold;
  if (!(threshold >= 0 && threshold < 1)) problems.push(`--threshold: must be a share from 0 up to (not including) 1, e.g. 0.01 (got ${raw.threshold})`);
  const timeoutRequestMs = raw.timeoutRequestMs ?? WATCH_DEFAULTS.timeoutRequestMs;
  if (!(Number.isInteger(timeoutRequestMs) && timeoutRequestMs >= 1)) problems.push(`--timeout-request: must be a whole number of ms ≥ 1 (got ${raw.timeoutRequestMs})`);
  const maxRequests = raw.maxRequests ?? WATCH_DEFAULTS.maxRequests;
  if (!(Number.isInteger(maxRequests) && maxRequests >= 1)) problems.push(`--max-requests: must be a whole number ≥ 1 (got ${raw.maxRequests})`);
  // The cap counts requests sent, and an arrival with --target both sends two.
  else if (target === 'both' && maxRequests < 2) problems.push(`--max-requests: ${maxRequests} is below the 2 requests each arrival sends with --target both (through the gateway and direct)`);
  const seed = raw.seed ?? Math.floor(Math.random() * 2 ** 31);
  if (!Number.isInteger(seed)) problems.push(`--seed: must be a whole number (got ${raw.seed})`);
  if (problems.length > 0) throw new InputError('watch: bad options', problems, 'see "debug502 watch --help"');
  return {
    target, ratePerSec: ratePerSec!, durationMs: durationMs!, windowMs: Math.min(windowMs!, durationMs!), arrivals, seed,
    failOn, threshold, timeoutRequestMs, maxRequests,
  };
}
