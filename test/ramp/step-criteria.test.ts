/**
 * Step criteria: `--fail-on` ranges, classes and `slow`, `--max-p95`/`--max-p99`. Pure parts (the
 * parser, the recorder with a fake clock, the words) and one real ramp on the lab with the fast
 * engine, where the criteria turn steps that pass by status into failing ones.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { captureIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { startLab } from '../../src/lab/index.js';
import { createStepRecorder, resolveRampOptions } from '../../src/ramp/index.js';
import { parseFailOn } from '../../src/ramp/fail-on.js';
import { describePassCondition, formatStatuses } from '../../src/report/format.js';
import { readRampReport } from '../../src/report/ramp/index.js';
import { writeLabFiles } from './helpers.js';

const FIVE_XX = Array.from({ length: 100 }, (_, i) => 500 + i);
const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

describe('--fail-on', () => {
  it('takes statuses, ranges, classes and slow, any case; sorted, each once', () => {
    expect(parseFailOn(['502'])).toEqual({ statuses: [502], slow: false });
    expect(parseFailOn(['504', '502-503', ' SLOW '])).toEqual({ statuses: [502, 503, 504], slow: true });
    const fivexx = parseFailOn(['5XX', '502']) as { statuses: number[] };
    expect(fivexx.statuses).toHaveLength(100);
    expect(fivexx.statuses[0]).toBe(500);
    expect(fivexx.statuses.at(-1)).toBe(599);
  });

  it('names every bad item at once (exit 2 through resolveRampOptions)', () => {
    expect(parseFailOn(['600', '504-502', '6xx', 'fast'])).toEqual({ problems: [
      '--fail-on: "600" is not an HTTP status (100–599), a range (502-504), a class (5xx) or "slow"',
      '--fail-on: "504-502" is not an HTTP status (100–599), a range (502-504), a class (5xx) or "slow"',
      '--fail-on: "6xx" is not an HTTP status (100–599), a range (502-504), a class (5xx) or "slow"',
      '--fail-on: "fast" is not an HTTP status (100–599), a range (502-504), a class (5xx) or "slow"',
    ] });
    expect(() => resolveRampOptions({ failOn: ['5xx', 'x'], maxP95Ms: 0 })).toThrow(expect.objectContaining({ problems: [
      '--fail-on: "x" is not an HTTP status (100–599), a range (502-504), a class (5xx) or "slow"',
      '--max-p95: must be a latency in ms above 0 (got 0)',
    ] }));
    expect(resolveRampOptions({ failOn: ['5xx', 'slow'], maxP99Ms: 900 })).toMatchObject({ failOnSlow: true, maxP99Ms: 900 });
  });

  it('is told compactly in the reports', () => {
    expect(formatStatuses(FIVE_XX)).toBe('5xx');
    expect(formatStatuses([404, 502, 503, 504])).toBe('404/502-504');
    expect(formatStatuses([502, 503])).toBe('502/503');
    expect(describePassCondition({ failOn: [502], threshold: 0 })).toBe('no 502s and no transport errors');
    expect(describePassCondition({ failOn: FIVE_XX, threshold: 0, failOnSlow: true, maxP95Ms: 800 }))
      .toBe('no HTTP 5xx, slow answers and transport errors; p95 at most 800 ms');
  });
});

describe('the step recorder with criteria', () => {
  const clock = () => {
    let now = 0;
    return { tick: (ms: number) => void (now += ms), clock: { now: () => now, cpuUsage: () => ({ user: 0, system: 0 }) } };
  };
  const record = (options: Partial<Parameters<typeof createStepRecorder>[0]>, latencies: number[], status = 200) => {
    const { clock: c, tick } = clock();
    const recorder = createStepRecorder({ concurrency: 1, phase: 'ramp', failOn: [502], threshold: 0, runRequestsBefore: 0, ...options }, c);
    for (const latencyMs of latencies) {
      const ordinal = recorder.requestStarted();
      tick(latencyMs);
      recorder.responseArrived();
      recorder.recordOutcome(ordinal, { status, latencyMs });
    }
    return recorder.finish();
  };

  it('slow: an answer over the limit fails (strictly over, as the collection\'s test judges it) and is counted', () => {
    const step = record({ slowAboveMs: 100 }, [50, 100, 101, 300]);
    expect(step).toMatchObject({ failures: 2, slow: 2, failed: true, first502AtRequest: 3 });
    expect(record({}, [50, 100, 101, 300])).toMatchObject({ failures: 0, failed: false });
    expect(record({}, [50]).slow).toBeUndefined();
  });

  it('--max-p95 / --max-p99 fail a step on its percentile, even with no failed request', () => {
    const latencies = [...Array(95).fill(10), 500, 500, 500, 500, 500];
    expect(record({ maxP95Ms: 400 }, latencies)).toMatchObject({ failures: 0, failed: false });
    expect(record({ maxP99Ms: 400 }, latencies)).toMatchObject({ failures: 0, failed: true });
    expect(record({ maxP95Ms: 5 }, latencies)).toMatchObject({ failed: true });
  });

  it('5xx: a 503 fails with --fail-on 5xx, not with the default', () => {
    expect(record({ failOn: FIVE_XX }, [10, 10], 503)).toMatchObject({ failures: 2, failed: true });
    expect(record({}, [10, 10], 503)).toMatchObject({ failures: 0, failed: false });
  });
});

describe('on the lab (fast engine, 50 ms answers, no capacity limit)', () => {
  const ramp = async (extra: string[]) => {
    const dir = await mkdtemp(join(tmpdir(), 'debug502-criteria-'));
    dirs.push(dir);
    const lab = await startLab({ capacity: 64, latencyMs: 50 });
    const io = captureIo({ cwd: dir });
    try {
      const files = await writeLabFiles(dir, { gateway: lab.gateway.url, backend: lab.backend.url });
      const code = await main(['ramp', '--collection', files.collection, '--environment', files.environment, '--engine', 'fast',
        '--start', '1', '--max', '4', '--requests-per-step', '20', '--report-dir', 'out', '-r', 'json,junit', ...extra], io);
      return { code, out: io.out.join(''), err: io.err.join(''), report: await readRampReport(join(dir, 'out', 'ramp.json')) };
    } finally {
      await lab.close();
    }
  };

  it('passes every level by status; --max-p95 below the backend\'s latency breaks it at the first level', async () => {
    const plain = await ramp([]);
    expect(plain.err).toBe('');
    expect(plain.report.targets.gateway!.breakingPoint).toBeNull();
    const gated = await ramp(['--max-p95', '20']);
    expect(gated.code).toBe(0);
    expect(gated.out).toContain('a step also fails when its p95 is above 20 ms');
    const gateway = gated.report.targets.gateway!;
    expect(gateway.breakingPoint?.concurrency).toBe(1);
    expect(gateway.steps[0]).toMatchObject({ failures: 0, failed: true });
    expect(gated.report.meta.options.maxP95Ms).toBe(20);
    expect(gated.report.verdict.message).toMatch(/its p95 was \d+ ms, over --max-p95 20/);
  }, 60_000);

  it('--fail-on 5xx,slow with max_response_time_ms under the latency: every answer is slow, the first step fails', async () => {
    const { report, out } = await ramp(['--fail-on', '5xx,slow', '--env-var', 'max_response_time_ms=20']);
    expect(out).toContain('HTTP 5xx, slow answers and transport errors');
    const first = report.targets.gateway!.steps[0];
    expect(first.slow).toBe(first.requests);
    expect(first).toMatchObject({ failed: true, failureRate: 1 });
    expect(report.meta.options).toMatchObject({ failOnSlow: true });
    expect(report.meta.options.failOn).toHaveLength(100);
  }, 60_000);
});
