import { describe, expect, test } from 'vitest';
import type { StepResult } from '../../src/model.js';
import { chooseNextStep, decideLevels, isStepFailed, MAX_REPEATS, planLevels, summarizeTarget } from '../../src/ramp/index.js';
import { fakeStep } from './helpers.js';

/** Drives chooseNextStep against a model (fails from `breaksAt`, client holds at most `clientLimit`). */
function drive(levels: number[], model: { breaksAt?: number; clientLimit?: number }, bisect = true): StepResult[] {
  const steps: StepResult[] = [];
  for (let next = chooseNextStep(levels, steps, bisect); next; next = chooseNextStep(levels, steps, bisect)) {
    const c = next.level;
    const fails = model.breaksAt !== undefined && c >= model.breaksAt;
    steps.push(fakeStep(c, { phase: next.phase, failures: fails ? 5 : 0, peak: Math.min(c, model.clientLimit ?? c) }));
    if (steps.length > 100) throw new Error('no end');
  }
  return steps;
}

describe('step judgement', () => {
  test('a step fails above the threshold', () => {
    expect(isStepFailed(1, 100, 0)).toBe(true);
    expect(isStepFailed(0, 100, 0)).toBe(false);
    expect(isStepFailed(5, 100, 0.05)).toBe(false);
    expect(isStepFailed(6, 100, 0.05)).toBe(true);
    expect(isStepFailed(0, 0, 0)).toBe(false);
  });

  test('a failing level stays failing; an underdriven pass is open until a driven pass', () => {
    expect(decideLevels([fakeStep(4, { peak: 3 })]).get(4)).toBe('open');
    expect(decideLevels([fakeStep(4, { peak: 3 }), fakeStep(4, { phase: 'repeat' })]).get(4)).toBe('pass');
    expect(decideLevels([fakeStep(4, { failures: 1, peak: 2 })]).get(4)).toBe('fail');
    expect(decideLevels([fakeStep(4), fakeStep(4, { failures: 1 })]).get(4)).toBe('fail');
  });
});

describe('ramp + bisection finds the smallest failing level', () => {
  const levels = planLevels(1, 64, 2);

  test.each([2, 3, 4, 5, 6, 7, 9, 17, 33, 50, 64])('true breaking point %i', (k) => {
    const steps = drive(levels, { breaksAt: k });
    const result = summarizeTarget(steps);
    expect(result.breakingPoint?.concurrency).toBe(k);
    expect(result.lastPassing?.concurrency).toBe(k - 1);
    expect(result.underdriven).toBe(false);
    // The ramp stops at the first failing level; bisection probes only between it and the last pass.
    const ramp = steps.filter((s) => s.phase === 'ramp').map((s) => s.concurrency);
    expect(ramp).toEqual(levels.filter((c) => c <= levels.find((l) => l >= k)!));
    const bisect = steps.filter((s) => s.phase === 'bisect').map((s) => s.concurrency);
    expect(bisect.every((c) => c > ramp[ramp.length - 2] && c < ramp[ramp.length - 1])).toBe(true);
    expect(bisect.length).toBeLessThanOrEqual(Math.ceil(Math.log2(Math.max(2, ramp[ramp.length - 1] / 2))));
  });

  test('failing at the first level bisects down to 1 when start is above 1', () => {
    const steps = drive(planLevels(8, 16, 2), { breaksAt: 1 });
    expect(steps.map((s) => [s.concurrency, s.phase])).toEqual([[8, 'ramp'], [4, 'bisect'], [2, 'bisect'], [1, 'bisect']]);
    expect(summarizeTarget(steps)).toMatchObject({ breakingPoint: { concurrency: 1 }, lastPassing: null });
  });

  test('--no-bisect: the first failing ramp level, and the last passing one', () => {
    const steps = drive(levels, { breaksAt: 5 }, false);
    expect(steps.map((s) => s.concurrency)).toEqual([1, 2, 4, 8]);
    expect(summarizeTarget(steps)).toMatchObject({ breakingPoint: { concurrency: 8 }, lastPassing: { concurrency: 4 } });
  });

  test('no failure: every level once, no breaking point', () => {
    const steps = drive(levels, {});
    expect(steps.map((s) => s.concurrency)).toEqual(levels);
    expect(summarizeTarget(steps)).toMatchObject({ breakingPoint: null, lastPassing: { concurrency: 64 }, underdriven: false, first502AtRequest: null });
  });
});

describe('underdriven steps decide nothing', () => {
  const levels = planLevels(1, 16, 2);

  test('an underdriven passing step is repeated, then left open; the ramp goes on', () => {
    const steps = drive(levels, { clientLimit: 6 });
    const at8 = steps.filter((s) => s.concurrency === 8);
    expect(at8.map((s) => s.phase)).toEqual(['ramp', ...Array(MAX_REPEATS).fill('repeat')]);
    const result = summarizeTarget(steps);
    expect(result.breakingPoint).toBeNull();
    expect(result.lastPassing?.concurrency).toBe(4);
    expect(result.underdriven).toBe(true);
  });

  test('a repeat that reaches full concurrency decides the level', () => {
    const steps: StepResult[] = [fakeStep(1), fakeStep(2, { peak: 1 })];
    expect(chooseNextStep([1, 2, 4], steps, true)).toEqual({ level: 2, phase: 'repeat' });
    steps.push(fakeStep(2, { phase: 'repeat' }));
    expect(chooseNextStep([1, 2, 4], steps, true)).toEqual({ level: 4, phase: 'ramp' });
  });

  test('a failing step counts even when underdriven; an open bisection probe ends the search', () => {
    // Client holds 5 at most; target breaks at 12: 8 and 16 are underdriven, 16 fails anyway.
    const steps = drive(levels, { breaksAt: 12, clientLimit: 5 });
    const result = summarizeTarget(steps);
    expect(result.breakingPoint?.concurrency).toBe(16);
    expect(result.lastPassing?.concurrency).toBe(4);
    expect(result.underdriven).toBe(true);
    // The middle of 4 and 16 (10) stays open after its repeats: the search ends there.
    expect(steps.filter((s) => s.phase !== 'ramp').map((s) => `${s.phase} ${s.concurrency}`)).toEqual([
      'repeat 8', 'repeat 8', 'bisect 10', 'repeat 10', 'repeat 10',
    ]);
  });
});
