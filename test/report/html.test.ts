import { describe, expect, it } from 'vitest';
import type { RampReport } from '../../src/model.js';
import { renderHtml } from '../../src/report/ramp/html.js';
import { parseXml } from './xml-well-formed.js';
import { ALL_FIXTURES, gatewayLimitedReport, interruptedReport, noBreakingPointReport, singleTargetReport, underdrivenReport } from './fixtures.js';

const html = (report: RampReport): string => renderHtml(report)[0].content;
const svgs = (page: string): string[] => page.match(/<svg[\s\S]*?<\/svg>/g) ?? [];

/** The x of the chart point for `target`'s step at `concurrency` (titles start "gateway · concurrency N ("). */
function pointX(svg: string, concurrency: number, target = 'gateway'): number {
  const match = new RegExp(`<(?:circle class="point[^"]*" cx|rect class="point[^"]*" x)="([\\d.]+)"[^>]*><title>${target} · concurrency ${concurrency} \\(`).exec(svg);
  expect(match, `a point at concurrency ${concurrency}`).not.toBeNull();
  // A square's x is its corner, 4 px left of its centre.
  return Number(match![1]) + (match![0].startsWith('<rect') ? 4 : 0);
}

describe('html reporter', () => {
  it('renders one self-contained page per report: nothing external to fetch', () => {
    for (const [name, build] of Object.entries(ALL_FIXTURES)) {
      const files = renderHtml(build());
      expect(files.map((f) => f.name)).toEqual(['ramp.html']);
      const page = files[0].content;
      expect(page.startsWith('<!DOCTYPE html>'), name).toBe(true);
      expect(page, name).not.toMatch(/\bsrc\s*=/i);
      expect(page, name).not.toMatch(/href\s*=\s*["']?(https?:)?\/\//i);
      expect(page, name).not.toMatch(/<script|<link|@import|url\(\s*["']?(https?:)?\/\//i);
      expect(page, name).toContain('<style>');
      for (const svg of svgs(page)) expect(() => parseXml(svg), name).not.toThrow();
    }
  });

  it('draws gateway and backend on one chart of failures and one of latency, one scale each, the breaking point marked', () => {
    const page = html(gatewayLimitedReport());
    const [failures, latency] = svgs(page);
    expect(svgs(page)).toHaveLength(2);
    for (const chart of [failures, latency]) {
      expect(chart).toContain('data-series="through the gateway"');
      expect(chart).toContain('data-series="direct to the backend"');
      // One value axis: the shared scale (no second, right-hand axis).
      expect(chart.match(/class="axis-titles"[\s\S]*?<\/g>/)![0].match(/<text /g)).toHaveLength(2);
      const mark = /<g class="mark breaking-point" data-level="(\d+)">\s*<line x1="([\d.]+)"/.exec(chart);
      expect(mark?.[1]).toBe('21');
      expect(Number(mark?.[2])).toBe(pointX(chart, 21));
      expect(chart).toContain('gateway breaks at 21');
      expect(chart).not.toContain('backend breaks at');
    }
    expect(failures).toContain('Failed requests (% of the step)');
    expect(latency).toContain('p95 latency (ms)');
    // The backend's points sit on the same x as the gateway's for the same level.
    expect(pointX(failures, 16, 'backend')).toBe(pointX(failures, 16));
  });

  it('marks one breaking point for both when they break at the same level, and says none when neither breaks', () => {
    const both = gatewayLimitedReport();
    both.targets.backend = { ...both.targets.gateway! };
    expect(svgs(html(both))[0]).toContain('both break at 21');
    const [chart] = svgs(html(noBreakingPointReport()));
    expect(chart).not.toContain('class="mark breaking-point"');
    expect(chart).toMatch(/class="chart-note"[^>]*>No breaking point up to concurrency \d+/);
  });

  it('puts concurrency on a log2 axis: a factor-2 ramp is evenly spaced, bisection steps fall between', () => {
    const [chart] = svgs(html(gatewayLimitedReport()));
    const [x1, x2, x4, x8, x16, x32] = [1, 2, 4, 8, 16, 32].map((c) => pointX(chart, c));
    for (const gap of [x4 - x2, x8 - x4, x16 - x8, x32 - x16]) expect(gap).toBeCloseTo(x2 - x1, 0);
    const x21 = pointX(chart, 21);
    const x24 = pointX(chart, 24);
    expect(x16 < x21 && x21 < x24 && x24 < x32).toBe(true);
  });

  it('shows the verdict, the per-target facts and a step table with every step', () => {
    const page = html(gatewayLimitedReport());
    expect(page).toContain('data-verdict="gateway-limited"');
    expect(page).toContain('The gateway returns 502s from 21 concurrent requests');
    expect(page).toMatch(/Breaking point<\/dt><dd><span class="value">21 concurrent/);
    expect(page).toMatch(/Last passing<\/dt><dd><span class="value">20 concurrent/);
    expect(page).toMatch(/First 502<\/dt><dd><span class="value">request #1,023/);
    const gatewayRows = page.split('<table class="steps" data-target="gateway">')[1].split('</table>')[0].match(/<tr class="row-/g);
    expect(gatewayRows).toHaveLength(10);
    expect(page).toMatch(/<tr class="row-failed row-breaking-point" data-concurrency="21">/);
    expect(page).toMatch(/<tr class="row-passed row-last-passing" data-concurrency="20">/);
    expect(page).toContain('<dt>A step passes with</dt><dd>no 502s and no transport errors</dd>');
  });

  it('separates 500/502/503/504 and names transport errors when a step has them', () => {
    const page = html(singleTargetReport());
    const row = /<tr class="row-failed" data-concurrency="8">([\s\S]*?)<\/tr>/.exec(page)?.[1] ?? '';
    const cells = [...row.matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((m) => m[1].replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim());
    // Concurrency, requests, 2xx, 500, 502, 503, 504, transport, 502 ratio, failures…
    expect(cells.slice(0, 10)).toEqual(['8 ramp', '200', '175', '0', '22', '0', '2', '1 ECONNRESET 1', '11.0%', '11.5%']);
    expect(page).toMatch(/First failure<\/dt>/);
  });

  it('marks underdriven steps in the charts and the table and says the client was the limit', () => {
    const page = html(underdrivenReport());
    const [failures, latency] = svgs(page);
    for (const chart of [failures, latency]) {
      expect(chart.match(/class="underdriven-band"/g)).toHaveLength(1);
      expect(chart.match(/class="point point-underdriven"/g)).toHaveLength(2); // 2 steps, one series
    }
    expect(page.match(/<tr class="row-passed row-underdriven"/g)).toHaveLength(2);
    expect(page).toContain('the client, not the target, was the limit');
    expect(failures).toContain('No breaking point up to concurrency 16; above it underdriven');
  });

  it('says when the ramp stopped early and renders the target that never ran', () => {
    const page = html(interruptedReport());
    expect(page).toContain('data-aborted="interrupted"');
    expect(page).toContain('SIGINT received during the step at concurrency 8');
    expect(page).toContain('No step completed.');
    expect(page).toMatch(/Backend breaks at<\/dt><dd><span class="value">not ramped/);
  });

  it('escapes user text everywhere', () => {
    const report = noBreakingPointReport();
    report.meta.collection = '<script>alert(1)</script> & "friends"';
    report.meta.environment = '<img onerror=x>';
    report.verdict.message = '</p><b>bold</b>';
    const page = html(report);
    expect(page).not.toContain('<script>');
    expect(page).not.toContain('<img');
    expect(page).not.toContain('<b>bold');
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;friends&quot;');
  });
});
