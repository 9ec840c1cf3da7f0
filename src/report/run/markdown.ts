/**
 * `run.md`: the run as a GitHub-flavoured Markdown summary — fits GITHUB_STEP_SUMMARY or a pull
 * request comment. User text is escaped (GitHub renders HTML in step summaries).
 */
import type { RunReport } from '../../model.js';
import type { ReportFile } from '../report-file.js';
import { formatFailedTests, formatSide, formatTotals, groupNotOk, runPassed } from './cells.js';
import { escapeMarkdown as md } from '../escape-markdown.js';

export const RUN_MARKDOWN_FILE = 'run.md';

/** Renders the Markdown summary. Pure. */
export function renderRunMarkdown(report: RunReport): string {
  const { endpoints, totals, meta } = report;
  const title = runPassed(report)
    ? `## debug502 run: all ${totals.endpoints} endpoint(s) ok`
    : `## debug502 run: ${totals.notOk} of ${totals.endpoints} endpoint(s) not ok, ${totals.failedTests} failed test(s)`;
  const lines = [
    title,
    '',
    `${md(meta.collectionName ? `${meta.collectionName} (${meta.collection})` : meta.collection)} · environment ${md(meta.environment || '—')}`,
    '',
    `Gateway ${md(meta.gatewayUrl ?? '—')} · backend ${md(meta.backendUrl ?? '—')} · latency limit ${meta.maxLatencyMs ?? '—'} ms · ${meta.iterations} iteration(s)`,
    '',
    '| Endpoint | Gateway | Backend | Failed tests | Verdict |',
    '|---|---|---|---|---|',
    ...endpoints.map((e) =>
      `| ${md(e.name)} | ${md(formatSide(e.gateway))} | ${md(formatSide(e.backend))} | ${md(formatFailedTests(e))} | ${e.verdict.code === 'ok' ? '✅' : '❌'} \`${e.verdict.code}\` |`,
    ),
    '',
  ];
  const groups = groupNotOk(report);
  if (groups.length > 0) lines.push('### Next steps', '');
  for (const group of groups) {
    lines.push(`#### \`${group.code}\``, '');
    if (group.next) lines.push(`**Next:** ${md(group.next)}`, '');
    for (const e of group.endpoints) lines.push(`- **${md(e.name)}**: ${md(e.verdict.message)}`);
    lines.push('');
  }
  lines.push(`${md(formatTotals(report))} · debug502 ${md(meta.version)}`, '');
  return lines.join('\n');
}

export function renderRunMarkdownFile(report: RunReport): ReportFile[] {
  return [{ name: RUN_MARKDOWN_FILE, content: renderRunMarkdown(report) }];
}
