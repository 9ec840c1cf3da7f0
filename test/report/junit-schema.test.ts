/**
 * Every JUnit file debug502 writes — run, ramp, diagnose, watch — follows the JUnit schema CI tools
 * read (see junit-schema.ts), across the shapes each report takes: failing and passing endpoints,
 * broken, clean, interrupted and underdriven ramps, findings and none, a watch with a burst and an
 * interrupted one. And the check itself rejects what those tools would choke on.
 */
import { describe, expect, it } from 'vitest';
import type { DiagnoseReport, RunReport, WatchOptions } from '../../src/model.js';
import { diagnose } from '../../src/diagnose/index.js';
import { renderDiagnoseJunit } from '../../src/report/diagnose/junit.js';
import { renderJunit } from '../../src/report/ramp/junit.js';
import { renderRunJunit } from '../../src/report/run/junit.js';
import { renderWatchJunit } from '../../src/report/watch/junit.js';
import { aggregateRun } from '../../src/run/aggregate.js';
import { resolveWatchOptions, runWatch } from '../../src/watch/index.js';
import { closedPort } from '../diagnose/helpers/sockets.js';
import { tempDir, writeEnvironment } from '../diagnose/helpers/files.js';
import { gatewayLimitedReport, interruptedReport, noBreakingPointReport, singleTargetReport, underdrivenReport } from './fixtures.js';
import { checkJunitXml } from './junit-schema.js';

const NASTY = 'Users <script> & "quotes" \u0000nul';

function runReport(): RunReport {
  const test = (name: string, passed: boolean) => ({ name, passed, ...(passed ? {} : { message: `${name} failed` }) });
  const { endpoints, totals } = aggregateRun([
    { route: 'gateway', item: NASTY, request: 'GET /a', status: 502, latencyMs: 7, tests: [test('No 502 errors', false), test('Response under 5 seconds', true)] },
    { route: 'backend', item: NASTY, request: 'GET /a', error: 'ECONNREFUSED', errorMessage: 'connect ECONNREFUSED', latencyMs: 1, tests: [test('No 502 errors', true), test('Response under 5 seconds', false)] },
    { route: 'gateway', item: 'Health', request: 'GET /h', status: 200, latencyMs: 3, tests: [test('No 502 errors', true)] },
  ], 5000, { gatewayUrl: 'http://127.0.0.1:8', backendUrl: 'http://127.0.0.1:9' });
  return {
    schemaVersion: 1,
    meta: { tool: 'debug502', version: '0.1.0', collection: 'c.json', environment: 'e.json', startedAt: '2026-05-01T10:00:00.000Z', durationMs: 40, iterations: 1, maxLatencyMs: 5000 },
    endpoints,
    totals,
  };
}

const only = (files: { content: string }[]) => files[0].content;

describe('JUnit files follow the schema CI tools read', () => {
  it('run', () => {
    expect(checkJunitXml(only(renderRunJunit(runReport())))).toEqual([]);
    const clean = runReport();
    clean.endpoints = clean.endpoints.filter((e) => e.name === 'Health');
    expect(checkJunitXml(only(renderRunJunit(clean)))).toEqual([]);
  });

  it.each([
    ['gateway-limited', gatewayLimitedReport], ['single target', singleTargetReport], ['no breaking point', noBreakingPointReport],
    ['interrupted', interruptedReport], ['underdriven', underdrivenReport],
  ])('ramp: %s', (_name, build) => {
    expect(checkJunitXml(only(renderJunit(build())))).toEqual([]);
  });

  it('diagnose: real probes with findings, and a report with none', async () => {
    const dir = tempDir();
    const report = await diagnose({ environmentFile: writeEnvironment(dir, `http://127.0.0.1:${await closedPort()}`, `http://127.0.0.1:${await closedPort()}`), keepaliveProbe: false });
    expect(report.findings.length).toBeGreaterThan(0);
    const xml = only(renderDiagnoseJunit(report));
    expect(checkJunitXml(xml)).toEqual([]);
    expect(xml).toContain(`failures="${report.findings.length + report.probes.filter((p) => !p.ok).length}"`);
    const none: DiagnoseReport = { schemaVersion: 1, findings: [], probes: [{ kind: 'dns', target: NASTY, route: 'gateway', ok: true, timeMs: 1, evidence: 'ok' }] };
    expect(checkJunitXml(only(renderDiagnoseJunit(none)))).toEqual([]);
    expect(checkJunitXml(only(renderDiagnoseJunit({ schemaVersion: 1, findings: [], probes: [] })))).toEqual([]);
  });

  it('watch: a burst, and an interrupted watch', async () => {
    const env = writeEnvironment(tempDir('debug502-watch-'), 'http://127.0.0.1:1', 'http://127.0.0.1:2');
    const options: WatchOptions = resolveWatchOptions({ rate: '10/s', duration: '3s', window: '1s', arrivals: 'uniform', seed: 1 });
    let clock = 0;
    const burst = await runWatch({ environmentFile: env, options }, {
      now: () => clock, sleep: async (ms) => { clock += ms; },
      send: async (url) => ({ status: url.port === '1' && clock >= 1000 && clock < 2000 ? 502 : 200, latencyMs: 3 }),
      wallClock: () => new Date('2026-11-25T06:00:00Z'),
    });
    expect(checkJunitXml(only(renderWatchJunit(burst)))).toEqual([]);
    const abort = new AbortController();
    clock = 0;
    const stopped = await runWatch({ environmentFile: env, options }, {
      now: () => clock, sleep: async (ms) => { clock += ms; if (clock > 1500) abort.abort(); }, send: async () => ({ status: 200, latencyMs: 1 }), signal: abort.signal,
    });
    expect(checkJunitXml(only(renderWatchJunit(stopped)))).toEqual([]);
  });
});

describe('the schema check', () => {
  const good = '<testsuites tests="1" failures="1" errors="0"><testsuite name="s" tests="1" failures="1" errors="0" time="0.1"><testcase classname="c" name="t" time="0"><failure type="x" message="m"/></testcase></testsuite></testsuites>';
  it('passes a conforming file and names each problem of a broken one', () => {
    expect(checkJunitXml(good)).toEqual([]);
    expect(checkJunitXml(good.replace('failures="1" errors="0" time', 'failures="0" errors="0" time'))).toEqual([expect.stringContaining('failures="0" but 1 testcases say so')]);
    expect(checkJunitXml(good.replace('classname="c" ', ''))).toEqual([expect.stringContaining('no classname')]);
    expect(checkJunitXml(good.replace(' message="m"', ''))).toEqual([expect.stringContaining('<failure> without type and message')]);
    expect(checkJunitXml(good.replace('time="0.1"', 'time="fast"'))).toEqual([expect.stringContaining('is not seconds')]);
    expect(checkJunitXml(good.replace('<testsuites tests="1"', '<testsuites tests="2"'))).toEqual([expect.stringContaining('its suites sum to 1')]);
    expect(checkJunitXml('<testsuite name="s" tests="0" failures="0" errors="0" time="0"><case/></testsuite>')).toEqual([expect.stringContaining('holds <case>')]);
    expect(checkJunitXml('<testsuites><testsuite name="a & b"')[0]).toMatch(/not well-formed/);
  });
});
