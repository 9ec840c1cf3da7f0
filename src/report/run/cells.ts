import type { EndpointResult, RouteObservation, RunReport, RunVerdictCode } from '../../model.js';
import { formatCount } from '../format.js';

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

/**
 * What the run was, after its answer: "gateway http://… · backend http://… · limit 5,000 ms · 5
 * requests · 14 tests · 1 iteration", with the unrouted requests and redirects when there were any.
 */
export function formatRunContext(report: RunReport): string {
  const { meta, totals: t } = report;
  const plural = (n: number, noun: string) => `${formatCount(n)} ${noun}${n === 1 ? '' : 's'}`;
  return [
    `gateway ${meta.gatewayUrl ?? '—'}`,
    `backend ${meta.backendUrl ?? '—'}`,
    `limit ${meta.maxLatencyMs === undefined ? '—' : formatCount(meta.maxLatencyMs)} ms`,
    plural(t.requests, 'request'),
    plural(t.tests, 'test'),
    plural(meta.iterations, 'iteration'),
    ...(t.redirects ? [plural(t.redirects, 'redirect') + ' followed'] : []),
    ...(t.unrouted ? [`${plural(t.unrouted, 'request')} use neither {{gateway_url}} nor {{backend_url}}`] : []),
  ].join(' · ');
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
