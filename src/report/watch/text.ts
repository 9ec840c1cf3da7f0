import type { Route, WatchCounts, WatchReport, WatchWindow } from '../../model.js';
import { escapeMarkdown as md } from '../escape-markdown.js';
import { formatCounts, formatDuration, formatPercent } from '../format.js';
import { describeWatchAnswer } from './answer.js';

const LABEL: Record<Route, string> = { gateway: 'gateway', backend: 'direct' };

/** `00:10` for an offset in ms. */
export function formatOffset(ms: number): string {
  const s = Math.round(ms / 1000);
  return `${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
}

/** "50 req, 2 × 502, 1 transport, p95 12 ms" — one target's window, for the progress line and tables. */
export function describeWindowCounts(c: WatchCounts): string {
  const transport = Object.values(c.transportErrors).reduce((n, v) => n + v, 0);
  return `${c.requests} req, ${c.count502} × 502${transport > 0 ? `, ${transport} transport` : ''}${c.failures > c.count502 + transport ? `, ${c.failures} failed` : ''}, p95 ${c.p95Ms} ms`;
}

/** One progress line per finished window: `00:10  gateway 50 req, 2 × 502, p95 12 ms | direct 50 req, 0 × 502, p95 3 ms`. */
export function formatWindowLine(window: WatchWindow): string {
  const parts = (Object.entries(window.targets) as Array<[Route, WatchCounts]>).map(([route, c]) => `${LABEL[route]} ${describeWindowCounts(c)}`);
  return `${formatOffset(window.endMs)}  ${parts.join(' | ')}`;
}

/** The terminal summary: the answer first (each target's failures, the verdict), why, the next step, per-target totals. Pure. */
export function renderWatchText(report: WatchReport): string {
  const out = [describeWatchAnswer(report), report.verdict.message];
  if (report.verdict.next) out.push(`next: ${report.verdict.next}`);
  for (const [route, t] of Object.entries(report.targets) as Array<[Route, NonNullable<WatchReport['targets'][Route]>]>) {
    out.push(`  ${LABEL[route]}: ${t.requests} requests, ${t.failures} failed (${formatPercent(t.failureRate)}), statuses ${formatCounts(t.statuses) || '-'}${Object.keys(t.transportErrors).length ? `, transport ${formatCounts(t.transportErrors)}` : ''}, p95 ${t.latencyMs.p95} ms${t.failed ? ' — above the threshold' : ''}`);
  }
  if (report.meta.aborted) out.push(`stopped early: ${report.meta.aborted.message}`);
  if (report.meta.droppedArrivals > 0) out.push(`${report.meta.droppedArrivals} arrival(s) dropped: more than the in-flight cap were waiting (the client could not keep the rate)`);
  return out.join('\n') + '\n';
}

/** `watch.md`: verdict, totals and the timeline's failing windows (fits a PR comment). Pure. */
export function renderWatchMarkdown(report: WatchReport): string {
  const o = report.meta.options;
  const routes = Object.keys(report.targets) as Route[];
  const out = [
    `## ${report.verdict.code === 'none' ? '✅' : report.verdict.code === 'no-requests' ? '⚠️' : '❌'} debug502 watch: ${md(describeWatchAnswer(report))}`, '',
    md(report.verdict.message), '',
    ...(report.verdict.next ? [`**Next:** ${md(report.verdict.next)}`, ''] : []),
    `${o.ratePerSec}/s ${o.arrivals} arrivals for ${formatDuration(o.durationMs)} in ${formatDuration(o.windowMs)} windows${report.meta.aborted ? ` — stopped early: ${md(report.meta.aborted.message)}` : ''}.`, '',
    '| Target | Requests | Failed | Statuses | Transport errors | p95 |', '|---|---|---|---|---|---|',
    ...routes.map((r) => { const t = report.targets[r]!; return `| ${LABEL[r]} | ${t.requests} | ${t.failures} (${formatPercent(t.failureRate)}) | ${md(formatCounts(t.statuses) || '-')} | ${md(formatCounts(t.transportErrors) || '-')} | ${t.latencyMs.p95} ms |`; }),
    '',
  ];
  const failing = report.timeline.filter((w) => routes.some((r) => (w.targets[r]?.failures ?? 0) > 0));
  if (failing.length > 0) {
    out.push(`### Windows with failures (${failing.length} of ${report.timeline.length})`, '', `| Window | ${routes.map((r) => LABEL[r]).join(' | ')} |`, `|---|${routes.map(() => '---').join('|')}|`);
    for (const w of failing) out.push(`| ${formatOffset(w.startMs)}–${formatOffset(w.endMs)} | ${routes.map((r) => md(describeWindowCounts(w.targets[r]!))).join(' | ')} |`);
    out.push('');
  }
  return out.join('\n');
}
