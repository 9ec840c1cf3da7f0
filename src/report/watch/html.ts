import { formatDurationOption } from '../../options/parse-duration.js';
import type { Route, WatchReport } from '../../model.js';
import { ROUTES } from '../../model.js';
import { describeFailOn, formatCount, formatDuration, formatPercent, shortenPath, TARGET_LABEL } from '../format.js';
import { describeByline, describeFooter, describeRunRows, makeTile, renderKitPage, type KitPage, type NextStep, type Tile } from '../kit/page.js';
import { collectionArgument, environmentOptions, shellWord } from '../kit/next-steps.js';
import type { ReportFile } from '../report-file.js';
import { describeWatchFailures } from './answer.js';
import { buildWatchCharts } from './charts.js';
import { describeWindowCounts, formatOffset } from './text.js';

export const WATCH_HTML_FILE = 'watch.html';

const VERDICT_LABEL: Readonly<Record<string, string>> = { none: 'No failures', burst: 'A burst of failures', 'steady-background': 'A steady background', 'no-requests': 'Nothing sent' };

/** What a watch report is about: the collection's name, else its file, else the environment it probed. */
function watchSubject(report: WatchReport): string {
  const { collectionName, collection, environment } = report.meta;
  return collectionName ?? (collection ? shortenPath(collection) : environment ? shortenPath(environment) : 'debug502 watch');
}

/**
 * `watch.html`: a page of the report kit — the verdict, each target's failures, gateway and backend
 * on one chart of failures over time (and one of p95 latency), the windows that had failures, the
 * next steps with the watch's own environment filled in. Strict Handlebars template.
 */
export function renderWatchHtml(report: WatchReport): ReportFile[] {
  const { meta, verdict } = report;
  const o = meta.options;
  const routes = ROUTES.filter((route) => report.targets[route] !== undefined);
  const subject = watchSubject(report);
  const page: KitPage = {
    kind: 'watch',
    kicker: 'debug502 · watch report',
    title: `Watch report: ${subject} — ${verdict.code}`,
    heading: subject,
    headingTitle: meta.collection || meta.environment,
    byline: describeByline(meta, `${o.ratePerSec}/s ${o.arrivals} arrivals, ${formatDurationOption(o.windowMs)} windows`),
    verdict: {
      code: verdict.code,
      label: VERDICT_LABEL[verdict.code] ?? verdict.code,
      tone: verdict.code === 'none' ? 'good' : verdict.code === 'no-requests' ? 'warn' : 'bad',
      answer: describeWatchFailures(report),
      message: verdict.message,
      next: verdict.next ?? null,
      caveats: [
        ...(verdict.caveats ?? []),
        ...(meta.droppedArrivals > 0 ? [`${formatCount(meta.droppedArrivals)} arrivals were not sent: more than the in-flight cap were waiting, so the client did not keep the rate.`] : []),
      ],
    },
    aborted: meta.aborted ? { reason: meta.aborted.reason, title: `The watch stopped early (${meta.aborted.reason}).`, message: `${meta.aborted.message}. The figures cover the windows that ran.` } : null,
    tiles: [
      ...routes.map((route) => describeTargetTile(route, report)),
      makeTile('Arrivals', `${o.ratePerSec}/s`, `${o.arrivals}, seed ${o.seed}, for ${formatDuration(o.durationMs)}`),
      makeTile('Dropped arrivals', formatCount(meta.droppedArrivals), meta.droppedArrivals > 0 ? 'the client fell behind the rate' : 'every arrival was sent', meta.droppedArrivals > 0 ? 'warn' : null),
    ],
    nextSteps: listWatchNextSteps(report),
    details: [
      {
        title: 'Options',
        rows: [
          { name: 'Target', value: o.target === 'both' ? 'both (gateway and backend)' : o.target },
          { name: 'Rate', value: `${o.ratePerSec} arrivals per second, ${o.arrivals} (seed ${o.seed})` },
          { name: 'Duration and windows', value: `${formatDuration(o.durationMs)} in ${formatDuration(o.windowMs)} windows` },
          { name: 'A target fails with', value: `${o.threshold === 0 ? 'any' : `more than ${formatPercent(o.threshold)}`} ${describeFailOn(o.failOn)}` },
          { name: 'Safety limits', value: `${formatCount(o.maxRequests)} requests, ${formatCount(o.timeoutRequestMs)} ms per request` },
        ],
      },
      {
        title: 'Run',
        rows: [
          { name: 'Collection', value: meta.collection || '— (GET / on both targets)' },
          { name: 'Environment', value: meta.environment || '—' },
          ...describeRunRows(meta),
        ],
      },
    ],
    version: meta.version,
    footer: describeFooter(meta.version, 'watch.json has every window'),
  };
  const failing = report.timeline.filter((w) => routes.some((r) => (w.targets[r]?.failures ?? 0) > 0));
  return renderKitPage(WATCH_HTML_FILE, 'watch.html.hbs', page, {
    charts: buildWatchCharts(report),
    routes: routes.map((route) => ({ key: route, label: TARGET_LABEL[route] })),
    windowCount: formatCount(report.timeline.length),
    windows: failing.map((w) => ({
      when: `${formatOffset(w.startMs)}–${formatOffset(w.endMs)}`,
      cells: routes.map((r) => ({ text: w.targets[r] ? describeWindowCounts(w.targets[r]!) : '—', bad: (w.targets[r]?.failures ?? 0) > 0 })),
    })),
  });
}

function describeTargetTile(route: Route, report: WatchReport): Tile {
  const t = report.targets[route]!;
  const label = `${route === 'gateway' ? 'Gateway' : 'Backend'} failed`;
  const detail = `${formatPercent(t.failureRate)} · in ${formatCount(t.failingWindows)} of ${formatCount(report.timeline.length)} windows · p95 ${formatCount(t.latencyMs.p95)} ms`;
  const failOn = report.meta.options.failOn;
  const failed = [...Object.entries(t.statuses).filter(([status]) => failOn.includes(Number(status))), ...Object.entries(t.transportErrors)].filter(([, n]) => n > 0);
  const what = failed.length > 0 ? ` (${failed.map(([key, n]) => `${key} ×${formatCount(n)}`).join(', ')})` : '';
  return makeTile(label, `${formatCount(t.failures)} of ${formatCount(t.requests)}`, `${detail}${what}`, t.failed ? 'bad' : 'good', route);
}

/** What to run next with the watch's own environment: diagnose the pattern it saw, watch again. */
function listWatchNextSteps(report: WatchReport): NextStep[] {
  const { meta, verdict } = report;
  const o = meta.options;
  const env = environmentOptions(meta.environment);
  const collection = meta.collection ? ` --collection ${shellWord(meta.collection)}` : '';
  const first = report.targets[verdict.target ?? 'gateway']?.firstFailureMs;
  const since = first === null || first === undefined ? '' : ` --since ${new Date(Date.parse(meta.startedAt) + first).toISOString().replace(/\.\d+Z$/, 'Z')}`;
  const steps: NextStep[] = [];
  if (verdict.code === 'steady-background' && verdict.gatewayOnly) {
    steps.push({ text: 'Check the keep-alive race: the keep-alive probe measures how long the backend keeps idle connections, against the gateway\'s idle timeout.', command: `debug502 diagnose ${env}${collection} --gateway-idle-timeout <the gateway's idle timeout> --log <the gateway's log>` });
  } else if (verdict.code !== 'none') {
    steps.push({ text: 'Name the cause from the gateway\'s own log, from the first failure on.', command: `debug502 diagnose ${env}${collection} --log <the gateway's log>${since}` });
  } else {
    steps.push({ text: 'No pattern to name here: read the gateway\'s log for the 502s users saw.', command: `debug502 diagnose ${env}${collection} --log <the gateway's log>` });
  }
  steps.push({ text: 'Watch again, longer or at your traffic\'s rate (the same seed sends the same schedule).', command: `debug502 watch ${env}${collection} --rate ${o.ratePerSec}/s --duration ${formatDurationOption(o.durationMs)} --window ${formatDurationOption(o.windowMs)} --seed ${o.seed}` });
  if (meta.collection) steps.push({ text: 'Find the load at which the failures begin, and which side breaks first.', command: `debug502 ramp ${collectionArgument(meta.collection)} ${env} --target both` });
  return steps;
}
