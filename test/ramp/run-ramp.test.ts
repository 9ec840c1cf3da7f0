/** runRamp with a simulated engine and a fake clock: sequencing, verdicts, stops, exit codes. */
import { describe, expect, test } from 'vitest';
import type { RampOptions } from '../../src/model.js';
import { rampReportSchema, renderHtml, renderMarkdown } from '../../src/report/index.js';
import {
  checkMinCapacity,
  createProgressListener,
  formatRampSummary,
  RAMP_DEFAULTS,
  rampExitCode,
  runRamp,
  type RampClock,
  type RampEvent,
} from '../../src/ramp/index.js';
import { simulate, type SimulatedTarget } from './helpers.js';

const COLLECTION = {
  item: [
    { name: 'Through gateway', item: [{ name: 'a', request: {} }] },
    { name: 'Direct to backend', item: [{ name: 'a', request: {} }] },
  ],
};

function fakeClock(): RampClock & { fire(): void } {
  let timer: (() => void) | undefined;
  let t = 0;
  return {
    now: () => (t += 10),
    date: () => new Date('2026-01-01T00:00:00Z'),
    after: (_ms, fn) => {
      timer = fn;
      return () => (timer = undefined);
    },
    fire: () => timer?.(),
  };
}

function options(overrides: Partial<RampOptions> = {}): RampOptions {
  return { ...RAMP_DEFAULTS, max: 16, requestsPerStep: 40, ...overrides };
}

async function ramp(models: Partial<Record<'gateway' | 'backend', SimulatedTarget>>, overrides: Partial<RampOptions> = {}) {
  const sim = simulate(models);
  const report = await runRamp({ collection: COLLECTION, options: options(overrides) }, { executeStep: sim.execute, clock: fakeClock() });
  expect(rampReportSchema.safeParse(report).success).toBe(true);
  return { report, calls: sim.calls };
}

describe('verdicts', () => {
  test('single target: the breaking point, first failure ordinal over the run', async () => {
    const { report } = await ramp({ gateway: { breaksAt: 3 } });
    expect(report.verdict.code).toBe('breaking-point');
    expect(report.targets.gateway).toMatchObject({ breakingPoint: { concurrency: 3 }, lastPassing: { concurrency: 2 } });
    // Steps 1, 2, 4 (40 each), then bisect 3: the first failure is the first request of the step at 4.
    expect(report.targets.gateway!.first502AtRequest).toBe(81);
    expect(report.verdict.message).toContain('breaks at concurrency 3 (it held at 2)');
    expect(report.verdict.message).toContain('request 81');
    expect(report.targets.backend).toBeUndefined();
  });

  test('both: the gateway breaks, the backend holds → gateway-limited', async () => {
    const { report, calls } = await ramp({ gateway: { breaksAt: 5 } }, { target: 'both' });
    expect(report.verdict.code).toBe('gateway-limited');
    expect(report.targets.backend).toMatchObject({ breakingPoint: null, lastPassing: { concurrency: 16 } });
    expect(calls[0].target).toBe('gateway');
    expect(calls.at(-1)!.target).toBe('backend');
  });

  test('both: both break at the same level → backend-capacity; the gateway clearly first → gateway-limited', async () => {
    expect((await ramp({ gateway: { breaksAt: 4 }, backend: { breaksAt: 4 } }, { target: 'both' })).report.verdict.code).toBe('backend-capacity');
    expect((await ramp({ gateway: { breaksAt: 4 }, backend: { breaksAt: 5 } }, { target: 'both' })).report.verdict.code).toBe('backend-capacity');
    expect((await ramp({ gateway: { breaksAt: 3 }, backend: { breaksAt: 9 } }, { target: 'both' })).report.verdict.code).toBe('gateway-limited');
  });

  test('both: neither breaks → no-breaking-point; the backend alone → no-breaking-point through the gateway', async () => {
    expect((await ramp({}, { target: 'both' })).report.verdict.code).toBe('no-breaking-point');
    const shielded = (await ramp({ backend: { breaksAt: 4 } }, { target: 'both' })).report.verdict;
    expect(shielded.code).toBe('no-breaking-point');
    expect(shielded.message).toContain('shields');
  });

  test('an underdriven client: inconclusive, and says the load generator was the limit', async () => {
    const { report, calls } = await ramp({ gateway: { clientLimit: 6 } });
    expect(report.verdict.code).toBe('inconclusive');
    expect(report.verdict.message).toContain('The load generator, not the target, was the limit');
    expect(report.verdict.message).toContain('at concurrency 16 at most 6 requests were in flight');
    expect(calls.filter((c) => c.phase === 'repeat').length).toBe(4);
  });

  test('a dead backend behind a gateway that answers 502 to everything → backend-down at level 1, not a stop', async () => {
    const { report } = await ramp({ gateway: { breaksAt: 1, failShare: 1 }, backend: { dead: true } }, { target: 'both' });
    expect(report.meta.aborted).toBeUndefined();
    expect(report.targets.backend!.steps).toHaveLength(1);
    expect(report.verdict.code).toBe('backend-down');
    expect(report.verdict.message).toBe(
      'The backend, hit directly, answered none of 40 requests at concurrency 1 (ECONNREFUSED ×40): it is down or unreachable, not overloaded. ' +
        'The gateway breaks at concurrency 1, the lowest level tried, because of it: 100% of its requests failed (HTTP 502 ×40).',
    );
    expect(report.verdict.next).toContain('not a load problem: start the backend');
    const markdown = renderMarkdown(report)[0].content;
    expect(markdown.split('\n')[0]).toBe('## ❌ Ramp: breaking point at concurrency 1 (gateway and backend) — verdict: backend-down');
    const html = renderHtml(report)[0].content;
    expect(html).toContain('data-verdict="backend-down"');
    expect(html).toMatch(/class="card verdict tone-bad"[\s\S]*Backend down/);
  });

  test('backend-down needs (nearly) every gateway request failing from the lowest level on', async () => {
    // 10% failing at level 1: the gateway reaches something; the capacity framing stays, with the comma.
    const partly = (await ramp({ gateway: { breaksAt: 1 }, backend: { dead: true } }, { target: 'both' })).report.verdict;
    expect(partly.code).toBe('backend-capacity');
    expect(partly.message).toContain('the gateway breaks at concurrency 1, the lowest level tried, because of it.');
    // Bisection below a dead start level: every backend step counted.
    const fromFour = (await ramp({ gateway: { breaksAt: 1, failShare: 0.95 }, backend: { dead: true } }, { target: 'both', start: 4 })).report;
    expect(fromFour.targets.backend!.steps.map((s) => s.concurrency)).toEqual([4, 2, 1]);
    expect(fromFour.verdict.code).toBe('backend-down');
    expect(fromFour.verdict.message).toContain('answered none of 120 requests at concurrencies 1, 2 and 4 (ECONNREFUSED ×120)');
  });

  test('a gateway that fails everything from level 1 while the backend holds → gateway-limited, worded as a misconfiguration', async () => {
    const { report } = await ramp({ gateway: { breaksAt: 1, failShare: 1 } }, { target: 'both' });
    expect(report.verdict.code).toBe('gateway-limited');
    expect(report.verdict.message).toBe(
      'The gateway breaks at concurrency 1, the lowest level tried: 100% of its requests failed (HTTP 502 ×40), while the backend, hit directly, held up to 16 with no failure. ' +
        'Not a load problem: the gateway does not reach the backend (wrong upstream address or port, a name it cannot resolve).',
    );
    expect(report.verdict.next).toContain("Check the gateway's upstream against backend_url");
    // A gateway limit that shows only under load keeps the limits wording.
    expect((await ramp({ gateway: { breaksAt: 3, failShare: 1 } }, { target: 'both' })).report.verdict.message).toContain("the gateway's own limits");
  });

  test('one target: the backend hit directly that answers none → backend-down; the gateway alone cannot tell → breaking-point', async () => {
    const backendOnly = (await ramp({ backend: { dead: true } }, { target: 'backend' })).report.verdict;
    expect(backendOnly.code).toBe('backend-down');
    expect(backendOnly.message).toContain('The backend, hit directly, answered none of 40 requests at concurrency 1 (ECONNREFUSED ×40)');
    const gatewayOnly = (await ramp({ gateway: { breaksAt: 1, failShare: 1 } }, { target: 'gateway' })).report.verdict;
    expect(gatewayOnly.code).toBe('breaking-point');
  });
});

describe('stops', () => {
  test('an unreachable gateway stops the ramp: exit 3, its one step kept', async () => {
    const { report, calls } = await ramp({ gateway: { dead: true } }, { target: 'both' });
    expect(report.meta.aborted?.reason).toBe('unreachable');
    expect(calls).toHaveLength(1);
    expect(report.targets.gateway!.steps).toHaveLength(1);
    expect(rampExitCode(report)).toBe(3);
  });

  test('a backend unreachable from here while the gateway reaches it: stop, gateway result kept', async () => {
    const { report } = await ramp({ backend: { dead: true } }, { target: 'both' });
    expect(report.meta.aborted?.reason).toBe('unreachable');
    expect(report.meta.aborted?.message).toContain('not reachable from this machine');
    expect(report.targets.gateway!.steps).toHaveLength(5);
  });

  test('--max-requests: no step starts past the limit; partial report, exit 3', async () => {
    const { report, calls } = await ramp({}, { maxRequests: 100 });
    expect(calls.map((c) => c.budget.level)).toEqual([1, 2]);
    expect(report.meta.aborted).toMatchObject({ reason: 'max-requests' });
    expect(report.meta.aborted!.message).toContain('concurrency 4');
    expect(report.targets.gateway!.steps).toHaveLength(2);
    expect(report.verdict.code).toBe('inconclusive');
    expect(rampExitCode(report)).toBe(3);
  });

  test('the signal mid-step: the cut step is left out, the completed ones kept, exit 130', async () => {
    const controller = new AbortController();
    const sim = simulate({}, { onStep: (input) => input.budget.level === 4 && controller.abort() });
    const report = await runRamp({ collection: COLLECTION, options: options() }, { executeStep: sim.execute, clock: fakeClock(), signal: controller.signal });
    expect(report.targets.gateway!.steps.map((s) => s.concurrency)).toEqual([1, 2]);
    expect(report.meta.aborted?.reason).toBe('interrupted');
    expect(report.meta.aborted?.message).toContain('after 20 of its 40 requests');
    expect(rampExitCode(report)).toBe(130);
    expect(rampReportSchema.safeParse(report).success).toBe(true);
  });

  test('--max-duration fires the same way, with its own reason', async () => {
    const clock = fakeClock();
    const sim = simulate({}, { onStep: (input) => input.budget.level === 2 && clock.fire() });
    const report = await runRamp({ collection: COLLECTION, options: options({ maxDurationMs: 5000 }) }, { executeStep: sim.execute, clock });
    expect(report.meta.aborted?.reason).toBe('max-duration');
    expect(report.meta.aborted?.message).toContain('--max-duration 5s');
    expect(report.targets.gateway!.steps).toHaveLength(1);
    expect(rampExitCode(report)).toBe(3);
  });
});

describe('gate, summary, progress', () => {
  test('--min-capacity: exit 1 only when the breaking point is below it', async () => {
    const below = (await ramp({ gateway: { breaksAt: 4 } }, { minCapacity: 5 })).report;
    expect(checkMinCapacity(below)?.passed).toBe(false);
    expect(rampExitCode(below)).toBe(1);
    const at = (await ramp({ gateway: { breaksAt: 4 } }, { minCapacity: 4 })).report;
    expect(rampExitCode(at)).toBe(0);
    const none = (await ramp({}, { minCapacity: 16 })).report;
    expect(rampExitCode(none)).toBe(0);
  });

  test('the summary names the breaking point, the verdict and the report paths', async () => {
    const { report } = await ramp({ gateway: { breaksAt: 3 } }, { minCapacity: 8 });
    const text = formatRampSummary(report, ['reports/ramp.json']);
    expect(text).toContain('gateway: breaking point at concurrency 3, held at 2');
    expect(text).toContain('first failure at request 81');
    expect(text).toContain('verdict: breaking-point');
    expect(text).toContain('gate FAILED');
    expect(text).toContain('reports: reports/ramp.json');
  });

  test('progress: one line per step off a terminal; a redrawn bar on one', async () => {
    for (const isTTY of [false, true]) {
      const out: string[] = [];
      let ms = 0;
      const listener = createProgressListener({ write: (t) => out.push(t), isTTY, now: () => (ms += 150) });
      const events: RampEvent[] = [];
      const sim = simulate({ gateway: { breaksAt: 3 } });
      await runRamp({ collection: COLLECTION, options: options({ max: 4 }) }, {
        executeStep: async (input) => {
          input.onProgress?.({ done: 1, planned: input.budget.requests, failures: 0, count502: 0 });
          return sim.execute(input);
        },
        clock: fakeClock(),
        onProgress: (e) => { events.push(e); listener(e); },
      });
      const text = out.join('');
      const stepEnds = events.filter((e) => e.type === 'step-end').length;
      expect(stepEnds).toBe(4);
      expect(text.split('\n').filter(Boolean)).toHaveLength(4);
      expect(text).toContain('gateway c=3    bisect');
      if (isTTY) expect(text).toMatch(/\r\S+\s+c=4\s+\[#\.+\] 1\/40  502s 0/);
      else expect(text).not.toContain('\r');
    }
  });
});

describe('a saturated client', () => {
  test('the verdict says the held level is an upper bound when the client ran at ≥ 90% CPU', async () => {
    const sim = simulate({});
    const report = await runRamp({ collection: COLLECTION, options: options({ max: 4 }) }, {
      executeStep: async (input) => {
        const outcome = await sim.execute(input);
        outcome.result.clientCpuPercent = input.budget.level * 30;
        return outcome;
      },
      clock: fakeClock(),
    });
    expect(report.verdict.code).toBe('no-breaking-point');
    expect(report.verdict.caveats?.join(' ')).toContain('At concurrency 4 the load generator ran at 120% of one CPU core');
    expect(report.verdict.next).toContain('more CPU');
  });
});
