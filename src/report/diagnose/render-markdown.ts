import type { DiagnoseReport } from '../../model.js';
import { describeCausePattern, describeGatewayIdentity, describeSpan, headline, logHeader, logTitle, probeStatus, sortedCauses, unfinishedLines } from './summary-lines.js';

/** A Markdown summary (for a PR comment or GITHUB_STEP_SUMMARY): findings, probes table, log table. Pure. */
export function renderDiagnoseMarkdown(report: DiagnoseReport): string {
  const out: string[] = ['## debug502 diagnose', '', headline(report), ''];
  const gateway = describeGatewayIdentity(report);
  if (gateway) out.push(`- ${cell(gateway)}`);
  for (const note of report.notes ?? []) out.push(`- **Note:** ${cell(note)}`);
  if (gateway || report.notes?.length) out.push('');
  if (report.findings.length > 0) {
    out.push('### Findings', '');
    report.findings.forEach((f, i) => {
      out.push(`${i + 1}. **${f.code}** (${f.confidence} confidence)`);
      for (const line of f.evidence) out.push(`   - ${cell(line)}`);
      out.push(`   - **Next:** ${cell(f.next)}`);
    });
    out.push('');
  }
  const unfinished = unfinishedLines(report);
  if (unfinished.length > 0) out.push('### Not finished (interrupted)', '', ...unfinished.map((line) => `- ${cell(line)}`), '');
  if (report.probes.length > 0) {
    out.push('### Probes', '', '| Kind | Route | Target | Result | Time | Evidence |', '|---|---|---|---|---|---|');
    for (const p of report.probes) out.push(`| ${p.kind} | ${p.route ?? ''} | \`${cell(p.target)}\` | ${probeStatus(p)} | ${p.timeMs} ms | ${cell(p.evidence)} |`);
    out.push('');
  }
  if (report.skipped && report.skipped.length > 0) {
    out.push('### Not probed', '', '| Request | Item | Why |', '|---|---|---|');
    for (const s of report.skipped) out.push(`| \`${cell(s.request)}\` | ${cell(s.name)} | ${cell(s.reason)} |`);
    out.push('');
  }
  if (report.log) {
    out.push(`### ${logTitle(report.log)}`, '', ...(report.logs ?? [report.log]).map((l) => `- ${cell(logHeader(l))}`), '', '| Cause | Lines | When | Pattern | Upstreams | Sample |', '|---|---|---|---|---|---|');
    for (const [code, cause] of sortedCauses(report.log)) {
      out.push(`| ${code} | ${cause.count} | ${describeSpan(cause, report.log)} | ${describeCausePattern(cause, report.log)} | ${cell(cause.upstreams.join(', '))} | \`${cell(cause.sample)}\` |`);
    }
    if (report.log.unknown.count > 0) out.push(`| unknown | ${report.log.unknown.count} | | | | \`${cell(report.log.unknown.samples[0] ?? '')}\` |`);
    out.push('');
  }
  return out.join('\n');
}

/** Text safe inside a table cell or list item: pipes escaped, backticks softened, one line. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/`/g, "'").replace(/\r?\n/g, ' ');
}
