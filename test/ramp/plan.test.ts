import { describe, expect, test } from 'vitest';
import { InputError } from '../../src/errors.js';
import {
  budgetStep,
  countFolderRequests,
  formatPlan,
  MAX_CONCURRENCY,
  passesOfUser,
  planLevels,
  planRamp,
  RAMP_DEFAULTS,
  resolveRampOptions,
  workersOf,
} from '../../src/ramp/index.js';
import { availableParallelism } from 'node:os';

describe('planLevels', () => {
  test('start·factor^k up to max, max always last', () => {
    expect(planLevels(1, 64, 2)).toEqual([1, 2, 4, 8, 16, 32, 64]);
    expect(planLevels(1, 10, 2)).toEqual([1, 2, 4, 8, 10]);
    expect(planLevels(3, 3, 2)).toEqual([3]);
    expect(planLevels(5, 100, 3)).toEqual([5, 15, 45, 100]);
  });

  test('a factor below 2 still climbs by at least one per step, rounding up', () => {
    expect(planLevels(1, 8, 1.5)).toEqual([1, 2, 3, 5, 8]);
    expect(planLevels(1, 4, 1.1)).toEqual([1, 2, 3, 4]);
  });
});

describe('budgetStep / passesOfUser', () => {
  test('the budget is rounded to whole passes and spread evenly over the users', () => {
    const budget = budgetStep(4, 200, 3);
    expect(budget).toMatchObject({ concurrency: 4, iterations: 67, requests: 201 });
    const shares = [0, 1, 2, 3].map((i) => passesOfUser(budget, i));
    expect(shares).toEqual([17, 17, 17, 16]);
    expect(shares.reduce((a, b) => a + b)).toBe(67);
  });

  test('every user gets at least one pass, even above the budget', () => {
    expect(budgetStep(64, 40, 1)).toMatchObject({ concurrency: 64, iterations: 64, requests: 64 });
    expect(budgetStep(8, 10, 4)).toMatchObject({ concurrency: 8, iterations: 8, requests: 32 });
  });
});

describe('planRamp', () => {
  test('both targets, gateway first, with budgets, totals and limits, printable', () => {
    const plan = planRamp({ ...RAMP_DEFAULTS, target: 'both', max: 8, requestsPerStep: 100 }, { gateway: 2, backend: 2 });
    expect(plan.targets).toEqual(['gateway', 'backend']);
    expect(plan.levels).toEqual([1, 2, 4, 8]);
    expect(plan.steps.gateway!.map((s) => s.requests)).toEqual([100, 100, 100, 100]);
    expect(plan.rampRequests).toBe(800);
    expect(plan.limits.maxConcurrency).toBe(MAX_CONCURRENCY);
    const text = formatPlan(plan);
    expect(text).toContain('concurrency 1 → 2 → 4 → 8');
    expect(text).toContain('gateway then backend');
    expect(text).toMatch(/concurrency\s+4:\s+100 requests, 12–13 passes per virtual user/);
  });

  test('notes a budget above --max-requests and a budget raised to one pass per user', () => {
    const plan = planRamp({ ...RAMP_DEFAULTS, max: 64, requestsPerStep: 40, maxRequests: 100 }, { gateway: 1 });
    expect(plan.notes.join('\n')).toContain('above --max-requests 100');
    expect(plan.notes.join('\n')).toContain('from concurrency 64 on');
  });

  test('worker threads: the engine default, --workers, never more than one per core', () => {
    expect(workersOf({ mode: 'concurrency', engine: 'newman' }, 8)).toBe(8);
    expect(workersOf({ mode: 'concurrency', engine: 'fast' }, 8)).toBe(1);
    expect(workersOf({ mode: 'concurrency', engine: 'newman', workers: 3 }, 8)).toBe(3);
    expect(workersOf({ mode: 'concurrency', engine: 'newman', workers: 16 }, 8)).toBe(8);
    expect(workersOf({ mode: 'concurrency', engine: 'fast', workers: 4 }, 2)).toBe(2);
    expect(workersOf({ mode: 'concurrency', engine: 'newman', workers: 4 }, 0)).toBe(1);
    expect(workersOf({ engine: 'fast', mode: 'rate' }, 8)).toBe(1);
    // On this machine: asking for more threads than it has cores gets one per core, and the plan says so.
    const cores = availableParallelism();
    const plan = planRamp({ ...RAMP_DEFAULTS, workers: cores + 2 }, { gateway: 1 });
    expect(plan.workers).toBe(cores);
    expect(plan.notes.join('\n')).toContain(`--workers ${cores + 2}: ${cores} thread${cores === 1 ? '' : 's'}, one per core`);
    expect(planRamp({ ...RAMP_DEFAULTS, workers: 1 }, { gateway: 1 }).notes.join('\n')).not.toContain('--workers');
  });
});

describe('resolveRampOptions', () => {
  test('defaults from one place', () => {
    expect(resolveRampOptions({})).toEqual(RAMP_DEFAULTS);
  });

  test('every problem at once, by option name', () => {
    let caught: unknown;
    try {
      resolveRampOptions({ target: 'nginx', start: 0, max: 5000, factor: 1, threshold: 1, failOn: ['502', 'abc'], maxDuration: 'soon', minCapacity: 9999 });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InputError);
    const problems = (caught as InputError).problems.join('\n');
    for (const name of ['--target', '--start', '--max', '--factor', '--threshold', '--fail-on', '--max-duration', '--min-capacity']) {
      expect(problems).toContain(name);
    }
  });

  test('max below start, min-capacity above max', () => {
    expect(() => resolveRampOptions({ start: 8, max: 4 })).toThrow(InputError);
    expect(() => resolveRampOptions({ max: 8, minCapacity: 16 })).toThrow(/invalid ramp options/);
    expect(resolveRampOptions({ max: 8, minCapacity: 8, failOn: ['503', 502, '502'] })).toMatchObject({ minCapacity: 8, failOn: [502, 503] });
  });

  test('durations go through the one parser, by option name', () => {
    expect(resolveRampOptions({ maxDuration: '1.5h', timeoutRequest: '2s' })).toMatchObject({ maxDurationMs: 5_400_000, timeoutRequestMs: 2000 });
    expect(resolveRampOptions({ maxDuration: '30', timeoutRequest: 750 })).toMatchObject({ maxDurationMs: 30_000, timeoutRequestMs: 750 });
    expect(() => resolveRampOptions({ maxDuration: '600h' })).toThrow(InputError);
    expect(() => resolveRampOptions({ timeoutRequest: '0.4ms' })).toThrow(InputError);
  });
});

describe('countFolderRequests', () => {
  const collection = {
    item: [
      { name: 'Backend health', item: [{ name: 'h', request: {} }] },
      { name: 'Through gateway', item: [{ name: 'a', request: {} }, { name: 'nested', item: [{ name: 'b', request: {} }, { name: 'c', request: {} }] }] },
    ],
  };

  test('counts nested requests of the target folder', () => {
    expect(countFolderRequests(collection, 'gateway')).toBe(3);
  });

  test('a missing folder is bad input naming it', () => {
    expect(() => countFolderRequests(collection, 'backend', 'c.json')).toThrow(/c\.json: no folder "Direct to backend"/);
    expect(() => countFolderRequests({ item: [{ name: 'Direct to backend', item: [] }] }, 'backend')).toThrow(/holds no request/);
  });
});
