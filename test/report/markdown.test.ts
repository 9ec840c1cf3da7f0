import { describe, expect, it } from 'vitest';
import type { RampReport } from '../../src/model.js';
import { escapeMarkdown } from '../../src/report/escape-markdown.js';
import { renderMarkdown } from '../../src/report/ramp/markdown.js';
import { gatewayLimitedReport, interruptedReport, noBreakingPointReport, singleTargetReport, underdrivenReport } from './fixtures.js';

const md = (report: RampReport): string => renderMarkdown(report)[0].content;

/** The rows of the table right after `heading` (header and separator excluded), split into cells. */
function tableAfter(text: string, heading: string): string[][] {
  const lines = text.split('\n');
  const start = lines.indexOf(heading);
  expect(start, heading).toBeGreaterThanOrEqual(0);
  const rows: string[][] = [];
  for (const line of lines.slice(start + 1).filter((l, i, all) => all.slice(0, i + 1).some((x) => x.startsWith('|')))) {
    if (!line.startsWith('|')) break;
    rows.push(line.slice(2, -2).split(' | '));
  }
  return rows.slice(2);
}

describe('markdown reporter', () => {
  it('starts with the answer (the levels and the verdict), then why, one summary row per target, a step table per target', () => {
    const text = md(gatewayLimitedReport());
    const lines = text.split('\n');
    expect(lines[0]).toBe('## ❌ Ramp: breaking point: gateway at concurrency 21, backend none (held up to concurrency 64) — verdict: gateway-limited');
    expect(lines[2]).toMatch(/^Gateway-limited: The gateway returns 502s from 21 concurrent requests/);
    expect(text).toContain('**Next:** Check the gateway’s connection limits');
    const summary = lines.filter((l) => l.startsWith('| Through the gateway') || l.startsWith('| Direct to the backend'));
    expect(summary).toHaveLength(2);
    expect(summary[0]).toContain('**21 concurrent**');
    expect(summary[1]).toContain('| none <sub>no breaking point up to concurrency 64</sub>');
    const gateway = tableAfter(text, '### Through the gateway');
    expect(gateway).toHaveLength(10);
    expect(gateway[9][0]).toBe('**21**');
    expect(gateway[9][4]).toBe('504 1');
    expect(gateway[9].at(-1)).toBe('❌ fail · **breaking point**');
    expect(gateway[7].at(-1)).toBe('✅ pass · last passing');
    expect(tableAfter(text, '### Direct to the backend')).toHaveLength(7);
    // Every row of every table has as many cells as its header (escaped \| is not a separator).
    const blocks = text.split(/\n(?!\|)/).map((b) => b.split('\n').filter((l) => l.startsWith('|'))).filter((b) => b.length > 0);
    expect(blocks).toHaveLength(3);
    for (const block of blocks) {
      const widths = block.map((row) => row.split(/(?<!\\)\|/).length);
      expect(new Set(widths).size, block[0]).toBe(1);
    }
  });

  it('adds a Failures column and names transport errors when they count', () => {
    const text = md(singleTargetReport());
    expect(text).toContain('| Concurrency | Phase | Requests | 502 | Other errors | 502 ratio | Failures |');
    const rows = tableAfter(text, '### Through the gateway');
    expect(rows).toHaveLength(6);
    expect(rows[3].slice(0, 7)).toEqual(['8', 'ramp', '200', '22', '504 2 · ECONNRESET 1', '11.0%', '11.5%']);
  });

  it('flags underdriven steps and an interrupted ramp', () => {
    const under = md(underdrivenReport());
    expect(under.split('\n')[0]).toMatch(/^## ⚠️ Ramp: no breaking point: gateway held up to concurrency \d+, underdriven above — verdict: inconclusive$/);
    expect(under).toContain('> **Underdriven:** At 32 (peak 24, 26 in flight)');
    expect(tableAfter(under, '### Through the gateway').filter((r) => r.at(-1) === '⚠️ underdriven')).toHaveLength(2);
    const stopped = md(interruptedReport());
    expect(stopped).toContain('> The ramp stopped early (interrupted): SIGINT received');
    expect(stopped).toContain('### Direct to the backend\n\n_No step completed._');
  });

  it('says no breaking point plainly', () => {
    const text = md(noBreakingPointReport());
    expect(text.split('\n')[0]).toMatch(/^## ✅ Ramp: no breaking point: .* held up to concurrency \d+ — verdict: no-breaking-point$/);
    expect(tableAfter(text, '### Through the gateway')).toHaveLength(7);
  });

  it('escapes user text: no HTML, links or extra table cells', () => {
    const report = noBreakingPointReport();
    report.meta.collection = '<script>alert(1)</script> | [x](http://evil.invalid) *b* _i_';
    const text = md(report);
    expect(text).not.toContain('<script>');
    expect(text).toContain('&lt;script&gt;alert(1)&lt;/script&gt; \\| \\[x\\](http://evil.invalid) \\*b\\* \\_i\\_');
    expect(escapeMarkdown('a\nmax_conns `d` ~s~')).toBe('a max_conns \\`d\\` \\~s\\~');
  });
});
