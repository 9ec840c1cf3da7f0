import type { DiagnoseReport } from '../../model.js';
import { escapeXml as xml, escapeXmlAttribute as attr } from '../escape-xml.js';
import type { ReportFile } from '../report-file.js';

export const DIAGNOSE_JUNIT_FILE = 'diagnose.junit.xml';

/**
 * `diagnose.junit.xml` for CI test views (the Surefire flavour Jenkins, GitHub's and GitLab's
 * parsers read): a "findings" testsuite — one failing testcase per finding, most likely first, the
 * evidence and the next step in its text; one failing "interrupted" or "inconclusive" when the
 * diagnosis was cut or probed no HTTP request; one passing "no cause of 502 found" when there is
 * nothing else, so the failure count follows the exit code — and a "probes" testsuite, one testcase
 * per probe, failing when the probe did. Pure.
 */
export function renderDiagnoseJunit(report: DiagnoseReport): ReportFile[] {
  const findings = report.findings.length > 0
    ? report.findings.map((f, i) => {
      const text = [...f.evidence.map((line) => `- ${line}`), `next: ${f.next}`].join('\n');
      return `    <testcase classname="debug502.diagnose.findings" name="${attr(`${i + 1}. ${f.code}`)}" time="0">\n      <failure type="${attr(f.code)}" message="${attr(`${f.code} (${f.confidence} confidence)`)}">${xml(text)}</failure>\n    </testcase>`;
    })
    : report.interrupted || report.inconclusive ? [] : ['    <testcase classname="debug502.diagnose.findings" name="no cause of 502 found" time="0"/>'];
  // An interrupted or inconclusive diagnosis fails a testcase of its own: CI never reads it as a pass.
  const gaps = [
    ...(report.interrupted ? [gapCase('interrupted', report.interrupted.message, report.interrupted.unfinished.map((line) => `- ${line}`).join('\n'))] : []),
    ...(report.inconclusive ? [gapCase('inconclusive', report.inconclusive, '')] : []),
  ];
  findings.push(...gaps);
  const probes = report.probes.map((p) => {
    const name = [p.kind, p.route, p.request ?? p.target].filter(Boolean).join(' ');
    const open = `    <testcase classname="debug502.diagnose.${attr(p.kind)}" name="${attr(name)}" time="${(p.timeMs / 1000).toFixed(3)}"`;
    return p.ok ? `${open}/>` : `${open}>\n      <failure type="${attr(p.error ?? (p.status !== undefined ? String(p.status) : 'failed'))}" message="${attr(p.evidence)}"/>\n    </testcase>`;
  });
  const seconds = (report.probes.reduce((sum, p) => sum + p.timeMs, 0) / 1000).toFixed(3);
  const failedProbes = report.probes.filter((p) => !p.ok).length;
  const suite = (name: string, cases: string[], failures: number, time: string) => [
    `  <testsuite name="${attr(name)}" tests="${cases.length}" failures="${failures}" errors="0" skipped="0" time="${time}">`,
    ...cases,
    '  </testsuite>',
  ];
  const content = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="debug502 diagnose" tests="${findings.length + probes.length}" failures="${report.findings.length + gaps.length + failedProbes}" errors="0" time="${seconds}">`,
    ...suite('debug502 diagnose: findings', findings, report.findings.length + gaps.length, '0.000'),
    ...(probes.length > 0 ? suite('debug502 diagnose: probes', probes, failedProbes, seconds) : []),
    '</testsuites>',
    '',
  ].join('\n');
  return [{ name: DIAGNOSE_JUNIT_FILE, content }];
}

function gapCase(name: 'interrupted' | 'inconclusive', message: string, text: string): string {
  return `    <testcase classname="debug502.diagnose.findings" name="${name}" time="0">\n      <failure type="${name}" message="${attr(message)}">${xml(text)}</failure>\n    </testcase>`;
}
