/**
 * `diagnose.html`: the diagnosis as a page of the report kit — the most likely cause first, the
 * headline figures, every finding with its evidence and next step, the probes (gateway beside
 * backend), the gateway logs by cause, what was not probed, and the next steps with the diagnosis's
 * own environment filled in.
 */
import type { DiagnoseReport, Finding, LogSummary } from '../../model.js';
import { formatCount, formatDuration, formatTimestamp, shortenPath } from '../format.js';
import { describeFooter, makeTile, renderKitPage, type KitPage, type NextStep, type Tile } from '../kit/page.js';
import { collectionArgument, environmentOptions, shellWord } from '../kit/next-steps.js';
import type { ReportFile } from '../report-file.js';
import { describeCausePattern, describeSpan, headline, logHeader, logTitle, probeStatus, sortedCauses } from './summary-lines.js';

export const DIAGNOSE_HTML_FILE = 'diagnose.html';

/** Causes a load ramp confirms: they come with traffic, not with a single request. */
const LOAD_CAUSES = new Set(['backend-closed-connection', 'backend-timeout', 'no-live-upstreams', 'connection-reset', 'gateway-overflow', 'service-unavailable']);

export function renderDiagnoseHtml(report: DiagnoseReport): ReportFile[] {
  const { meta, findings } = report;
  const top = findings[0];
  const logs = report.logs ?? (report.log ? [report.log] : []);
  const subject = meta?.collection ? shortenPath(meta.collection) : logs.length > 0 ? logs.map((l) => shortenPath(l.file)).join(', ') : 'Diagnosis';
  const failedProbes = report.probes.filter((p) => !p.ok).length;
  const page: KitPage = {
    kind: 'diagnose',
    kicker: 'debug502 · diagnose report',
    title: `Diagnose report: ${subject} — ${top?.code ?? 'no cause found'}`,
    heading: subject,
    headingTitle: meta?.collection || subject,
    byline: [
      ...(meta?.environment ? [`environment ${meta.environment}`] : []),
      ...(meta ? [`started ${formatTimestamp(meta.startedAt)}`, `took ${formatDuration(meta.durationMs)}`] : []),
      `${formatCount(report.probes.length)} probes, ${formatCount(logs.length)} log${logs.length === 1 ? '' : 's'}`,
    ],
    verdict: {
      code: top?.code ?? (report.interrupted ? 'interrupted' : report.inconclusive ? 'inconclusive' : 'none'),
      // Never "no cause found" for a diagnosis that was cut or could not probe: it clears nothing.
      label: top ? 'Most likely cause' : report.interrupted ? 'Interrupted' : report.inconclusive ? 'Inconclusive' : 'No cause found',
      tone: top ? 'bad' : report.interrupted || report.inconclusive ? 'warn' : 'good',
      answer: top ? `${top.code} (${top.confidence} confidence)` : report.interrupted ? 'no cause found in what finished' : report.inconclusive ? `inconclusive: ${report.inconclusive}` : 'no cause of 502 found',
      message: describeEvidenceCounts(report),
      next: top?.next ?? null,
      caveats: [
        ...(report.probes.length === 0 ? ['No probe ran (no --environment): the logs alone were read.'] : []),
        ...(logs.length === 0 ? ['No gateway log was read: pass --log FILE (nginx error log, ALB, Envoy or HAProxy access log) for what the gateway itself saw.'] : []),
      ],
    },
    aborted: report.interrupted
      ? { reason: 'interrupted', title: 'The diagnosis was interrupted.', message: `${report.interrupted.message}${report.interrupted.unfinished.length > 0 ? ` Not finished: ${report.interrupted.unfinished.join('; ')}.` : ''}` }
      : null,
    tiles: [
      makeTile('Findings', formatCount(findings.length), top ? `most likely ${top.code}` : report.interrupted || report.inconclusive ? 'which clears nothing: see above' : 'nothing wrong found', findings.length > 0 ? 'bad' : report.interrupted || report.inconclusive ? 'warn' : 'good'),
      report.probes.length > 0
        ? makeTile('Probes failed', formatCount(failedProbes), `of ${formatCount(report.probes.length)} probes`, failedProbes > 0 ? 'bad' : 'good')
        : makeTile('Probes failed', undefined, 'no --environment: none ran'),
      report.log ? describeLogTile(report.log) : makeTile('Gateway errors in the log', undefined, 'no log given'),
      makeTile('Not probed', formatCount(report.skipped?.length ?? 0), report.skipped?.length ? 'requests of the collection (unsafe methods)' : 'every request was sent'),
    ],
    nextSteps: listDiagnoseNextSteps(report),
    details: [{
      title: 'Diagnosis',
      rows: [
        { name: 'Environment', value: meta?.environment || '—' },
        { name: 'Collection', value: meta?.collection || '— (GET / on both sides)' },
        { name: 'Logs', value: logs.map(logHeader).join('; ') || '—' },
        ...(meta ? [{ name: 'Started', value: formatTimestamp(meta.startedAt) }, { name: 'Duration', value: formatDuration(meta.durationMs) }] : []),
        { name: 'Tool', value: `debug502${meta ? ` ${meta.version}` : ''}` },
      ],
    }],
    version: meta?.version ?? '',
    footer: describeFooter(meta?.version ?? '', 'diagnose.json has every figure'),
  };
  return renderKitPage(DIAGNOSE_HTML_FILE, 'diagnose.html.hbs', page, {
    noFindings: report.interrupted || report.inconclusive ? headline(report) : 'No cause of 502 found: every probe that ran passed and the logs show no upstream errors.',
    findings: findings.map((f: Finding, i) => ({ rank: i + 1, code: f.code, confidence: f.confidence, evidence: f.evidence, next: f.next })),
    // The request where there is one (the same on both sides: gateway beside backend), else the host or URL.
    probes: report.probes.map((p) => ({ kind: p.kind, route: p.route ?? '', target: p.request ?? p.target, result: probeStatus(p), ok: p.ok, time: `${formatCount(p.timeMs)} ms`, evidence: p.evidence })),
    log: report.log ? {
      title: logTitle(report.log),
      headers: logs.map(logHeader),
      causes: sortedCauses(report.log).map(([code, cause]) => ({
        code, count: formatCount(cause.count), when: describeSpan(cause, report.log), pattern: describeCausePattern(cause, report.log), upstreams: cause.upstreams.join(', '), sample: cause.sample,
      })),
      unknown: report.log.unknown.count > 0 ? { count: formatCount(report.log.unknown.count), sample: report.log.unknown.samples[0] ?? '' } : null,
    } : null,
    skipped: (report.skipped ?? []).map((s) => ({ request: s.request, name: s.name, reason: s.reason })),
  });
}

/** "2 findings, the most likely first: …; 22 of 25 probes failed; 10 gateway errors in 10 log lines." */
function describeEvidenceCounts(report: DiagnoseReport): string {
  const { findings, probes, log } = report;
  const found = findings.length === 0 ? 'No finding' : findings.length === 1 ? '1 finding' : `${findings.length} findings, the most likely first: ${findings.map((f) => f.code).join(', ')}`;
  const probed = probes.length === 0 ? 'no probe ran' : `${formatCount(probes.filter((p) => !p.ok).length)} of ${formatCount(probes.length)} probes failed`;
  const logged = log ? `${formatCount(countLogErrors(log))} gateway errors in ${formatCount(log.lines)} log lines` : 'no log read';
  return `${found}; ${probed}; ${logged}.`;
}

const countLogErrors = (log: LogSummary): number => Object.values(log.causes).reduce((n, cause) => n + (cause?.count ?? 0), 0) + log.unknown.count;

function describeLogTile(log: LogSummary): Tile {
  const errors = countLogErrors(log);
  return makeTile('Gateway errors in the log', formatCount(errors), `of ${formatCount(log.lines)} lines read (${logTitle(log)})`, errors > 0 ? 'bad' : 'good');
}

/** What to run next with the same environment: the load a cause comes with, the race over time, the logs when none were read. */
function listDiagnoseNextSteps(report: DiagnoseReport): NextStep[] {
  const env = environmentOptions(report.meta?.environment ?? '');
  const collection = report.meta?.collection ? ` --collection ${shellWord(report.meta.collection)}` : '';
  const steps: NextStep[] = [];
  const codes = new Set(report.findings.map((f) => f.code));
  if (!report.log) steps.push({ text: 'Read what the gateway itself logged: its error log (nginx) or access log (ALB, Envoy, HAProxy).', command: `debug502 diagnose ${env}${collection} --log <the gateway's log>` });
  if (codes.has('keepalive-race')) {
    steps.push({ text: 'See the race over time: steady traffic, failures through the gateway only, at a low rate.', command: `debug502 watch ${env}${collection} --rate 5/s --duration 5m --window 10s` });
  }
  if (report.findings.some((f) => LOAD_CAUSES.has(f.code)) || report.findings.length === 0) {
    steps.push({
      text: report.findings.length === 0 ? 'Nothing fails a single request: find the load at which 502s begin.' : 'Find the load at which it starts, and which side breaks first.',
      command: `debug502 ramp ${collectionArgument(report.meta?.collection ?? '')} ${env} --target both`,
    });
  }
  steps.push({ text: 'After a fix, check every endpoint once, through the gateway and direct.', command: `debug502 run ${collectionArgument(report.meta?.collection ?? '')} ${env}` });
  return steps;
}
