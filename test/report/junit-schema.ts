/**
 * The JUnit XML that CI tools read, checked structurally (no XML schema validator is installed):
 * the Surefire / Jenkins flavour (maven-surefire's surefire-test-report.xsd, the Jenkins xUnit
 * plugin's junit-10.xsd) that Jenkins, GitLab's `artifacts:reports:junit` and GitHub's JUnit
 * report actions parse. Returns the list of problems (empty: the file conforms).
 *
 * - root `<testsuites>` holding only `<testsuite>`s (or a lone `<testsuite>`); its tests/failures/
 *   errors, when present, are the sums over its suites;
 * - `<testsuite>`: `name` (non-empty), `tests`, `failures`, `errors` (whole numbers ≥ 0, equal to
 *   the counts of its testcases, of those with `<failure>`, with `<error>`), `skipped` likewise when
 *   present, `time` (seconds ≥ 0), `timestamp` ISO 8601 when present; children only `properties`,
 *   `testcase`, `system-out`, `system-err`;
 * - `<testcase>`: `name` and `classname` (non-empty — GitLab and the GitHub actions group by it),
 *   `time` (seconds ≥ 0); at most one `<failure>`, `<error>` or `<skipped>`, plus `system-out`/`-err`;
 * - `<failure>` / `<error>`: `type` and `message` attributes.
 */
import { parseXml, type XmlElement } from './xml-well-formed.js';

const WHOLE = /^\d+$/;
const SECONDS = /^\d+(\.\d+)?$/;
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/;

export function checkJunitXml(source: string): string[] {
  const problems: string[] = [];
  let root: XmlElement;
  try {
    root = parseXml(source);
  } catch (error) {
    return [(error as Error).message];
  }
  const suites = root.name === 'testsuite' ? [root] : root.name === 'testsuites' ? root.children : [];
  if (root.name !== 'testsuites' && root.name !== 'testsuite') problems.push(`root is <${root.name}>, not <testsuites> or <testsuite>`);
  if (suites.length === 0) problems.push('no <testsuite>');
  const sums = { tests: 0, failures: 0, errors: 0 };
  suites.forEach((suite, s) => {
    const at = `testsuite[${s}] "${suite.attributes.name ?? ''}"`;
    if (suite.name !== 'testsuite') { problems.push(`<testsuites> holds <${suite.name}>`); return; }
    if (!suite.attributes.name) problems.push(`${at}: no name`);
    for (const key of ['tests', 'failures', 'errors']) if (!WHOLE.test(suite.attributes[key] ?? '')) problems.push(`${at}: ${key}="${suite.attributes[key] ?? ''}" is not a whole number`);
    if (suite.attributes.skipped !== undefined && !WHOLE.test(suite.attributes.skipped)) problems.push(`${at}: skipped="${suite.attributes.skipped}" is not a whole number`);
    if (!SECONDS.test(suite.attributes.time ?? '')) problems.push(`${at}: time="${suite.attributes.time ?? ''}" is not seconds`);
    if (suite.attributes.timestamp !== undefined && !ISO_TIME.test(suite.attributes.timestamp)) problems.push(`${at}: timestamp="${suite.attributes.timestamp}" is not ISO 8601`);
    const cases = suite.children.filter((c) => c.name === 'testcase');
    for (const child of suite.children) if (!['properties', 'testcase', 'system-out', 'system-err'].includes(child.name)) problems.push(`${at}: holds <${child.name}>`);
    const count = (outcome: string) => cases.filter((c) => c.children.some((x) => x.name === outcome)).length;
    const expected: Record<string, number> = { tests: cases.length, failures: count('failure'), errors: count('error'), skipped: count('skipped') };
    for (const [key, value] of Object.entries(expected)) {
      if (suite.attributes[key] !== undefined && Number(suite.attributes[key]) !== value) problems.push(`${at}: ${key}="${suite.attributes[key]}" but ${value} testcases say so`);
    }
    sums.tests += cases.length; sums.failures += expected.failures; sums.errors += expected.errors;
    cases.forEach((testcase, c) => problems.push(...checkTestcase(testcase, `${at} testcase[${c}] "${testcase.attributes.name ?? ''}"`)));
  });
  if (root.name === 'testsuites') {
    for (const [key, value] of Object.entries(sums)) {
      if (root.attributes[key] !== undefined && Number(root.attributes[key]) !== value) problems.push(`<testsuites ${key}="${root.attributes[key]}"> but its suites sum to ${value}`);
    }
  }
  return problems;
}

function checkTestcase(testcase: XmlElement, at: string): string[] {
  const problems: string[] = [];
  if (!testcase.attributes.name) problems.push(`${at}: no name`);
  if (!testcase.attributes.classname) problems.push(`${at}: no classname`);
  if (!SECONDS.test(testcase.attributes.time ?? '')) problems.push(`${at}: time="${testcase.attributes.time ?? ''}" is not seconds`);
  const outcomes = testcase.children.filter((c) => ['failure', 'error', 'skipped'].includes(c.name));
  if (outcomes.length > 1) problems.push(`${at}: ${outcomes.map((o) => `<${o.name}>`).join(' and ')}: at most one`);
  for (const child of testcase.children) {
    if (!['failure', 'error', 'skipped', 'system-out', 'system-err'].includes(child.name)) problems.push(`${at}: holds <${child.name}>`);
    if ((child.name === 'failure' || child.name === 'error') && (child.attributes.type === undefined || child.attributes.message === undefined)) {
      problems.push(`${at}: <${child.name}> without type and message`);
    }
  }
  return problems;
}
