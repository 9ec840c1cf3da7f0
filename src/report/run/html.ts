/**
 * `run.html`: the run as a page of the report kit — the answer, the headline figures (each side's
 * failures beside the other's), the endpoints that are not ok with what was seen, one next step
 * per verdict with the run's own environment filled in, then every endpoint. Every row is kept.
 */
import type { EndpointResult, Route, RunReport } from '../../model.js';
import { ROUTES } from '../../model.js';
import { formatCount, shortenPath, TARGET_LABEL } from '../format.js';
import { describeByline, describeFooter, describeRunRows, makeTile, renderKitPage, type KitPage, type NextStep, type Tile } from '../kit/page.js';
import { collectionArgument, environmentOptions } from '../kit/next-steps.js';
import type { ReportFile } from '../report-file.js';
import { describeRunCounts, describeRunVerdicts, isFailing } from './answer.js';
import { formatFailedTests, formatSide, groupNotOk, runPassed } from './cells.js';
import { MAX_TERMINAL_ROWS } from './cli-summary.js';

export const RUN_HTML_FILE = 'run.html';

export function renderRunHtml(report: RunReport): ReportFile[] {
  const { meta, totals, endpoints } = report;
  const passed = runPassed(report);
  const subject = meta.collectionName ?? shortenPath(meta.collection);
  const groups = groupNotOk(report);
  const failing = endpoints.filter(isFailing);
  const page: KitPage = {
    kind: 'run',
    kicker: 'debug502 · run report',
    title: `Run report: ${subject} — ${passed ? 'ok' : 'not ok'}`,
    heading: subject,
    headingTitle: meta.collection,
    byline: describeByline(meta, `${formatCount(meta.iterations)} iteration${meta.iterations === 1 ? '' : 's'}`),
    verdict: {
      code: passed ? 'ok' : 'not-ok',
      label: passed ? 'All ok' : totals.endpoints === 0 ? 'Nothing ran' : 'Not ok',
      tone: passed ? 'good' : 'bad',
      answer: describeRunCounts(report),
      message: passed
        ? `Every endpoint answered without a 502 and under ${formatCount(meta.maxLatencyMs ?? 5000)} ms, through the gateway and direct to the backend.`
        : `Verdict: ${describeRunVerdicts(report)}.`,
      next: groups.length === 1 ? groups[0].next ?? null : groups.length > 1 ? 'One next step per verdict, below.' : null,
      caveats: [
        ...(meta.interrupted ? ['Interrupted (Ctrl-C / SIGTERM): the report covers the endpoints that ran.'] : []),
        ...(totals.unrouted ? [`${formatCount(totals.unrouted)} request(s) use neither {{gateway_url}} nor {{backend_url}}: counted, not compared.`] : []),
      ],
    },
    aborted: null,
    tiles: [
      makeTile('Endpoints', formatCount(totals.endpoints), `${formatCount(totals.requests)} requests${totals.redirects ? ` + ${formatCount(totals.redirects)} redirects` : ''}`),
      makeTile('Not ok', formatCount(totals.notOk), groups.map((g) => `${g.code} ×${formatCount(g.endpoints.length)}`).join(' · ') || 'every verdict is ok', totals.notOk > 0 ? 'bad' : 'good'),
      makeTile('Tests failed', formatCount(totals.failedTests), `of ${formatCount(totals.tests)}`, totals.failedTests > 0 ? 'bad' : 'good'),
      ...ROUTES.filter((route) => endpoints.some((e) => e[route])).map((route) => describeSideTile(route, report)),
    ],
    nextSteps: listRunNextSteps(report),
    details: [{
      title: 'Run',
      rows: [
        { name: 'Collection', value: meta.collectionName ? `${meta.collectionName} (${meta.collection})` : meta.collection },
        { name: 'Environment', value: meta.environment || '—' },
        { name: 'Gateway', value: meta.gatewayUrl ?? '—' },
        { name: 'Backend', value: meta.backendUrl ?? '—' },
        { name: 'Latency limit', value: meta.maxLatencyMs === undefined ? '—' : `${formatCount(meta.maxLatencyMs)} ms (max_response_time_ms)` },
        { name: 'Request timeout', value: meta.timeoutRequestMs === undefined ? '—' : `${formatCount(meta.timeoutRequestMs)} ms` },
        { name: 'Iterations', value: formatCount(meta.iterations) },
        ...describeRunRows({ ...meta, aborted: meta.interrupted ? { reason: 'interrupted', message: 'Ctrl-C / SIGTERM: the endpoints that ran' } : undefined }),
      ],
    }],
    version: meta.version,
    footer: describeFooter(meta.version, 'run.json has every endpoint'),
  };
  return renderKitPage(RUN_HTML_FILE, 'run.html.hbs', page, {
    failing: failing.map(formatRow),
    everyCount: formatCount(endpoints.length),
    // A small run shows its every row open; a big one folds it away below the failures.
    everyOpen: endpoints.length <= MAX_TERMINAL_ROWS,
    every: endpoints.map(formatRow),
  });
}

function formatRow(e: EndpointResult) {
  return {
    name: e.name,
    gateway: formatSide(e.gateway),
    backend: formatSide(e.backend),
    failedTests: formatFailedTests(e),
    code: e.verdict.code,
    bad: isFailing(e),
    message: e.verdict.message,
  };
}

/** One side's failures over the run: "3 failed" of its requests, and its slowest answer. */
function describeSideTile(route: Route, report: RunReport): Tile {
  const seen = report.endpoints.map((e) => e[route]).filter((o) => o !== undefined);
  const failed = seen.filter((o) => o.failedTests.length > 0 || o.error !== undefined).length;
  const slowest = seen.reduce((top, o) => Math.max(top, o.latencyMs), 0);
  return makeTile(TARGET_LABEL[route], `${formatCount(failed)} failed`, `of ${formatCount(seen.length)} endpoints · slowest ${formatCount(slowest)} ms`, failed > 0 ? 'bad' : 'good', route);
}

/** What follows a run, with its own collection and environment: diagnose what failed, then find the load where 502s begin. */
function listRunNextSteps(report: RunReport): NextStep[] {
  const { meta } = report;
  const env = environmentOptions(meta.environment, { gateway_url: meta.gatewayUrl, backend_url: meta.backendUrl });
  const collection = collectionArgument(meta.collection);
  const steps: NextStep[] = groupNotOk(report).map((g) => ({ text: `${g.code} (${formatCount(g.endpoints.length)} endpoint${g.endpoints.length === 1 ? '' : 's'}): ${g.next ?? ''}`, command: null }));
  if (steps.length > 0) steps.push({ text: 'Confirm the cause from direct probes and the gateway\'s own log.', command: `debug502 diagnose ${env} --collection ${collection} --log <the gateway's log>` });
  steps.push({ text: 'Find the load at which 502s begin, and which side breaks first.', command: `debug502 ramp ${collection} ${env} --target both` });
  return steps;
}
