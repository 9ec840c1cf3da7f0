import { describe, expect, it } from 'vitest';
import type { RampReport } from '../../src/model.js';
import { renderJunit } from '../../src/report/ramp/junit.js';
import { ALL_FIXTURES, gatewayLimitedReport, interruptedReport, singleTargetReport, underdrivenReport } from './fixtures.js';
import { findAll, parseXml, type XmlElement } from './xml-well-formed.js';

const junit = (report: RampReport): XmlElement => {
  const [file] = renderJunit(report);
  expect(file.name).toBe('ramp.junit.xml');
  return parseXml(file.content);
};
const failed = (suite: XmlElement) => findAll(suite, 'testcase').filter((c) => c.children.some((x) => x.name === 'failure'));

describe('junit reporter', () => {
  it('is well-formed XML for every fixture, with consistent counts', () => {
    for (const [name, build] of Object.entries(ALL_FIXTURES)) {
      const root = junit(build());
      expect(root.name, name).toBe('testsuites');
      const cases = findAll(root, 'testcase');
      expect(Number(root.attributes.tests), name).toBe(cases.length);
      expect(Number(root.attributes.failures), name).toBe(findAll(root, 'failure').length);
      expect(Number(root.attributes.errors), name).toBe(findAll(root, 'error').length);
      expect(Number(root.attributes.skipped), name).toBe(findAll(root, 'skipped').length);
      for (const suite of findAll(root, 'testsuite')) {
        expect(Number(suite.attributes.tests)).toBe(findAll(suite, 'testcase').length);
        expect(Number(suite.attributes.failures)).toBe(failed(suite).length);
      }
    }
  });

  it('has one testsuite per step per target, failing exactly the failed steps', () => {
    const report = gatewayLimitedReport();
    const root = junit(report);
    const suites = findAll(root, 'testsuite');
    expect(suites).toHaveLength(10 + 7 + 1);
    expect(suites.filter((s) => s.attributes.name.startsWith('gateway · '))).toHaveLength(10);
    expect(suites.filter((s) => s.attributes.name.startsWith('backend · '))).toHaveLength(7);
    const failing = suites.filter((s) => Number(s.attributes.failures) > 0).map((s) => s.attributes.name);
    expect(failing).toEqual([
      'gateway · step 6 · concurrency 32 (ramp)',
      'gateway · step 7 · concurrency 24 (bisect)',
      'gateway · step 9 · concurrency 22 (bisect)',
      'gateway · step 10 · concurrency 21 (bisect)',
    ]);
    const [breaking] = failed(suites[9]);
    expect(breaking.attributes.name).toBe('No 502 errors');
    const failure = breaking.children[0];
    expect(failure.attributes.message).toBe('2 of 200 requests failed (1.0%); non-2xx and transport errors: 502 2 · 504 1; first at request #118 (run #1,918)');
    expect(findAll(suites[9], 'property').find((p) => p.attributes.name === 'concurrency')?.attributes.value).toBe('21');
    expect(findAll(suites[17], 'system-out')[0].text).toContain('verdict: gateway-limited\nThe gateway returns 502s');
  });

  it('uses the threshold in the test name and fails the latency case on a slow step', () => {
    const report = singleTargetReport();
    report.meta.options.threshold = 0.05;
    report.meta.options.failOn = [502, 503];
    report.meta.maxResponseTimeMs = 150;
    const root = junit(report);
    const names = new Set(findAll(root, 'testcase').map((c) => c.attributes.name));
    expect(names).toContain('Failures at most 5.0% (502/503s and transport errors)');
    expect(names).toContain('Response under 0.15 seconds');
    const slow = findAll(root, 'testcase').filter((c) => c.attributes.name === 'Response under 0.15 seconds' && c.children.length > 0);
    expect(slow.map((c) => c.attributes.classname)).toEqual(['gateway · step 4 · concurrency 8 (ramp)', 'gateway · step 6 · concurrency 7 (bisect)']);
    expect(slow[0].children[0].attributes.message).toBe('slowest response 198 ms, over 150 ms (p95 88 ms, p99 132 ms)');
  });

  it('skips the load check of underdriven steps and errors an interrupted ramp', () => {
    const under = junit(underdrivenReport());
    expect(findAll(under, 'skipped').map((s) => s.attributes.type)).toEqual(['underdriven', 'underdriven']);
    expect(under.attributes.skipped).toBe('2');
    const stopped = junit(interruptedReport());
    const errors = findAll(stopped, 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0].attributes.type).toBe('interrupted');
    expect(findAll(stopped, 'testsuite')).toHaveLength(3 + 1);
  });

  it('gates on --min-capacity per target', () => {
    const report = gatewayLimitedReport();
    report.meta.options.minCapacity = 32;
    const gate = findAll(junit(report), 'testcase').filter((c) => c.attributes.name.includes('at or above 32'));
    expect(gate.map((c) => [c.attributes.name, c.children.length])).toEqual([
      ['Through the gateway: breaking point at or above 32 concurrent', 1],
      ['Direct to the backend: breaking point at or above 32 concurrent', 0],
    ]);
  });

  it('escapes user text and drops characters XML cannot carry', () => {
    const report = singleTargetReport();
    report.meta.collection = '<script>alert("x")</script> & \u0007bell';
    report.verdict.message = ']]> <![CDATA[ & \'quoted\'';
    const [file] = renderJunit(report);
    expect(file.content).not.toContain('<script>');
    const root = parseXml(file.content);
    expect(root.attributes.name).toBe('debug502 ramp: <script>alert("x")</script> & bell');
    expect(findAll(root, 'system-out')[0].text).toContain(']]> <![CDATA[ & \'quoted\'');
  });
});
