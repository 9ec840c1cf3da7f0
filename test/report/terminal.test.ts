/**
 * What the commands print at their end: the answer first — one line with the number and the
 * verdict —, then what failed, bounded, then where the reports are; caveats after the answer.
 * (run on 2,000 endpoints: test/run/large-collection.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import type { DiagnoseReport, ProbeResult } from '../../src/model.js';
import { formatRampSummary } from '../../src/ramp/outcome.js';
import { MAX_PROBE_ROWS, renderDiagnoseText } from '../../src/report/diagnose/render-text.js';
import { describeRampAnswer } from '../../src/report/ramp/view/answer.js';
import { gatewayLimitedReport, noBreakingPointReport, underdrivenReport } from './fixtures.js';

describe('the terminal says the answer first', () => {
  it('ramp: the levels and the verdict on the first line, each target under it, the caveats after the message', () => {
    const report = gatewayLimitedReport();
    report.verdict.caveats = ['At concurrency 64 the load generator ran at 97% of one CPU core.'];
    const lines = formatRampSummary(report, ['reports/ramp.json', 'reports/ramp.html']).trim().split('\n');
    expect(lines[0]).toBe('breaking point: gateway at concurrency 21, backend none (held up to concurrency 64) — verdict: gateway-limited');
    expect(lines[1]).toMatch(/^ {2}gateway: breaking point at concurrency 21, held at 20/);
    expect(lines[2]).toMatch(/^ {2}backend: no breaking point, held up to concurrency 64/);
    expect(lines[3]).toBe(report.verdict.message);
    expect(lines.indexOf('caveat: At concurrency 64 the load generator ran at 97% of one CPU core.')).toBeGreaterThan(lines.findIndex((l) => l.startsWith('next: ')));
    expect(lines.at(-1)).toBe('reports: reports/ramp.json, reports/ramp.html');
  });

  it('ramp answers: both at one level, neither, or underdriven', () => {
    const same = gatewayLimitedReport();
    same.targets.backend = same.targets.gateway;
    same.verdict.code = 'backend-capacity';
    expect(describeRampAnswer(same)).toBe('breaking point at concurrency 21 (gateway and backend) — verdict: backend-capacity');
    expect(describeRampAnswer(noBreakingPointReport())).toMatch(/^no breaking point: gateway held up to concurrency \d+ — verdict: no-breaking-point$/);
    expect(describeRampAnswer(underdrivenReport())).toMatch(/^no breaking point: gateway held up to concurrency \d+, underdriven above — verdict: inconclusive$/);
  });

  it('diagnose: a collection of 2,000 requests makes 4,000 probes; the terminal shows the telling ones and says how many more', () => {
    const probe = (kind: ProbeResult['kind'], ok: boolean, i: number): ProbeResult => ({ kind, target: `http://127.0.0.1:8/e/${i}`, route: i % 2 ? 'backend' : 'gateway', ok, timeMs: 1, evidence: `probe ${i}`, ...(ok ? {} : { status: 502 }) });
    const probes = [probe('dns', true, 0), probe('tcp', true, 1), ...Array.from({ length: 4000 }, (_, i) => probe('direct-vs-gateway', i !== 1234, i + 2))];
    const report: DiagnoseReport = { schemaVersion: 1, findings: [], probes };
    const text = renderDiagnoseText(report);
    const table = text.split('Probes\n')[1].split('\n\n')[0].split('\n');
    expect(table).toHaveLength(1 + MAX_PROBE_ROWS + 1);
    expect(table[1]).toMatch(/^ {2}dns /);
    expect(text).toContain('probe 1236'); // the one failing request is among the rows shown
    expect(table.at(-1)).toBe(`  … and ${4002 - MAX_PROBE_ROWS} more probes (${4002 - MAX_PROBE_ROWS} passed): -r json or -r html writes every one`);
  });
});
