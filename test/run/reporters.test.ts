import { describe, expect, test } from 'vitest';
import type { RunReport } from '../../src/model.js';
import { aggregateRun } from '../../src/run/aggregate.js';
import { renderRunSummary } from '../../src/report/run/cli-summary.js';
import { parseRunReporters, renderRunFiles } from '../../src/report/run/registry.js';
import { renderRunJson } from '../../src/report/run/json.js';
import { renderRunJunit } from '../../src/report/run/junit.js';
import { renderRunMarkdown } from '../../src/report/run/markdown.js';
import { HAS_PYTHON, parseJunit } from './helpers.js';

const NASTY = 'Users <script>alert(1)</script> & "quotes" | pipes \u0000nul';
const test502 = (passed: boolean) => ({ name: 'No 502 errors', passed, ...(passed ? {} : { message: 'expected 502 to not equal 502' }) });
const latency = (passed: boolean) => ({ name: 'Response under 5 seconds', passed, ...(passed ? {} : { message: 'Direct to backend / Users: no response: the request failed before any answer (connection refused, DNS, reset, timeout)' }) });

function fixture(): RunReport {
  const { endpoints, totals } = aggregateRun([
    { route: 'gateway', item: NASTY, request: 'GET /a', status: 502, latencyMs: 7, tests: [test502(false), latency(true)] },
    { route: 'gateway', item: 'Health', request: 'GET /h', status: 200, latencyMs: 3, tests: [test502(true), latency(true)] },
    { route: 'backend', item: NASTY, request: 'GET /a', error: 'ECONNREFUSED', errorMessage: 'connect ECONNREFUSED 127.0.0.1:9', latencyMs: 1, tests: [test502(true), latency(false)] },
    { route: 'backend', item: 'Health', request: 'GET /h', status: 200, latencyMs: 2, tests: [test502(true), latency(true)] },
  ], 5000, { gatewayUrl: 'http://127.0.0.1:8', backendUrl: 'http://127.0.0.1:9' });
  return {
    schemaVersion: 1,
    meta: { tool: 'debug502', version: '0.1.0', collection: 'c.json', environment: 'e.json', startedAt: '2024-05-01T10:00:00.000Z', durationMs: 40, iterations: 1, maxLatencyMs: 5000, gatewayUrl: 'http://127.0.0.1:8', backendUrl: 'http://127.0.0.1:9' },
    endpoints,
    totals,
  };
}

describe('run reporters', () => {
  test('run.json: the issue\'s shape, schemaVersion 1, a verdict per endpoint', () => {
    const [file] = renderRunJson(fixture());
    expect(file.name).toBe('run.json');
    const json = JSON.parse(file.content);
    expect(Object.keys(json)).toEqual(['schemaVersion', 'meta', 'endpoints', 'totals']);
    expect(json.endpoints[0]).toMatchObject({
      name: NASTY,
      gateway: { status: 502, latencyMs: 7, failedTests: ['No 502 errors'] },
      backend: { error: 'ECONNREFUSED', latencyMs: 1, failedTests: ['Response under 5 seconds'] },
      verdict: { code: 'backend-down', message: expect.stringContaining('refuses connections'), next: expect.stringContaining('curl http://127.0.0.1:9/health') },
    });
    expect(json.totals).toEqual({ requests: 4, tests: 8, failedTests: 2, endpoints: 2, notOk: 1 });
    expect(file.content.endsWith('}\n')).toBe(true);
  });

  test('JUnit: user text escaped, control characters dropped, counts right', () => {
    const [file] = renderRunJunit(fixture());
    expect(file.content).not.toContain('<script>');
    expect(file.content).not.toContain('\u0000');
    expect(file.content).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;');
    expect(file.content).toMatch(/<testsuites name="debug502 run" tests="9" failures="2" errors="1"/);
  });

  test.skipIf(!HAS_PYTHON)('JUnit parses with a real XML parser; names come back verbatim', () => {
    const tree = parseJunit(renderRunJunit(fixture())[0].content);
    expect(tree.suites.map((s) => s.name)).toEqual(['gateway', 'backend']);
    const [gateway, backend] = tree.suites;
    expect(gateway.cases[0]).toMatchObject({ classname: `gateway.${NASTY.replace('\u0000', '')}`, name: 'No 502 errors', failure: 'expected 502 to not equal 502' });
    expect(gateway.cases[0].text).toContain('verdict: backend-down');
    expect(backend.cases.map((c) => c.name)).toEqual(['No 502 errors', 'Response under 5 seconds', 'Response received', 'No 502 errors', 'Response under 5 seconds']);
    expect(backend.cases[2].error).toBe('ECONNREFUSED');
  });

  test('Markdown: table cells escaped, one next step per verdict', () => {
    const markdown = renderRunMarkdown(fixture());
    expect(markdown).toContain('## ❌ debug502 run: 2 endpoints: 1 ok, 1 not ok · 2 of 8 tests failed — verdict: backend-down ×1');
    expect(markdown).not.toContain('<script>');
    const row = markdown.split('\n').find((l) => l.includes('&lt;script'))!;
    expect(row.split(/(?<!\\)\|/).length).toBe(7); // 5 cells: the pipe in the name is escaped
    expect(markdown).toContain('| Health | 200 · 3 ms | 200 · 2 ms | — | ✅ `ok` |');
    expect(markdown.match(/\*\*Next:\*\*/g)).toHaveLength(1);
    // Not ok first (1 row), then every endpoint (2 rows, not folded: a small run).
    expect(markdown.indexOf('### Not ok: 1 of 2')).toBeLessThan(markdown.indexOf('### Every endpoint (2)'));
    expect(markdown).not.toContain('<details>');
  });

  test('CLI summary: the answer first, a row per endpoint (a small run), then the next step and where the reports are', () => {
    const text = renderRunSummary(fixture(), { files: ['reports/run.json', 'reports/run.md'] });
    const lines = text.split('\n');
    expect(lines[0]).toBe('2 endpoints: 1 ok, 1 not ok · 2 of 8 tests failed — verdict: backend-down ×1');
    expect(lines[1]).toBe('  gateway http://127.0.0.1:8 · backend http://127.0.0.1:9 · limit 5,000 ms · 4 requests · 8 tests · 1 iteration');
    expect(lines[3]).toMatch(/^Endpoint\s+Gateway\s+Backend\s+Failed tests\s+Verdict$/);
    expect(lines[4]).toMatch(/^Users <script>.*\s+502 · 7 ms\s+ECONNREFUSED · 1 ms\s+No 502 errors, Response under 5 seconds\s+backend-down$/);
    expect(lines[5]).toMatch(/^Health\s+200 · 3 ms\s+200 · 2 ms\s+—\s+ok$/);
    expect(text).toContain('backend-down (1 endpoint)');
    expect(text).toContain('  next: Check backend server health');
    expect(text.trimEnd().split('\n').at(-1)).toBe('reports: reports/run.json, reports/run.md');
  });

  test('reporter names: case-insensitive, deduplicated, unknown ones listed with the valid ones', () => {
    expect(parseRunReporters(['JSON', 'junit', 'json'])).toEqual(['json', 'junit']);
    expect(() => parseRunReporters(['cli', 'htm', 'pdf'])).toThrow('--reporters: unknown reporters "htm", "pdf"');
    expect(() => parseRunReporters([])).toThrow(/name at least one/);
    expect(renderRunFiles(fixture(), ['cli', 'json', 'markdown']).map((f) => f.name)).toEqual(['run.json', 'run.md']);
  });
});
