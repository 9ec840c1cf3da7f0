/**
 * One report kit, one look: every HTML report — run, ramp, watch, diagnose, an imported Locust or
 * k6 ramp — is a page of the kit (the same stylesheet, header, verdict card, tiles, next steps,
 * footer), says "—" for a figure nobody measured, and fills its next steps from what it knows.
 * And report/ stays a projection: it imports no command room.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DiagnoseReport, RampReport, RunReport, WatchReport } from '../../src/model.js';
import { renderDiagnoseHtml } from '../../src/report/diagnose/html.js';
import { environmentOptions } from '../../src/report/kit/next-steps.js';
import { renderHtml } from '../../src/report/ramp/html.js';
import { renderRunHtml } from '../../src/report/run/html.js';
import { KIT_STYLES } from '../../src/report/templates.js';
import { renderWatchHtml } from '../../src/report/watch/html.js';
import { aggregateRun } from '../../src/run/aggregate.js';
import { createWatchTimeline, judgeWatch, resolveWatchOptions } from '../../src/watch/index.js';
import { gatewayLimitedReport } from './fixtures.js';

function runReport(): RunReport {
  const { endpoints, totals } = aggregateRun([
    { route: 'gateway', item: 'List users', request: 'GET /users', status: 502, latencyMs: 7, tests: [{ name: 'No 502 errors', passed: false, message: 'expected 502 to not equal 502' }] },
    { route: 'backend', item: 'List users', request: 'GET /users', status: 200, latencyMs: 3, tests: [{ name: 'No 502 errors', passed: true }] },
  ], 5000, { gatewayUrl: 'http://127.0.0.1:8', backendUrl: 'http://127.0.0.1:9' });
  return {
    schemaVersion: 1,
    meta: { tool: 'debug502', version: '0.1.0', collection: 'c.json', collectionName: 'Users API', environment: 'envs/staging.json', startedAt: '2025-03-14T09:26:53.000Z', durationMs: 40, iterations: 1, maxLatencyMs: 5000, gatewayUrl: 'http://127.0.0.1:8', backendUrl: 'http://127.0.0.1:9' },
    endpoints,
    totals,
  };
}

function watchReport(): WatchReport {
  const options = resolveWatchOptions({ rate: '10/s', duration: '12s', window: '1s', arrivals: 'uniform', seed: 3 });
  const timeline = createWatchTimeline(['gateway', 'backend'], 1000, [502]);
  for (let w = 0; w < 12; w++) {
    for (let i = 0; i < 10; i++) {
      timeline.record('gateway', w * 1000 + i * 100, w % 3 === 0 && i === 0 ? { status: 502, latencyMs: 4 } : { status: 200, latencyMs: 3 });
      timeline.record('backend', w * 1000 + i * 100, { status: 200, latencyMs: 2 });
    }
  }
  const summary = timeline.summary(12_000, 0);
  return {
    schemaVersion: 1,
    meta: { tool: 'debug502', version: '0.1.0', collection: 'c.json', environment: 'envs/staging.json', startedAt: '2025-03-14T09:26:53.000Z', durationMs: 12_000, options, droppedArrivals: 0 },
    targets: summary.targets,
    timeline: summary.timeline,
    verdict: judgeWatch(summary.targets, summary.timeline, { environment: 'envs/staging.json', collection: 'c.json' }),
  };
}

function diagnoseReport(): DiagnoseReport {
  return {
    schemaVersion: 1,
    meta: { tool: 'debug502', version: '0.1.0', startedAt: '2025-03-14T09:26:53.000Z', durationMs: 300, environment: 'envs/staging.json', collection: 'c.json' },
    findings: [{ code: 'backend-down', confidence: 'high', evidence: ['tcp probe: 127.0.0.1:9: ECONNREFUSED'], next: 'Restart the backend.' }],
    probes: [
      { kind: 'tcp', target: '127.0.0.1:8', route: 'gateway', ok: true, timeMs: 1, evidence: 'accepted' },
      { kind: 'tcp', target: '127.0.0.1:9', route: 'backend', ok: false, timeMs: 1, error: 'ECONNREFUSED', evidence: '127.0.0.1:9: ECONNREFUSED' },
    ],
  };
}

/** A ramp read back from Locust: no client CPU, no in-flight counts were measured. */
function importedReport(): RampReport {
  const report = gatewayLimitedReport();
  report.meta.collection = 'Locust run results';
  report.meta.environment = '';
  report.meta.source = { tool: 'locust', files: ['/tmp/results_stats_history.csv'], note: 'Locust, 17 steps' };
  delete report.meta.options.engine;
  for (const target of Object.values(report.targets)) for (const step of target!.steps) step.clientCpuPercent = 0;
  return report;
}

const PAGES: Record<string, () => string> = {
  run: () => renderRunHtml(runReport())[0].content,
  ramp: () => renderHtml(gatewayLimitedReport())[0].content,
  'ramp (imported)': () => renderHtml(importedReport())[0].content,
  watch: () => renderWatchHtml(watchReport())[0].content,
  diagnose: () => renderDiagnoseHtml(diagnoseReport())[0].content,
};

describe('every HTML report is a page of the kit', () => {
  it('the same stylesheet, header, verdict card, tiles, next steps, details and footer', () => {
    for (const [name, render] of Object.entries(PAGES)) {
      const page = render();
      const kind = name.split(' ')[0];
      const styles = [...page.matchAll(/<style>\n([\s\S]*?)<\/style>/g)].map((m) => m[1]);
      expect(styles, name).toHaveLength(1);
      expect(styles[0], name).toBe(KIT_STYLES);
      expect(page, name).toContain(`<meta name="debug502-report" content="${kind}">`);
      expect(page, name).toMatch(new RegExp(`<header class="page">\\s*<p class="kicker">debug502 · ${kind} report`));
      expect(page, name).toMatch(/<section class="card verdict tone-(bad|good|warn)" aria-label="Verdict" data-verdict="[^"]+">\s*<span class="verdict-label">[^<]+<\/span>\s*<p class="verdict-answer">/);
      expect(page, name).toContain('<dl class="tiles">');
      expect(page, name).toContain('<section class="card" aria-label="Next steps">');
      expect(page, name).toContain('<section class="card" aria-label="Details">');
      expect(page, name).toMatch(/<footer>Generated by debug502 [^<]*self-contained and works offline/);
      // Self-contained: nothing to fetch.
      expect(page, name).not.toMatch(/<script|<link|\bsrc\s*=|@import|href\s*=\s*["']?(https?:)?\/\//i);
    }
  });

  it('gateway and backend share one chart wherever they are compared (ramp, watch)', () => {
    for (const name of ['ramp', 'watch']) {
      const svgs = PAGES[name]().match(/<svg[\s\S]*?<\/svg>/g)!;
      expect(svgs.length, name).toBe(2);
      for (const svg of svgs) {
        expect(svg, name).toContain('data-series="through the gateway"');
        expect(svg, name).toContain('data-series="direct to the backend"');
      }
    }
  });

  it('an import shows what nobody measured as "—", never 0%, and is named for what it is', () => {
    const page = PAGES['ramp (imported)']();
    expect(page).toContain('<p class="kicker">debug502 · ramp report · imported from Locust</p>');
    expect(page).toContain('<h1 title="Locust run results">Ramp run with Locust</h1>');
    expect(page).toMatch(/<div class="tile tone-unknown"><dt>Client CPU<\/dt><dd><span class="value">—<\/span><span class="detail">not measured by Locust/);
    const cpuCells = [...page.matchAll(/<td>(\d+%|—)<\/td>\s*<td class="text result">/g)].map((m) => m[1]);
    expect(cpuCells.length).toBeGreaterThan(0);
    expect(new Set(cpuCells)).toEqual(new Set(['—']));
    expect(PAGES.ramp()).not.toContain('not measured by');
  });

  it('next steps are commands with the report\'s own environment and collection, not <env>', () => {
    for (const [name, render] of Object.entries(PAGES)) {
      const page = render();
      expect(page, name).not.toContain('&lt;env&gt;');
      const steps = page.split('aria-label="Next steps"')[1].split('</section>')[0];
      if (name === 'ramp (imported)') expect(steps).toContain('debug502 report --from-locust /tmp/results');
      else expect(steps, name).toContain(name === 'ramp' ? '--environment staging' : '--environment envs/staging.json');
    }
    expect(environmentOptions('e.json + --env-var gateway_url', { gateway_url: 'http://gw:8080' })).toBe('--environment e.json --env-var gateway_url=http://gw:8080');
    expect(environmentOptions('--env-var gateway_url, backend_url')).toBe('--env-var gateway_url=<gateway_url> --env-var backend_url=<backend_url>');
    expect(environmentOptions('my envs/lab.json')).toBe("--environment 'my envs/lab.json'");
    expect(environmentOptions('')).toBe('--environment <environment file>');
  });
});

describe('report/ is a projection of finished data', () => {
  it('imports no command room (ramp, run, diagnose, export, watch, lab, demo, init, generate, cli)', () => {
    const root = new URL('../../src/report/', import.meta.url).pathname;
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) walk(path);
        else if (path.endsWith('.ts')) files.push(path);
      }
    };
    walk(root);
    const upward: string[] = [];
    for (const file of files) {
      for (const [, spec] of readFileSync(file, 'utf8').matchAll(/from '([^']+)'/g)) {
        if (!spec.startsWith('.')) continue;
        const target = relative(join(root, '..'), join(file, '..', spec));
        if (/^(ramp|run|diagnose|export|watch|lab|demo|init|generate|cli)\//.test(target)) upward.push(`${relative(root, file)} → ${target}`);
      }
    }
    expect(files.length).toBeGreaterThan(30);
    expect(upward).toEqual([]);
  });
});
