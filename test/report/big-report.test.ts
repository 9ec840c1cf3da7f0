/**
 * Reports far bigger than a ramp makes (an import, a hand-made file): the machine formats keep every
 * step, the human ones summarize past MAX_TABLE_STEPS, and a broken one lists its first problems.
 */
import { describe, expect, it } from 'vitest';
import type { RampReport } from '../../src/model.js';
import { parseRampReport, renderHtml, renderJson, renderJunit, renderMarkdown } from '../../src/report/ramp/index.js';
import { MAX_TABLE_STEPS, TABLE_EDGE_STEPS } from '../../src/report/ramp/view/step-table.js';
import { BASE_OPTIONS, buildTarget } from './fixtures.js';

/** `count` steps at concurrency 1…count; from `breakAt` on, every step has 502s. */
function bigReport(count: number, breakAt: number): RampReport {
  const gateway = buildTarget(Array.from({ length: count }, (_, i) => ({ c: i + 1, p50: 40 + (i % 7), ...(i + 1 >= breakAt ? { status: { '502': 3 } } : {}) })));
  return {
    schemaVersion: 2,
    meta: { tool: 'debug502', version: '0.1.0', collection: 'big.json', environment: 'e.json', startedAt: '2025-03-14T09:26:53.000Z', durationMs: 1000, options: BASE_OPTIONS },
    targets: { gateway },
    verdict: { code: 'breaking-point', message: `Breaks at ${breakAt}.` },
  };
}

/** The Markdown step table's rows, split into cells. */
function markdownRows(text: string): string[][] {
  return text.split('\n').filter((line) => /^\| (\*\*)?[\d…]/.test(line)).map((line) => line.slice(2, -2).split(' | '));
}

describe('a report with more steps than a table shows', () => {
  const report = bigReport(1000, 601);

  it('Markdown: the first and last steps, the breaking point and last passing level with neighbours, a gap row between, and a note', () => {
    const text = renderMarkdown(report)[0].content;
    const rows = markdownRows(text);
    const gaps = rows.filter((cells) => cells[0] === '…');
    expect(gaps.map((cells) => cells[1])).toEqual(['… 547 steps not shown (steps 51–597)', '… 347 steps not shown (steps 604–950)']);
    const steps = rows.filter((cells) => cells[0] !== '…').map((cells) => cells[0].replaceAll('*', ''));
    expect(steps).toHaveLength(2 * TABLE_EDGE_STEPS + 6);
    expect(steps.slice(TABLE_EDGE_STEPS, TABLE_EDGE_STEPS + 6)).toEqual(['598', '599', '600', '601', '602', '603']);
    expect(rows.find((cells) => cells[0] === '**601**')?.at(-1)).toContain('**breaking point**');
    expect(rows.every((cells) => cells.length === rows[0].length), 'gap rows have as many cells as the header').toBe(true);
    expect(text).toContain('_106 of 1,000 steps shown: the first and last 50, and the breaking point and last passing level with their neighbours. ramp.json and ramp.junit.xml have every step._');
  });

  it('HTML: the same rows and note; the chart marks the shown steps, its lines go through every level', () => {
    const page = renderHtml(report)[0].content;
    expect(page.match(/<tr class="row-gap">/g)).toHaveLength(2);
    expect(page.match(/<tr class="row-(passed|failed)/g)).toHaveLength(106);
    expect(page).toContain('<p class="note-truncated">106 of 1,000 steps shown:');
    expect(page).toContain('The points mark the steps the tables show, the lines run through every level tested');
    // One marker per shown step in each chart (failures, p95 latency).
    expect(page.match(/<(circle|rect) class="point/g)).toHaveLength(2 * 106);
    const path = /<path d="([^"]+)"/.exec(page)![1];
    expect(path.split('L')).toHaveLength(1000);
  });

  it('JUnit and ramp.json keep every step', () => {
    const junit = renderJunit(report)[0];
    expect(junit.content.match(/<testsuite /g)).toHaveLength(1000 + 1);
    expect([...junit.chunks!()].length, 'written in chunks').toBeGreaterThan(1);
    const json = renderJson(report)[0].content;
    expect(parseRampReport(json, 'ramp.json').targets.gateway!.steps).toHaveLength(1000);
    expect(json).toBe(JSON.stringify(JSON.parse(json), null, 2) + '\n');
  });

  it('up to MAX_TABLE_STEPS steps, every step is in the table and no note is written', () => {
    const text = renderMarkdown(bigReport(MAX_TABLE_STEPS, 150))[0].content;
    expect(markdownRows(text)).toHaveLength(MAX_TABLE_STEPS);
    expect(text).not.toContain('steps shown');
    expect(renderHtml(bigReport(MAX_TABLE_STEPS, 150))[0].content).not.toContain('<p class="note-truncated">');
  });

  it('a ramp.json whose every step is broken lists the first 50 problems and says how many more', () => {
    const broken = JSON.parse(renderJson(report)[0].content);
    for (const step of broken.targets.gateway.steps) step.rps = -1;
    let error: { problems: string[]; message: string } | undefined;
    try {
      parseRampReport(JSON.stringify(broken), 'ramp.json');
    } catch (caught) {
      error = caught as typeof error;
    }
    expect(error?.message).toBe('ramp.json is not a valid ramp report (1000 problems)');
    expect(error?.problems).toHaveLength(51);
    expect(error?.problems[0]).toMatch(/^targets\.gateway\.steps\[0\]\.rps: /);
    expect(error?.problems[50]).toBe('… and 950 more');
  });
});
