import type { EndpointResult, RouteObservation, RunReport, RunVerdictCode } from '../../model.js';

/** One side of an endpoint in a table cell: `502 · 12 ms`, `ECONNREFUSED · 1 ms`, `—` when not requested. */
export function formatSide(observation: RouteObservation | undefined): string {
  if (!observation) return '—';
  return `${observation.error ?? observation.status} · ${observation.latencyMs} ms`;
}

/** The failed tests of both sides, each once, `—` when none. */
export function formatFailedTests(endpoint: EndpointResult): string {
  const names = [...new Set([...(endpoint.gateway?.failedTests ?? []), ...(endpoint.backend?.failedTests ?? [])])];
  return names.length === 0 ? '—' : names.join(', ');
}

/** The closing line: `2 endpoints: 1 ok, 1 not ok · 4 requests · 8 tests, 1 failed`. */
export function formatTotals(report: RunReport): string {
  const t = report.totals;
  const unrouted = t.unrouted ? ` · ${t.unrouted} request(s) use neither {{gateway_url}} nor {{backend_url}}` : '';
  const interrupted = report.meta.interrupted ? ' · interrupted: partial results' : '';
  return `${t.endpoints} endpoint(s): ${t.endpoints - t.notOk} ok, ${t.notOk} not ok · ${t.requests} request(s) · ${t.tests} test(s), ${t.failedTests} failed${unrouted}${interrupted}`;
}

/** True when the run passes: every test passed and every verdict is ok (exit 0). */
export function runPassed(report: RunReport): boolean {
  return report.totals.failedTests === 0 && report.totals.notOk === 0 && report.endpoints.length > 0;
}

/** The endpoints that are not ok, grouped by verdict (first seen first): one next step per group. */
export function groupNotOk(report: RunReport): { code: RunVerdictCode; next?: string; endpoints: EndpointResult[] }[] {
  const groups = new Map<RunVerdictCode, { code: RunVerdictCode; next?: string; endpoints: EndpointResult[] }>();
  for (const endpoint of report.endpoints) {
    const { code, next } = endpoint.verdict;
    if (code === 'ok') continue;
    if (!groups.has(code)) groups.set(code, { code, next, endpoints: [] });
    groups.get(code)!.endpoints.push(endpoint);
  }
  return [...groups.values()];
}
