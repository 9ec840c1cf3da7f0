import { CONFIG_DEFAULTS } from '../../config/defaults.js';
import { latencyTestName, NO_502_TEST, type RampReport, type RampTarget, type StepResult } from '../../model.js';
import { countTransportErrors, describeFailOn, formatCount, formatCounts, formatMs, formatPercent, TARGET_LABEL } from '../format.js';
import { escapeXml as xml, escapeXmlAttribute as attr } from '../escape-xml.js';
import { chunkedReportFile, type ReportFile } from '../report-file.js';
import { batchChunks } from '../../text/chunks.js';
import { levelOf } from '../../facts/level.js';
import { listTargets } from './view/summarize.js';

export const RAMP_JUNIT_FILE = 'ramp.junit.xml';

interface TestCase {
  name: string;
  timeSec: number;
  outcome: { kind: 'failure' | 'error' | 'skipped'; type: string; message: string; details?: string } | null;
}
interface TestSuite { name: string; timeSec: number; properties: [string, string | number][]; cases: TestCase[]; systemOut?: string }

/**
 * `ramp.junit.xml` for CI test views: one `<testsuite>` per step per target, each with the step's
 * pass condition ("No 502 errors", or the `--threshold`/`--fail-on` version), the collection's latency
 * assertion against the step's slowest request, and whether the load generator really reached the
 * concurrency (skipped when underdriven: that step decides nothing). A last suite carries the ramp
 * as a whole: stopped early (an error), the `--min-capacity` gate per target (a failure), the verdict.
 */
export function renderJunit(report: RampReport): ReportFile[] {
  return [chunkedReportFile(RAMP_JUNIT_FILE, () => batchChunks(renderJunitPieces(report)))];
}

/**
 * The XML, a suite at a time: a first pass over the suites counts the outcomes the root element
 * carries, a second renders them — a 100,000-step report never holds all its suites, or all its text.
 */
function* renderJunitPieces(report: RampReport): Generator<string> {
  const totals = { tests: 0, failure: 0, error: 0, skipped: 0 };
  for (const suite of listSuites(report)) {
    for (const test of suite.cases) {
      totals.tests++;
      if (test.outcome) totals[test.outcome.kind]++;
    }
  }
  yield '<?xml version="1.0" encoding="UTF-8"?>\n';
  yield `<testsuites name="${attr(`debug502 ramp: ${report.meta.collection}`)}" tests="${totals.tests}" failures="${totals.failure}" errors="${totals.error}" skipped="${totals.skipped}" time="${seconds(report.meta.durationMs / 1000)}">\n`;
  let id = 0;
  for (const suite of listSuites(report)) yield renderSuite(suite, id++, report.meta.startedAt).join('\n') + '\n';
  yield '</testsuites>\n';
}

/** A suite per step per target, then the ramp's own; built one at a time. */
function* listSuites(report: RampReport): Generator<TestSuite> {
  for (const { key, result } of listTargets(report)) {
    for (const [index, step] of result.steps.entries()) yield buildStepSuite(report, key, step, index);
  }
  yield buildRampSuite(report);
}

function buildStepSuite(report: RampReport, target: RampTarget, step: StepResult, index: number): TestSuite {
  // Reports written before meta.maxResponseTimeMs existed: the guide's limit, the config default.
  const { options, maxResponseTimeMs = CONFIG_DEFAULTS.maxResponseTimeMs } = report.meta;
  const onlyAny502 = options.threshold === 0 && options.failOn.length === 1 && options.failOn[0] === 502 && !options.failOnSlow;
  const passName = onlyAny502 ? NO_502_TEST : `Failures at most ${formatPercent(options.threshold)} (${describeFailOn(options.failOn, options.failOnSlow)})`;
  const { p95, p99, max } = step.latencyMs;
  return {
    name: `${target} · step ${index + 1} · concurrency ${step.concurrency} (${step.phase})`,
    timeSec: step.durationMs / 1000,
    properties: [
      ['target', target], ['concurrency', step.concurrency], ['phase', step.phase], ['requests', step.requests],
      ['failures', step.failures], ['rate502', step.rate502], ['failureRate', step.failureRate], ['p95Ms', p95],
      ['rps', step.rps],
      // An import (Locust, k6) measured neither: no property rather than a 0 that reads as a figure.
      ...(report.meta.source ? [] : [['peakInFlight', step.peakInFlight], ['clientCpuPercent', step.clientCpuPercent]] as [string, number][]),
    ],
    cases: [
      {
        name: passName,
        timeSec: step.durationMs / 1000,
        outcome: step.failed ? { kind: 'failure', type: 'step-failed', message: describeStepFailures(step), details: describeStatuses(step) } : null,
      },
      {
        name: latencyTestName(maxResponseTimeMs),
        timeSec: 0,
        outcome: max > maxResponseTimeMs
          ? { kind: 'failure', type: 'latency', message: `slowest response ${formatMs(max)} ms, over ${formatCount(maxResponseTimeMs)} ms (p95 ${formatMs(p95)} ms, p99 ${formatMs(p99)} ms)` }
          : null,
      },
      ...percentileCases(step, options),
      {
        name: `Load generator kept ${step.concurrency} request${step.concurrency === 1 ? '' : 's'} in flight`,
        timeSec: 0,
        outcome: step.underdriven
          ? { kind: 'skipped', type: 'underdriven', message: `peak ${step.peakInFlight} of ${step.concurrency} in flight: the client, not the target, was the limit; this step decides nothing` }
          : null,
      },
    ],
  };
}

/** `--max-p95` / `--max-p99`: one testcase each, failed when the step's percentile is above the limit. */
function percentileCases(step: StepResult, options: RampReport['meta']['options']): TestCase[] {
  const gates = [['p95', options.maxP95Ms, step.latencyMs.p95], ['p99', options.maxP99Ms, step.latencyMs.p99]] as const;
  return gates.flatMap(([name, limit, value]) => limit === undefined ? [] : [{
    name: `${name} at most ${formatCount(limit)} ms`,
    timeSec: 0,
    outcome: value > limit ? { kind: 'failure' as const, type: 'latency-percentile', message: `${name} ${formatMs(value)} ms, over ${formatCount(limit)} ms` } : null,
  }]);
}

function buildRampSuite(report: RampReport): TestSuite {
  const { meta, verdict } = report;
  const cases: TestCase[] = [{
    name: 'Ramp completed',
    timeSec: meta.durationMs / 1000,
    outcome: meta.aborted ? { kind: 'error', type: meta.aborted.reason, message: meta.aborted.message } : null,
  }];
  const minimum = meta.options.minCapacity;
  if (minimum !== undefined) {
    for (const { key, result } of listTargets(report)) {
      // The open model's level is its offered rate (its `concurrency` is only the in-flight cap).
      const breaking = result.breakingPoint ? levelOf(result.breakingPoint) : undefined;
      const unit = meta.options.mode === 'rate' ? 'req/s' : 'concurrent';
      cases.push({
        name: `${TARGET_LABEL[key]}: breaking point at or above ${minimum} ${unit}`,
        timeSec: 0,
        outcome: breaking !== undefined && breaking < minimum
          ? { kind: 'failure', type: 'min-capacity', message: `breaking point ${breaking} ${unit} is below the minimum capacity ${minimum}` }
          : null,
      });
    }
  }
  return {
    name: 'ramp',
    timeSec: meta.durationMs / 1000,
    properties: [['verdict', verdict.code], ['collection', meta.collection], ['environment', meta.environment]],
    cases,
    systemOut: [`verdict: ${verdict.code}`, verdict.message, ...(verdict.next ? [`next: ${verdict.next}`] : []), ...(verdict.caveats ?? []).map((caveat) => `caveat: ${caveat}`)].join('\n'),
  };
}

/** "12 of 200 requests failed (6.0%): 502 10 · ECONNRESET 2; first at request #37 (run #1,237)". */
function describeStepFailures(step: StepResult): string {
  const failing = { ...step.transportErrors };
  for (const [code, n] of Object.entries(step.status)) if (!/^2\d\d$/.test(code)) failing[code] = n;
  const first = step.first502AtRequest === null ? '' : `; first at request #${formatCount(step.first502AtRequest)}${step.first502AtRunRequest === null ? '' : ` (run #${formatCount(step.first502AtRunRequest)})`}`;
  return `${formatCount(step.failures)} of ${formatCount(step.requests)} requests failed (${formatPercent(step.failureRate)}); non-2xx and transport errors: ${formatCounts(failing) || 'none'}${first}`;
}

function describeStatuses(step: StepResult): string {
  const transport = countTransportErrors(step);
  return [`status: ${formatCounts(step.status) || 'none'}`, `transport errors: ${transport === 0 ? 'none' : formatCounts(step.transportErrors)}`,
    `502 ratio ${formatPercent(step.rate502)}, p95 ${formatMs(step.latencyMs.p95)} ms, ${step.rps} req/s, peak ${step.peakInFlight} in flight`].join('\n');
}

function renderSuite(suite: TestSuite, id: number, startedAt: string): string[] {
  const count = (kind: string) => suite.cases.filter((c) => c.outcome?.kind === kind).length;
  // JUnit's timestamp is ISO 8601 without zone or fraction (the Ant schema); ours is the ramp's start, in UTC.
  const started = new Date(startedAt);
  const timestamp = Number.isNaN(started.getTime()) ? '' : ` timestamp="${started.toISOString().slice(0, 19)}"`;
  const lines = [
    `  <testsuite name="${attr(suite.name)}" id="${id}" tests="${suite.cases.length}" failures="${count('failure')}" errors="${count('error')}" skipped="${count('skipped')}" time="${seconds(suite.timeSec)}"${timestamp}>`,
    '    <properties>',
    ...suite.properties.map(([name, value]) => `      <property name="${attr(name)}" value="${attr(String(value))}"/>`),
    '    </properties>',
  ];
  for (const test of suite.cases) {
    const open = `    <testcase classname="${attr(suite.name)}" name="${attr(test.name)}" time="${seconds(test.timeSec)}"`;
    if (!test.outcome) {
      lines.push(`${open}/>`);
      continue;
    }
    const { kind, type, message, details } = test.outcome;
    const body = details === undefined ? '/>' : `>${xml(details)}</${kind}>`;
    lines.push(`${open}>`, `      <${kind} type="${attr(type)}" message="${attr(message)}"${body}`, '    </testcase>');
  }
  if (suite.systemOut !== undefined) lines.push(`    <system-out>${xml(suite.systemOut)}</system-out>`);
  lines.push('  </testsuite>');
  return lines;
}

const seconds = (value: number): string => value.toFixed(3);
