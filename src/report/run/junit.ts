/**
 * JUnit XML for CI test tabs: one <testsuite> per route (gateway, backend), one <testcase> per
 * test of each request. A failed test's body carries the endpoint's verdict and next step, so the
 * CI tab says where the failure sits. A request that got no answer at all also gets a
 * "Response received" testcase with an <error> (its own tests may all pass: "No 502 errors" does
 * when there is no status).
 */
import type { EndpointResult, Route, RouteObservation, RunReport, TestOutcome } from '../../model.js';
import { ROUTES } from '../../model.js';
import type { ReportFile } from '../report-file.js';
import { describeObservation } from '../../facts/observation.js';
import { escapeXml as x } from '../escape-xml.js';

export const RUN_JUNIT_FILE = 'run.junit.xml';

interface Case {
  xml: string;
  failed: boolean;
  error: boolean;
  seconds: number;
}

const seconds = (ms: number) => (ms / 1000).toFixed(3);

function casesOf(endpoint: EndpointResult, route: Route, observation: RouteObservation): Case[] {
  const classname = x(`${route}.${endpoint.name}`);
  const time = observation.latencyMs / 1000;
  const verdict = `${describeObservation(observation)}\nverdict: ${endpoint.verdict.code}: ${endpoint.verdict.message}${endpoint.verdict.next ? `\nnext: ${endpoint.verdict.next}` : ''}`;
  // A run.json written without `tests` still lists the failed ones.
  const tests: TestOutcome[] = observation.tests ?? observation.failedTests.map((name) => ({ name, passed: false }));
  const cases: Case[] = tests.map((test) => {
    const open = `    <testcase classname="${classname}" name="${x(test.name)}" time="${seconds(observation.latencyMs)}"`;
    if (test.passed) return { xml: `${open}/>`, failed: false, error: false, seconds: time };
    const message = test.message ?? 'failed';
    return {
      xml: `${open}>\n      <failure type="AssertionError" message="${x(message)}">${x(verdict)}</failure>\n    </testcase>`,
      failed: true,
      error: false,
      seconds: time,
    };
  });
  if (observation.error !== undefined) {
    cases.push({
      xml:
        `    <testcase classname="${classname}" name="Response received" time="${seconds(observation.latencyMs)}">\n` +
        `      <error type="${x(observation.error)}" message="${x(observation.errorMessage ?? observation.error)}">${x(verdict)}</error>\n    </testcase>`,
      failed: false,
      error: true,
      seconds: time,
    });
  }
  return cases;
}

/** Renders `run.junit.xml` from the run report. Pure; every piece of user text is XML-escaped. */
export function renderRunJunit(report: RunReport): ReportFile[] {
  const suites = ROUTES.map((route) => {
    const cases = report.endpoints.flatMap((e) => (e[route] ? casesOf(e, route, e[route]!) : []));
    const failures = cases.filter((c) => c.failed).length;
    const errors = cases.filter((c) => c.error).length;
    const time = cases.reduce((sum, c) => sum + c.seconds, 0);
    const url = route === 'gateway' ? report.meta.gatewayUrl : report.meta.backendUrl;
    const properties = url ? `\n    <properties>\n      <property name="url" value="${x(url)}"/>\n    </properties>` : '';
    return {
      tests: cases.length,
      failures,
      errors,
      time,
      xml:
        `  <testsuite name="${route}" tests="${cases.length}" failures="${failures}" errors="${errors}" skipped="0" time="${time.toFixed(3)}" timestamp="${x(report.meta.startedAt)}">` +
        `${properties}\n${cases.map((c) => c.xml).join('\n')}${cases.length ? '\n' : ''}  </testsuite>`,
    };
  });
  const sum = (key: 'tests' | 'failures' | 'errors') => suites.reduce((n, s) => n + s[key], 0);
  const content =
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<testsuites name="debug502 run" tests="${sum('tests')}" failures="${sum('failures')}" errors="${sum('errors')}" time="${(report.meta.durationMs / 1000).toFixed(3)}">\n` +
    `${suites.map((s) => s.xml).join('\n')}\n</testsuites>\n`;
  return [{ name: RUN_JUNIT_FILE, content }];
}
