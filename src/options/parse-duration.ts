/**
 * The one duration parser of every option that takes a duration (`--max-duration`,
 * `--timeout-request`, `--since`, the lab's timeouts…), so all of them read the same texts and
 * refuse the same way: `ms`'s syntax (`500ms`, `90s`, `10m`, `1.5h`, `1d`, `2 weeks`), a range
 * check, and an InputError that names the option.
 */
import ms from 'ms';
import { InputError } from '../errors.js';

/**
 * The longest duration that feeds a timer: 24 days. Node's timers take at most 2^31 − 1 ms (about
 * 24.8 days); a longer delay fires after 1 ms (with a TimeoutOverflowWarning), which is how
 * `--max-duration 600h` used to stop a ramp at once.
 */
export const MAX_TIMER_MS = 24 * 86_400_000;

export interface DurationSpec {
  /** How messages name it, e.g. `--max-duration`. */
  option: string;
  /** What a bare number means: `ms` for timeouts, `s` where the option has always read seconds. */
  bareUnit: 'ms' | 's';
  /** Smallest accepted value in ms (default 1: nothing rounds to 0). */
  minMs?: number;
  /** Largest accepted value in ms (default MAX_TIMER_MS). */
  maxMs?: number;
}

/** `--max-duration` (ramp): a bare number is seconds, as it always was; at most Node's timer limit. */
export const MAX_DURATION: DurationSpec = { option: '--max-duration', bareUnit: 's' };
/** `--timeout-request` (run, ramp): a bare number is milliseconds, as newman's; at most 1 h. */
export const TIMEOUT_REQUEST: DurationSpec = { option: '--timeout-request', bareUnit: 'ms', maxMs: 3_600_000 };
/** `--timeout-script` (run, ramp): each script's deadline, as newman's; a bare number is milliseconds; 0: none. */
export const TIMEOUT_SCRIPT: DurationSpec = { option: '--timeout-script', bareUnit: 'ms', minMs: 0, maxMs: 3_600_000 };
/** `--gateway-timeout` (diagnose, lab): the gateway's proxy_read_timeout; a bare number is milliseconds. */
export const GATEWAY_TIMEOUT: DurationSpec = { option: '--gateway-timeout', bareUnit: 'ms', maxMs: 3_600_000 };
/** `--latency` (lab, demo): the backend's delay before every answer; 0 allowed. */
export const LATENCY: DurationSpec = { option: '--latency', bareUnit: 'ms', minMs: 0, maxMs: 3_600_000 };
/** `--since` (diagnose): how far back in the log; not a timer, so up to ten years; a bare number is seconds. */
export const SINCE: DurationSpec = { option: '--since', bareUnit: 's', maxMs: 10 * 365.25 * 86_400_000 };

/** 600000 → "10m", 90000 → "90s", 1500 → "1.5s", 250 → "250ms": a form every duration option reads back. */
export function formatDurationOption(durationMs: number): string {
  if (durationMs < 1000) return `${durationMs}ms`;
  if (durationMs % 86_400_000 === 0) return `${durationMs / 86_400_000}d`;
  if (durationMs % 3_600_000 === 0) return `${durationMs / 3_600_000}h`;
  if (durationMs % 60_000 === 0) return `${durationMs / 60_000}m`;
  return `${+(durationMs / 1000).toFixed(3)}s`;
}

/** The accepted range in words, for messages and `--help`. */
export function describeDurationRange(spec: DurationSpec): string {
  return `from ${formatDurationOption(spec.minMs ?? 1)} to ${formatDurationOption(spec.maxMs ?? MAX_TIMER_MS)}`;
}

/**
 * A duration text or number → whole milliseconds. A bare number (or numeric text) is in
 * `spec.bareUnit`. Throws InputError naming `spec.option` when the text is not a duration, is
 * negative, or falls outside the range (checked before rounding, so `0.4ms` is refused, never 0).
 */
export function parseDurationMs(value: string | number, spec: DurationSpec): number {
  const minMs = spec.minMs ?? 1;
  const maxMs = spec.maxMs ?? MAX_TIMER_MS;
  const example = spec.bareUnit === 'ms' ? '500, 500ms or 2s' : '90s, 10m or 1h';
  const text = String(value).trim();
  const bare = /^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(text);
  const parsed = text === '' ? undefined : bare ? Number(text) * (spec.bareUnit === 's' ? 1000 : 1) : (ms(text as ms.StringValue) as number | undefined);
  if (parsed === undefined || !Number.isFinite(parsed)) {
    throw new InputError(`${spec.option}: "${text}" is not a duration`, [], `give a duration such as ${example} (a bare number is ${spec.bareUnit === 's' ? 'seconds' : 'milliseconds'})`);
  }
  if (parsed < minMs || parsed > maxMs) {
    throw new InputError(`${spec.option}: ${text} is out of range; it must be ${describeDurationRange(spec)}`, [], `give a duration such as ${example}`);
  }
  return Math.round(parsed);
}
