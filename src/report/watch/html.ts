import type { Route, WatchReport } from '../../model.js';
import { formatCounts, formatDuration, formatPercent, shortenPath } from '../format.js';
import type { ReportFile } from '../report-file.js';
import { loadReportTemplate } from '../templates.js';
import { describeWindowCounts, formatOffset } from './text.js';

export const WATCH_HTML_FILE = 'watch.html';

const W = 900;
const H = 240;
const PAD = { left: 48, right: 56, top: 16, bottom: 32 };
const COLOR: Record<Route, string> = { gateway: '#c62828', backend: '#1864ab' };
const LABEL: Record<Route, string> = { gateway: 'through the gateway', backend: 'direct to the backend' };

/**
 * The time chart as plain numbers for the template: per window, a bar per target of its failures
 * (left axis) and a p95 line per target (right axis); x is time. Pure.
 */
export function buildWatchChart(report: WatchReport) {
  const routes = Object.keys(report.targets) as Route[];
  const n = Math.max(1, report.timeline.length);
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const slot = plotW / n;
  const maxFail = Math.max(1, ...report.timeline.flatMap((w) => routes.map((r) => w.targets[r]?.failures ?? 0)));
  const maxP95 = Math.max(1, ...report.timeline.flatMap((w) => routes.map((r) => w.targets[r]?.p95Ms ?? 0)));
  const y = (v: number, max: number) => Math.round((PAD.top + plotH - (v / max) * plotH) * 10) / 10;
  const barW = Math.max(1, Math.round(((slot * 0.8) / routes.length) * 10) / 10);
  const bars = report.timeline.flatMap((w, i) => routes.map((r, k) => {
    const failures = w.targets[r]?.failures ?? 0;
    const top = y(failures, maxFail);
    return { x: Math.round((PAD.left + i * slot + slot * 0.1 + k * barW) * 10) / 10, y: top, width: barW, height: Math.round((PAD.top + plotH - top) * 10) / 10, color: COLOR[r], title: `${formatOffset(w.startMs)} ${r}: ${describeWindowCounts(w.targets[r]!)}` };
  })).filter((b) => b.height > 0);
  const lines = routes.map((r) => ({
    color: COLOR[r],
    points: report.timeline.map((w, i) => `${Math.round((PAD.left + (i + 0.5) * slot) * 10) / 10},${y(w.targets[r]?.p95Ms ?? 0, maxP95)}`).join(' '),
  }));
  const ticks = [0, Math.floor(n / 2), n].map((i) => ({ x: Math.round((PAD.left + i * slot) * 10) / 10, label: formatOffset(i * report.meta.options.windowMs) }));
  return {
    width: W, height: H, left: PAD.left, right: W - PAD.right, top: PAD.top, bottom: H - PAD.bottom, labelY: H - 10,
    maxFail, maxP95, bars, lines, ticks,
    legend: routes.map((r) => ({ color: COLOR[r], label: LABEL[r] })),
  };
}

/** What a watch report is about: the collection's name, else its file, else the environment it probed. */
function watchSubject(report: WatchReport): string {
  const { collectionName, collection, environment } = report.meta;
  return collectionName ?? (collection ? shortenPath(collection) : environment ? shortenPath(environment) : 'debug502 watch');
}

/** `watch.html`: one offline page — verdict, totals per target, the time chart, the failing windows. Strict Handlebars template. */
export function renderWatchHtml(report: WatchReport): ReportFile[] {
  const o = report.meta.options;
  const routes = Object.keys(report.targets) as Route[];
  const subject = watchSubject(report);
  const view = {
    version: report.meta.version,
    // As the ramp report names itself: by the collection's name, else its file; the verdict after it.
    title: `Watch report: ${subject} — ${report.verdict.code}`,
    heading: subject,
    verdict: report.verdict,
    tone: report.verdict.code === 'none' ? 'good' : 'bad',
    next: report.verdict.next ?? '',
    plan: `${o.ratePerSec}/s ${o.arrivals} arrivals for ${formatDuration(o.durationMs)}, ${formatDuration(o.windowMs)} windows, started ${report.meta.startedAt}`,
    aborted: report.meta.aborted?.message ?? '',
    targets: routes.map((r) => {
      const t = report.targets[r]!;
      return { label: LABEL[r], requests: t.requests, failed: `${t.failures} (${formatPercent(t.failureRate)})`, statuses: formatCounts(t.statuses) || '-', transport: formatCounts(t.transportErrors) || '-', p95: t.latencyMs.p95, failingWindows: t.failingWindows };
    }),
    chart: buildWatchChart(report),
    windows: report.timeline.filter((w) => routes.some((r) => (w.targets[r]?.failures ?? 0) > 0)).map((w) => ({
      when: `${formatOffset(w.startMs)}–${formatOffset(w.endMs)}`,
      cells: routes.map((r) => describeWindowCounts(w.targets[r]!)),
    })),
    routeLabels: routes.map((r) => LABEL[r]),
  };
  return [{ name: WATCH_HTML_FILE, content: loadReportTemplate('watch.html.hbs')(view) }];
}
