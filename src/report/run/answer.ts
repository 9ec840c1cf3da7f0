import type { EndpointResult, RunReport } from '../../model.js';
import { formatCount } from '../format.js';
import { groupNotOk } from './cells.js';

/** "1 endpoint", "1,993 endpoints". */
const countOf = (n: number, noun: string): string => `${formatCount(n)} ${noun}${n === 1 ? '' : 's'}`;

/**
 * The run's answer in one line, what every run report says first: how many endpoints, how many are
 * not ok and why — "1,993 endpoints: 1,990 ok, 3 not ok — verdict: gateway-misconfigured ×2,
 * backend-down ×1", "3 endpoints: 3 ok — verdict: ok". Failed tests on endpoints whose verdict is
 * ok fail the run too, and are said. Pure.
 */
export function describeRunAnswer(report: RunReport): string {
  const cut = report.meta.interrupted ? ' (interrupted: the endpoints that ran)' : '';
  return `${describeRunCounts(report)} — verdict: ${describeRunVerdicts(report)}${cut}`;
}

/** "1,993 endpoints: 1,990 ok, 3 not ok · 3 of 7,972 tests failed": the answer without its verdicts. */
export function describeRunCounts(report: RunReport): string {
  const { totals } = report;
  if (totals.endpoints === 0) return 'no endpoint ran';
  const counts = totals.notOk > 0 ? `${formatCount(totals.endpoints - totals.notOk)} ok, ${formatCount(totals.notOk)} not ok` : `${formatCount(totals.endpoints)} ok`;
  const tests = totals.failedTests > 0 ? ` · ${formatCount(totals.failedTests)} of ${countOf(totals.tests, 'test')} failed` : '';
  return `${countOf(totals.endpoints, 'endpoint')}: ${counts}${tests}`;
}

/** "gateway-misconfigured ×2, backend-down ×1", "tests failed", "ok" or "nothing to judge". */
export function describeRunVerdicts(report: RunReport): string {
  if (report.totals.endpoints === 0) return 'nothing to judge';
  const groups = groupNotOk(report);
  if (groups.length > 0) return groups.map((group) => `${group.code} ×${formatCount(group.endpoints.length)}`).join(', ');
  return report.totals.failedTests > 0 ? 'tests failed' : 'ok';
}

/** An endpoint that fails the run: a verdict that is not ok, or a failed test on either side. */
export function isFailing(endpoint: EndpointResult): boolean {
  return endpoint.verdict.code !== 'ok' || (endpoint.gateway?.failedTests.length ?? 0) > 0 || (endpoint.backend?.failedTests.length ?? 0) > 0;
}

/**
 * The report file that holds every row, for "… and 12 more in reports/run.md": the Markdown, else
 * the HTML page, else the JSON, else the first file written; undefined when none was.
 */
export function pickFullReport(files: readonly string[]): string | undefined {
  for (const ending of ['.md', '.html', '.json']) {
    const found = files.find((file) => file.endsWith(ending));
    if (found) return found;
  }
  return files[0];
}
