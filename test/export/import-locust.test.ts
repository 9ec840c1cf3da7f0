import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { captureIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { buildLocustReport } from '../../src/export/index.js';
import { parseCsv } from '../../src/export/parse-csv.js';
import { parseLocustName } from '../../src/export/locust-names.js';

/** One second of a simulated run: the user count and what each stats name got in that second. */
type Second = { users: number; add: Record<string, [requests: number, failures: number]> };

const COLUMNS = ['Timestamp', 'User Count', 'Type', 'Name', 'Requests/s', 'Failures/s', '50%', '66%', '75%', '80%', '90%', '95%', '98%', '99%', '99.9%', '99.99%', '100%',
  'Total Request Count', 'Total Failure Count', 'Total Median Response Time', 'Total Average Response Time', 'Total Min Response Time', 'Total Max Response Time', 'Total Average Content Size'];

/** `_stats_history.csv` as Locust writes it with --csv-full-history: cumulative per name, then Aggregated. */
function history(seconds: Second[]): string {
  const totals = new Map<string, [number, number]>();
  const lines = [COLUMNS.join(',')];
  seconds.forEach((second, i) => {
    for (const [name, [r, f]] of Object.entries(second.add)) {
      const [tr, tf] = totals.get(name) ?? [0, 0];
      totals.set(name, [tr + r, tf + f]);
    }
    let all = 0;
    let failed = 0;
    for (const [name, [r, f]] of [...totals].sort()) {
      all += r;
      failed += f;
      const quoted = /[",]/.test(name) ? `"${name.replace(/"/g, '""')}"` : name;
      lines.push([1_800_000_000 + i, second.users, 'GET', quoted, 0, 0, ...Array(11).fill(50), r, f, 50, 50, 40, 60, 10].join(','));
    }
    lines.push([1_800_000_000 + i, second.users, '', 'Aggregated', 0, 0, 50, 52, 53, 54, 55, 58, 60, 61, 70, 70, 80, all, failed, 50, 50, 40, 80, 10].join(','));
  });
  return lines.join('\r\n') + '\r\n';
}

const ok = (n: number): Record<string, [number, number]> => ({ '[gateway] List, "all"': [n, 0] });
const bad = (n: number, f: number): Record<string, [number, number]> => ({ '[gateway] List, "all"': [n - f, 0], '[gateway] List, "all" :: HTTP 502': [f, f] });
const seconds = (users: number, count: number, add: Record<string, [number, number]>): Second[] => Array.from({ length: count }, () => ({ users, add }));

describe('report --from-locust: Locust CSVs back into a RampReport', () => {
  test('steps by user count, judged after the settle time, with debug502\'s breaking point and verdict', () => {
    const csv = history([
      { users: 0, add: {} },
      ...seconds(2, 4, ok(20)),
      ...seconds(4, 4, bad(40, 6)),
      // The first second at 3 users still holds answers of the level before (reported late): skipped.
      { users: 3, add: bad(30, 5) },
      ...seconds(3, 4, ok(30)),
      { users: 0, add: {} },
    ]);
    const rows = parseCsv(csv);
    const header = rows[0];
    const table = rows.slice(1).filter((r) => r.length > 1).map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]])));
    const { report } = buildLocustReport(table);
    const gateway = report.targets.gateway!;
    expect(gateway.steps.map((s) => [s.concurrency, s.phase, s.requests, s.failures, s.failed])).toEqual([
      [2, 'ramp', 40, 0, false],
      [4, 'ramp', 80, 12, true],
      [3, 'bisect', 90, 0, false],
    ]);
    expect(gateway.steps[1].status).toEqual({ 200: 68, 502: 12 });
    expect(gateway.steps[1].rate502).toBeCloseTo(0.15);
    expect(gateway.steps[1].first502AtRequest).toBe(1);
    expect(gateway.steps[1].first502AtRunRequest).toBe(41);
    expect(gateway.steps[1].latencyMs).toEqual({ p50: 50, p90: 55, p95: 58, p99: 61, max: 80 });
    expect(gateway.breakingPoint?.concurrency).toBe(4);
    expect(gateway.lastPassing?.concurrency).toBe(3);
    expect(report.verdict.code).toBe('breaking-point');
    expect(report.meta.options).toMatchObject({ target: 'gateway', start: 2, max: 4, failOn: [502], threshold: 0 });
    expect(report.meta.source?.tool).toBe('locust');
  });

  describe('--target both: one target at a time', () => {
    const gw = (n: number, f = 0): Record<string, [number, number]> => ({ '[gateway] List': [n - f, 0], ...(f > 0 ? { '[gateway] List :: HTTP 502': [f, f] } : {}) });
    const be = (n: number, f = 0): Record<string, [number, number]> => ({ '[backend] List': [n - f, 0], ...(f > 0 ? { '[backend] List :: ECONNRESET': [f, f] } : {}) });
    const both = (a: Record<string, [number, number]>, b: Record<string, [number, number]>) => ({ ...a, ...b });
    const stepsOf = (report: ReturnType<typeof buildLocustReport>['report'], target: 'gateway' | 'backend') =>
      report.targets[target]?.steps.map((s) => [s.concurrency, s.requests, s.failures]);
    const read = (seconds: Second[]) => {
      const rows = parseCsv(history(seconds));
      return buildLocustReport(rows.slice(1).filter((r) => r.length > 1).map((r) => Object.fromEntries(rows[0].map((h, i) => [h, r[i]]))));
    };

    test('the gateway\'s steps, a row at 0 users, the backend\'s: both sides, each at its own levels', () => {
      const { report, notes } = read([
        ...seconds(2, 4, gw(20)), ...seconds(4, 4, gw(40, 8)), ...seconds(3, 4, gw(30)),
        { users: 0, add: {} }, { users: 0, add: {} },
        ...seconds(2, 4, be(20)), ...seconds(4, 4, be(40, 8)), ...seconds(3, 4, be(30)),
      ]);
      expect(notes).toEqual([]);
      expect(stepsOf(report, 'gateway')).toEqual([[2, 40, 0], [4, 80, 16], [3, 60, 0]]);
      expect(stepsOf(report, 'backend')).toEqual([[2, 40, 0], [4, 80, 16], [3, 60, 0]]);
      expect(report.targets.gateway!.breakingPoint?.concurrency).toBe(4);
      expect(report.targets.backend!.breakingPoint?.concurrency).toBe(4);
      expect(report.meta.options.target).toBe('both');
    });

    test('no row at 0 users between them and the same user count on both sides: cut where the target changes', () => {
      const { report, notes } = read([
        ...seconds(2, 4, gw(20)), ...seconds(4, 4, gw(40, 8)), ...seconds(3, 4, gw(30)),
        // The second of the switch holds both; then the backend alone, at 3 users as well.
        { users: 3, add: both(gw(10), be(10)) }, ...seconds(3, 4, be(30)), ...seconds(4, 4, be(40, 8)),
      ]);
      expect(notes).toEqual([]);
      expect(stepsOf(report, 'gateway')).toEqual([[2, 40, 0], [4, 80, 16], [3, 60, 0]]);
      // The second of the switch is the backend's first (not judged), the next its settle time: 3 seconds judged.
      expect(stepsOf(report, 'backend')).toEqual([[3, 90, 0], [4, 80, 16]]);
    });

    test('a history where the gateway\'s users ran on beside the backend\'s (the old locustfile): those steps are not judged, and a note says why', () => {
      const { report, notes } = read([
        ...seconds(2, 4, gw(20)), ...seconds(4, 4, gw(40, 8)), ...seconds(3, 4, gw(30)),
        // "BackendUser 0, GatewayUser 2", then "BackendUser 2, GatewayUser 2".
        ...seconds(2, 4, gw(20)), ...seconds(4, 4, both(gw(20), be(20, 4))),
      ]);
      expect(stepsOf(report, 'gateway')).toEqual([[2, 40, 0], [4, 80, 16], [3, 60, 0], [2, 40, 0]]);
      expect(report.targets.backend).toBeUndefined();
      expect(notes).toHaveLength(1);
      expect(notes[0]).toMatch(/^4 users from .*: not judged, the users of both targets sent requests in it \(gateway 40, backend 40\)/);
    });
  });

  test('--fail-on slow: answers over the latency limit fail the step, as the locustfile judged them', () => {
    const slowly = { '[gateway] List, "all"': [18, 0], '[gateway] List, "all" :: Response under 5 seconds': [2, 2] } as Record<string, [number, number]>;
    const csv = history([...seconds(2, 4, ok(20)), ...seconds(4, 4, slowly)]);
    const rows = parseCsv(csv);
    const table = rows.slice(1).filter((r) => r.length > 1).map((r) => Object.fromEntries(rows[0].map((h, i) => [h, r[i]])));
    expect(buildLocustReport(table).report.targets.gateway!.breakingPoint).toBeNull();
    const { report } = buildLocustReport(table, { failOnSlow: true });
    expect(report.targets.gateway!.steps.map((s) => [s.concurrency, s.failures, s.slow, s.failed])).toEqual([[2, 0, 0, false], [4, 4, 4, true]]);
    expect(report.meta.options.failOnSlow).toBe(true);
  });

  test('outcome names: other statuses, transport codes, the latency check, and a name that only looks like one', () => {
    expect(parseLocustName('[backend] Create :: HTTP 201', false)).toEqual({ target: 'backend', item: 'Create', outcome: { kind: 'status', status: 201, slow: false } });
    expect(parseLocustName('[gateway] Get :: ECONNRESET', true)).toEqual({ target: 'gateway', item: 'Get', outcome: { kind: 'transport', code: 'ECONNRESET' } });
    expect(parseLocustName('[gateway] Get :: Draft', false)?.item).toBe('Get :: Draft');
    expect(parseLocustName('[gateway] Get :: Response under 5 seconds', true)).toEqual({ target: 'gateway', item: 'Get', outcome: { kind: 'status', status: 200, slow: true } });
    expect(parseLocustName('[gateway] Get :: HTTP 404 :: Response under 1.5 seconds', true)?.outcome).toEqual({ kind: 'status', status: 404, slow: true });
    expect(parseLocustName('/api/users', false)).toBeNull();
  });

  describe('the CLI', () => {
    let dir: string;
    beforeAll(async () => { dir = await mkdtemp(join(tmpdir(), 'debug502-import-')); });
    afterAll(async () => { await rm(dir, { recursive: true, force: true }); });
    const run = async (args: string[]) => {
      const io = captureIo({ cwd: dir });
      const code = await main(args, io);
      return { code, out: io.out.join(''), err: io.err.join('') };
    };

    test('writes every report; --min-capacity gates on the breaking point (exit 1)', async () => {
      await writeFile(join(dir, 'run_stats_history.csv'), history([...seconds(2, 4, ok(20)), ...seconds(4, 4, bad(40, 4)), ...seconds(3, 4, ok(30))]));
      const passed = await run(['report', '--from-locust', 'run', '--report-dir', 'a']);
      expect(passed.err).toBe('');
      expect(passed.code).toBe(0);
      expect(passed.out).toContain('gateway: breaking point at concurrency 4, held at 3');
      expect(passed.out).toContain('ramp.json');
      const gated = await run(['report', '--from-locust', 'run', '--report-dir', 'b', '--min-capacity', '8']);
      expect(gated.code).toBe(1);
    });

    test('bad input: exit 2 with the file and what to do', async () => {
      const missing = await run(['report', '--from-locust', 'nothing']);
      expect(missing.code).toBe(2);
      expect(missing.err).toContain('no file nothing_stats_history.csv');
      expect(missing.err).toContain('--csv-full-history');
      await writeFile(join(dir, 'agg_stats_history.csv'), history(seconds(2, 4, {})).split('\r\n').filter((l, i) => i === 0 || l.includes('Aggregated')).join('\r\n'));
      const aggregated = await run(['report', '--from-locust', 'agg']);
      expect(aggregated.code).toBe(2);
      expect(aggregated.err).toContain('without --csv-full-history');
      // No debug502 locustfile runs more users than a ramp's 1,024 (its --max is capped), nor a part of one.
      for (const users of ['99999999', '1025', '2.5', '']) {
        const csv = history(seconds(2, 4, ok(20))).replace(/\r\n1800000002,2,/g, `\r\n1800000002,${users},`);
        await writeFile(join(dir, 'many_stats_history.csv'), csv);
        const many = await run(['report', '--from-locust', 'many', '--report-dir', 'many']);
        expect(many.code, users).toBe(2);
        expect(many.err).toContain(`many_stats_history.csv: "User Count" is "${users}" at Timestamp 1800000002; a debug502 locustfile runs whole numbers of users up to 1024`);
      }
      await writeFile(join(dir, 'cap_stats_history.csv'), history(seconds(1024, 4, ok(20))));
      expect((await run(['report', '--from-locust', 'cap', '--report-dir', 'cap'])).code).toBe(0);
      const both = await run(['report', '--from', 'x.json', '--from-locust', 'run']);
      expect(both.code).toBe(2);
      expect(both.err).toContain('give exactly one of --from, --from-locust, --from-k6');
    });
  });
});
