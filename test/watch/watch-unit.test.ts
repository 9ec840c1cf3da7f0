import { describe, expect, it } from 'vitest';
import type { WatchOptions } from '../../src/model.js';
import { renderWatchFiles } from '../../src/report/watch/index.js';
import { createWatchTimeline, judgeWatch, parseRatePerSec, planArrivals, resolveWatchOptions, runWatch } from '../../src/watch/index.js';
import { tempDir, writeEnvironment } from '../diagnose/helpers/files.js';

describe('watch options and schedule', () => {
  it('reads rates and durations, and lists every bad option at once', () => {
    expect([parseRatePerSec('5/s'), parseRatePerSec('300/m'), parseRatePerSec('2.5'), parseRatePerSec('0/s'), parseRatePerSec('fast')]).toEqual([5, 5, 2.5, undefined, undefined]);
    const o = resolveWatchOptions({ rate: '5/s', duration: '10m', seed: 7 });
    expect(o).toMatchObject({ ratePerSec: 5, durationMs: 600_000, windowMs: 10_000, target: 'both', arrivals: 'poisson', failOn: [502], threshold: 0, seed: 7 });
    try {
      resolveWatchOptions({ rate: 'fast', duration: 'soon', target: 'moon', threshold: 2 });
      expect.unreachable();
    } catch (error) {
      const problems = (error as { problems: string[] }).problems.join('\n');
      for (const name of ['--rate', '--duration', '--target', '--threshold']) expect(problems).toContain(name);
    }
  });

  it('uniform arrivals every 1/rate s; poisson ones replay from their seed, about rate × duration of them', () => {
    expect([...planArrivals(4, 1000, 'uniform', 1)]).toEqual([0, 250, 500, 750]);
    const a = [...planArrivals(5, 60_000, 'poisson', 42)];
    expect([...planArrivals(5, 60_000, 'poisson', 42)]).toEqual(a);
    expect(a.length).toBeGreaterThan(250);
    expect(a.length).toBeLessThan(350);
    expect(a.every((t, i) => t < 60_000 && (i === 0 || t >= a[i - 1]))).toBe(true);
    // Idle gaps longer than twice the mean happen (e^-2 ≈ 13.5% of them): what the race needs.
    const long = a.slice(1).filter((t, i) => t - a[i] > 400).length;
    expect(long).toBeGreaterThan(10);
  });
});

describe('the watch verdict', () => {
  function timeline(failuresPerWindow: number[], backendFails = false) {
    const t = createWatchTimeline(['gateway', 'backend'], 1000, [502]);
    failuresPerWindow.forEach((failures, w) => {
      for (let i = 0; i < 10; i++) {
        t.record('gateway', w * 1000 + i * 100, { status: i < failures ? 502 : 200, latencyMs: 5 });
        t.record('backend', w * 1000 + i * 100, backendFails && i < failures ? { error: 'ECONNRESET', latencyMs: 1 } : { status: 200, latencyMs: 2 });
      }
    });
    return t.summary(failuresPerWindow.length * 1000, 0);
  }

  it('none, burst and steady background, gateway-only or not', () => {
    const none = timeline([0, 0, 0, 0, 0, 0]);
    expect(judgeWatch(none.targets, none.timeline).code).toBe('none');
    const burst = timeline([0, 0, 0, 0, 6, 8, 0, 0, 0, 0, 0, 0]);
    const b = judgeWatch(burst.targets, burst.timeline);
    expect([b.code, b.target, b.gatewayOnly]).toEqual(['burst', 'gateway', true]);
    expect(b.next).toMatch(/deploy/);
    const steady = timeline([1, 0, 1, 0, 0, 1, 0, 1, 0, 0, 1, 0]);
    const s = judgeWatch(steady.targets, steady.timeline);
    expect([s.code, s.gatewayOnly]).toEqual(['steady-background', true]);
    expect(s.next).toMatch(/keep-alive race/);
    const both = timeline([1, 0, 1, 0, 0, 1, 0, 1, 0, 0, 1, 0], true);
    expect(judgeWatch(both.targets, both.timeline).gatewayOnly).toBe(false);
    expect(steady.targets.gateway).toMatchObject({ requests: 120, failures: 5, count502: 5, failingWindows: 5, failed: true });
    expect(steady.timeline[0].targets.gateway).toMatchObject({ requests: 10, count502: 1, statuses: { 200: 9, 502: 1 } });
  });
});

describe('runWatch with a simulated clock and sender', () => {
  it('sends arrivals on the clock to both targets, records the timeline, and stops at the signal', async () => {
    const dir = tempDir('debug502-watch-');
    const env = writeEnvironment(dir, 'http://127.0.0.1:1', 'http://127.0.0.1:2');
    let clock = 0;
    const options: WatchOptions = resolveWatchOptions({ rate: '10/s', duration: '3s', window: '1s', arrivals: 'uniform', seed: 1 });
    const sent: string[] = [];
    const report = await runWatch({ environmentFile: env, options }, {
      now: () => clock,
      sleep: async (ms) => { clock += ms; },
      // The gateway answers 502 in the second window only.
      send: async (url) => { sent.push(url.host); return { status: url.port === '1' && clock >= 1000 && clock < 2000 ? 502 : 200, latencyMs: 3 }; },
      wallClock: () => new Date('2026-11-25T06:00:00Z'),
    });
    expect(sent).toHaveLength(60);
    expect(report.timeline.map((w) => w.targets.gateway!.count502)).toEqual([0, 10, 0]);
    expect(report.targets.backend).toMatchObject({ requests: 30, failures: 0 });
    expect(report.targets.gateway).toMatchObject({ requests: 30, failures: 10, statuses: { 200: 20, 502: 10 }, failed: true });
    expect(report.verdict).toMatchObject({ code: 'burst', gatewayOnly: true });
    const names = renderWatchFiles(report, ['json', 'html', 'markdown', 'junit']).map((f) => f.name);
    expect(names).toEqual(['watch.json', 'watch.html', 'watch.md', 'watch.junit.xml']);
    const abort = new AbortController();
    clock = 0;
    const stopped = await runWatch({ environmentFile: env, options }, {
      now: () => clock, sleep: async (ms) => { clock += ms; if (clock > 1500) abort.abort(); }, send: async () => ({ status: 200, latencyMs: 1 }), signal: abort.signal,
    });
    expect(stopped.meta.aborted?.reason).toBe('interrupted');
    expect(stopped.targets.gateway!.requests).toBe(16);
  });
});
