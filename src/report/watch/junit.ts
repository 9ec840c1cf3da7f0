import type { Route, WatchReport } from '../../model.js';
import { escapeXml as xml, escapeXmlAttribute as attr } from '../escape-xml.js';
import { formatCounts, formatPercent } from '../format.js';
import type { ReportFile } from '../report-file.js';

export const WATCH_JUNIT_FILE = 'watch.junit.xml';

/**
 * `watch.junit.xml`: one testsuite, one testcase per target — "failures within the threshold over
 * the watch", failing with the counts and the verdict when above or when it sent nothing — plus an
 * error testcase when the watch stopped early. Pure.
 */
export function renderWatchJunit(report: WatchReport): ReportFile[] {
  const o = report.meta.options;
  const seconds = (report.meta.durationMs / 1000).toFixed(3);
  const cases: string[] = [];
  let failures = 0;
  let errors = 0;
  for (const [route, t] of Object.entries(report.targets) as Array<[Route, NonNullable<WatchReport['targets'][Route]>]>) {
    const name = `${route}: failures at most ${formatPercent(o.threshold)} over ${o.ratePerSec}/s for ${Math.round(o.durationMs / 1000)} s`;
    // A target sent nothing is not shown to hold: it fails, as the exit code does.
    if (t.failed || t.requests === 0) {
      failures++;
      const message = t.requests === 0 ? 'no request was sent' : `${t.failures} of ${t.requests} failed (${formatPercent(t.failureRate)}): ${formatCounts({ ...t.statuses, ...t.transportErrors })}`;
      cases.push(`    <testcase classname="debug502.watch.${route}" name="${attr(name)}" time="${seconds}">\n      <failure type="${attr(report.verdict.code)}" message="${attr(message)}">${xml(`${report.verdict.message}\n${report.verdict.next ?? ''}`)}</failure>\n    </testcase>`);
    } else {
      cases.push(`    <testcase classname="debug502.watch.${route}" name="${attr(name)}" time="${seconds}"/>`);
    }
  }
  if (report.meta.aborted) {
    errors++;
    cases.push(`    <testcase classname="debug502.watch" name="watch ran its whole duration" time="${seconds}">\n      <error type="${attr(report.meta.aborted.reason)}" message="${attr(report.meta.aborted.message)}"/>\n    </testcase>`);
  }
  const content = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="debug502 watch" tests="${cases.length}" failures="${failures}" errors="${errors}" time="${seconds}">`,
    `  <testsuite name="debug502 watch" tests="${cases.length}" failures="${failures}" errors="${errors}" time="${seconds}" timestamp="${attr(report.meta.startedAt)}">`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
  return [{ name: WATCH_JUNIT_FILE, content }];
}
