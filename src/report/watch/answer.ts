import type { Route, WatchReport } from '../../model.js';
import { ROUTES } from '../../model.js';
import { formatCount, formatPercent } from '../format.js';

/**
 * The watch's answer in one line, what every watch report says first: each target's failures and
 * the pattern — "gateway: 12 of 600 failed (2.0%), backend: none of 600 — verdict:
 * steady-background". Pure.
 */
export function describeWatchAnswer(report: WatchReport): string {
  return `${describeWatchFailures(report)} — verdict: ${report.verdict.code}`;
}

/** The answer without its verdict: what the HTML verdict card says beside its label. */
export function describeWatchFailures(report: WatchReport): string {
  if (Object.values(report.targets).every((t) => (t?.requests ?? 0) === 0)) return 'no request sent';
  const parts = ROUTES.flatMap((route: Route) => {
    const t = report.targets[route];
    if (!t) return [];
    return [t.failures > 0
      ? `${route}: ${formatCount(t.failures)} of ${formatCount(t.requests)} failed (${formatPercent(t.failureRate)})`
      : `${route}: none of ${formatCount(t.requests)} failed`];
  });
  return parts.join(', ') || 'no request sent';
}
