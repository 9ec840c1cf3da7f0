/**
 * `run.md`: the run as a GitHub-flavoured Markdown summary — fits GITHUB_STEP_SUMMARY or a pull
 * request comment. The answer first, then the endpoints that are not ok with one next step per
 * verdict, then every endpoint (folded away past a screenful). The file keeps every row; the copy
 * appended to the step summary keeps at most MAX_SUMMARY_ROWS per table, for GitHub's 1 MiB limit.
 * User text is escaped (GitHub renders HTML in step summaries).
 */
import type { EndpointResult, RunReport } from '../../model.js';
import { formatCount, formatDuration, formatTimestamp } from '../format.js';
import type { ReportFile } from '../report-file.js';
import { describeRunAnswer, isFailing } from './answer.js';
import { formatFailedTests, formatRunContext, formatSide, groupNotOk, runPassed } from './cells.js';
import { escapeMarkdown as md } from '../escape-markdown.js';
import { MAX_TERMINAL_ROWS } from './cli-summary.js';

export const RUN_MARKDOWN_FILE = 'run.md';

/**
 * The most rows of each table in the step summary's copy: at ~75 bytes a row, a few tens of KB,
 * far from GitHub's 1 MiB a step (2,000 endpoints make a 150 KB run.md; 14,000 would pass 1 MiB).
 */
export const MAX_SUMMARY_ROWS = 300;

const HEADER = ['| Endpoint | Gateway | Backend | Failed tests | Verdict |', '|---|---|---|---|---|'];
const formatRow = (e: EndpointResult): string =>
  `| ${md(e.name)} | ${md(formatSide(e.gateway))} | ${md(formatSide(e.backend))} | ${md(formatFailedTests(e))} | ${e.verdict.code === 'ok' ? '✅' : '❌'} \`${e.verdict.code}\` |`;

/** Renders the Markdown summary; `maxRows` bounds each table and list (the step summary's copy). Pure. */
export function renderRunMarkdown(report: RunReport, options: { maxRows?: number } = {}): string {
  const { endpoints, meta } = report;
  const limit = options.maxRows ?? Infinity;
  const lines = [
    `## ${runPassed(report) ? '✅' : '❌'} debug502 run: ${md(describeRunAnswer(report))}`,
    '',
    `${md(meta.collectionName ? `${meta.collectionName} (${meta.collection})` : meta.collection)} · environment ${md(meta.environment || '—')}`,
    '',
    md(formatRunContext(report)),
    '',
  ];
  const failing = endpoints.filter(isFailing);
  if (failing.length > 0) {
    lines.push(`### Not ok: ${formatCount(failing.length)} of ${formatCount(endpoints.length)}`, '', ...HEADER, ...failing.slice(0, limit).map(formatRow));
    lines.push(...moreRows(failing.length, limit), '');
  }
  const groups = groupNotOk(report);
  if (groups.length > 0) lines.push('### Next steps', '');
  for (const group of groups) {
    lines.push(`#### \`${group.code}\` (${formatCount(group.endpoints.length)})`, '');
    if (group.next) lines.push(`**Next:** ${md(group.next)}`, '');
    for (const e of group.endpoints.slice(0, limit)) lines.push(`- **${md(e.name)}**: ${md(e.verdict.message)}`);
    lines.push(...moreRows(group.endpoints.length, limit), '');
  }
  // Every endpoint, folded away when it would push the answer off the screen.
  const fold = endpoints.length > MAX_TERMINAL_ROWS;
  lines.push(`### Every endpoint (${formatCount(endpoints.length)})`, '');
  if (fold) lines.push(`<details><summary>${formatCount(endpoints.length)} endpoints, ${formatCount(endpoints.length - failing.length)} ok</summary>`, '');
  lines.push(...HEADER, ...endpoints.slice(0, limit).map(formatRow), ...moreRows(endpoints.length, limit));
  if (fold) lines.push('', '</details>');
  lines.push('', `<sub>started ${formatTimestamp(meta.startedAt)} · took ${formatDuration(meta.durationMs)} · debug502 ${md(meta.version)}</sub>`, '');
  return lines.join('\n');
}

/** The note under a table the step summary's copy cut: how many rows it left out, and where they are. */
function moreRows(total: number, limit: number): string[] {
  return total > limit ? ['', `_… and ${formatCount(total - limit)} more: run.md, run.html and run.json in the report directory have every one._`] : [];
}

/** `run.md`, every row; the step summary gets the bounded copy. */
export function renderRunMarkdownFile(report: RunReport): ReportFile[] {
  return [{ name: RUN_MARKDOWN_FILE, content: renderRunMarkdown(report), stepSummary: () => renderRunMarkdown(report, { maxRows: MAX_SUMMARY_ROWS }) }];
}
