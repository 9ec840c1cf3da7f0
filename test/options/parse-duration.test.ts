import { describe, expect, test } from 'vitest';
import { InputError } from '../../src/errors.js';
import { MAX_DURATION, MAX_TIMER_MS, parseDurationMs, SINCE, TIMEOUT_REQUEST } from '../../src/options/parse-duration.js';
import { parseSince } from '../../src/diagnose/log/since.js';

describe('parseDurationMs: one parser for every duration option', () => {
  test('ms syntax, bare numbers in the option\'s unit', () => {
    expect(parseDurationMs('10m', MAX_DURATION)).toBe(600_000);
    expect(parseDurationMs('1.5h', MAX_DURATION)).toBe(5_400_000);
    expect(parseDurationMs('1d', MAX_DURATION)).toBe(86_400_000);
    expect(parseDurationMs('30', MAX_DURATION)).toBe(30_000);
    expect(parseDurationMs('500ms', MAX_DURATION)).toBe(500);
    expect(parseDurationMs('750', TIMEOUT_REQUEST)).toBe(750);
    expect(parseDurationMs(750, TIMEOUT_REQUEST)).toBe(750);
    expect(parseDurationMs('2s', TIMEOUT_REQUEST)).toBe(2000);
  });

  test.each([
    ['600h', MAX_DURATION, /--max-duration: 600h is out of range/],
    ['0.4ms', MAX_DURATION, /--max-duration: 0.4ms is out of range/],
    ['-5m', MAX_DURATION, /--max-duration: -5m is out of range/],
    ['0s', MAX_DURATION, /out of range/],
    ['ten minutes', MAX_DURATION, /--max-duration: "ten minutes" is not a duration/],
    ['', TIMEOUT_REQUEST, /--timeout-request: "" is not a duration/],
    ['2h', TIMEOUT_REQUEST, /--timeout-request: 2h is out of range; it must be from 1ms to 1h/],
  ])('%s is refused, naming the option', (text, spec, message) => {
    expect(() => parseDurationMs(text, spec)).toThrow(InputError);
    expect(() => parseDurationMs(text, spec)).toThrow(message);
  });

  test('nothing that feeds a timer can overflow Node\'s 2^31-1 ms', () => {
    expect(MAX_TIMER_MS).toBeLessThan(2 ** 31 - 1);
    expect(parseDurationMs('24d', MAX_DURATION)).toBe(MAX_TIMER_MS);
    expect(() => parseDurationMs('25d', MAX_DURATION)).toThrow(/out of range/);
  });

  test('--since reads the same durations (500ms, 1d) and ISO times', () => {
    const now = new Date('2026-11-25T12:00:00Z');
    expect(parseSince('500ms', now).getTime()).toBe(now.getTime() - 500);
    expect(parseSince('1d', now).getTime()).toBe(now.getTime() - 86_400_000);
    expect(parseSince('2026-11-25T06:00:00Z', now).toISOString()).toBe('2026-11-25T06:00:00.000Z');
    expect(() => parseSince('2026-13-45T99', now)).toThrow(/--since: .* is not a date/);
    expect(() => parseSince('-5m', now)).toThrow(/--since/);
    expect(parseDurationMs('1y', SINCE)).toBeGreaterThan(MAX_TIMER_MS);
  });
});
