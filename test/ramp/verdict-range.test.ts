/**
 * A breaking point is a level when bisection took the passing and failing levels as close as it
 * goes (next to each other for users, within 2.5 % for rates), and otherwise a range with the
 * reason: bisection was off, or the ramp stopped before bisection was done (a partial ramp).
 */
import { describe, expect, it } from 'vitest';
import { decideTargetVerdict, summarizeTarget } from '../../src/ramp/index.js';
import type { StepResult } from '../../src/model.js';
import { fakeStep } from './helpers.js';

const at = (rate: number, failures = 0): StepResult => ({ ...fakeStep(8, { failures }), rate, droppedArrivals: 0 });
const options = { failOn: [502], max: 64, engine: 'fast' as const };

describe('users', () => {
  it('held at 8, broke at 9: the level, no note', () => {
    const message = decideTargetVerdict('gateway', summarizeTarget([fakeStep(8), fakeStep(9, { failures: 10 })]), { ...options, bisect: true }).message;
    expect(message).toContain('breaks at concurrency 9 (it held at 8)');
    expect(message).not.toMatch(/Bisection|bisection/);
  });
  it('held at 8, broke at 16: a range, and why', () => {
    const target = summarizeTarget([fakeStep(8), fakeStep(16, { failures: 10 })]);
    expect(decideTargetVerdict('gateway', target, { ...options, bisect: false }).message).toContain('Bisection was off (--no-bisect)');
    const cut = decideTargetVerdict('gateway', target, { ...options, bisect: true }).message;
    expect(cut).toContain('somewhere above concurrency 8, at 16 at the latest');
    expect(cut).toContain('The ramp stopped before bisection narrowed it');
    expect(cut).not.toContain('--no-bisect');
  });
});

describe('rates', () => {
  it('held at 390, broke at 400 req/s: within 2.5 %, the level', () => {
    const message = decideTargetVerdict('gateway', summarizeTarget([at(390), at(400, 10)]), { ...options, mode: 'rate', maxRate: 800, bisect: true }).message;
    expect(message).toContain('breaks at 400 req/s (it held at 390)');
    expect(message).not.toMatch(/Bisection|bisection/);
  });
  it('held at 200, broke at 225 req/s with bisection on: the ramp stopped first', () => {
    const message = decideTargetVerdict('gateway', summarizeTarget([at(200), at(225, 10)]), { ...options, mode: 'rate', maxRate: 800, bisect: true }).message;
    expect(message).toContain('somewhere above 200 req/s, at 225 at the latest');
    expect(message).toContain('The ramp stopped before bisection narrowed it');
  });
});

describe('dropped arrivals: the reason the step shows', () => {
  const dropped = (peakInFlight: number): StepResult => ({ ...at(200), concurrency: 256, droppedArrivals: 6, peakInFlight, underdriven: true });
  it('every virtual user busy', () => {
    // What the client could not drive is a caveat after the answer, not part of it.
    const verdict = decideTargetVerdict('gateway', summarizeTarget([at(100), dropped(256), at(400, 10)]), { ...options, mode: 'rate', maxRate: 800 });
    expect(verdict.message).not.toContain('dropped');
    expect(verdict.caveats?.join(' ')).toContain('dropped 6 arrivals (all 256 virtual users busy;');
  });
  it('below the cap: the generator was held up, and the message does not claim the users were busy', () => {
    const message = decideTargetVerdict('gateway', summarizeTarget([at(100), dropped(7), at(400, 10)]), { ...options, mode: 'rate', maxRate: 800 }).caveats!.join(' ');
    expect(message).toContain('dropped 6 arrivals (they came due while it was held up — at most 7 of 256 virtual users were busy;');
    expect(message).not.toContain('all 256 virtual users busy');
  });
});
