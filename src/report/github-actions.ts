/**
 * GitHub Actions' conventions, for any report kind: `::error` workflow commands (annotations on the
 * run's summary page and on the file) and step outputs appended to `$GITHUB_OUTPUT`. Rendering is
 * pure; `publishToGithubActions` is the one place that prints and appends, and only when
 * `GITHUB_ACTIONS=true`. Docs: https://docs.github.com/actions/reference/workflow-commands-for-github-actions
 */
import { appendFile } from 'node:fs/promises';
import { RuntimeError } from '../errors.js';
import { checkOutputFile } from '../fs/check-output.js';
import type { Io } from '../io.js';
import type { DiagnoseReport, RampReport, RunReport } from '../model.js';
import { TARGET_LABEL } from './format.js';
import { listTargets } from './ramp/view/summarize.js';

/** One annotation: `::error file=F,title=T::message`. */
export interface Annotation {
  level: 'error' | 'warning' | 'notice';
  title: string;
  message: string;
  file?: string;
}

/** What a report publishes to a workflow: annotations and step outputs (`name=value`). */
export interface GithubPublication {
  annotations: Annotation[];
  outputs: Record<string, string>;
}

/** Message text of a workflow command: `%`, CR and LF are escaped, as the runner unescapes them. */
const escapeData = (text: string): string => text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
/** A property value (`file=`, `title=`) also escapes `:` and `,`, which end it. */
const escapeProperty = (text: string): string => escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');

/** `::error file=c.json,title=…::message` lines, one per annotation, each ending with a newline. */
export function formatAnnotations(annotations: readonly Annotation[]): string {
  return annotations
    .map((a) => {
      const properties = [...(a.file ? [`file=${escapeProperty(a.file)}`] : []), `title=${escapeProperty(a.title)}`].join(',');
      return `::${a.level} ${properties}::${escapeData(a.message)}\n`;
    })
    .join('');
}

/** `name=value` lines for `$GITHUB_OUTPUT`; a value with a line break uses the heredoc form. */
export function formatOutputs(outputs: Readonly<Record<string, string>>): string {
  return Object.entries(outputs)
    .map(([name, value]) => (/[\r\n]/.test(value) ? `${name}<<DEBUG502_EOF\n${value}\nDEBUG502_EOF\n` : `${name}=${value}\n`))
    .join('');
}

/**
 * The ramp: an error per target with a breaking point (the collection as the file), a warning when
 * the ramp stopped early, an error when the --min-capacity gate failed; outputs `breaking_point`
 * (the gateway's, else the backend's; "" when none), `verdict`, `first_502_request` ("" when none).
 */
export function describeRampForGithub(report: RampReport, gateFailure?: string): GithubPublication {
  const file = report.meta.collection;
  const annotations: Annotation[] = [];
  for (const { key, result } of listTargets(report)) {
    if (!result.breakingPoint) continue;
    annotations.push({ level: 'error', file, title: `debug502 ramp: ${TARGET_LABEL[key].toLowerCase()} breaks at concurrency ${result.breakingPoint.concurrency}`, message: `${report.verdict.message}${report.verdict.next ? ` Next: ${report.verdict.next}` : ''}` });
  }
  if (report.meta.aborted) annotations.push({ level: 'warning', file, title: `debug502 ramp stopped early (${report.meta.aborted.reason})`, message: report.meta.aborted.message });
  if (gateFailure) annotations.push({ level: 'error', file, title: 'debug502 ramp: --min-capacity gate failed', message: gateFailure });
  const main = report.targets.gateway ?? report.targets.backend;
  return {
    annotations,
    outputs: {
      breaking_point: main?.breakingPoint ? String(main.breakingPoint.concurrency) : '',
      verdict: report.verdict.code,
      first_502_request: main?.first502AtRequest != null ? String(main.first502AtRequest) : '',
    },
  };
}

/** The run: an error per endpoint that is not ok; outputs `verdict` (ok / not-ok) and `failed_endpoints`. */
export function describeRunForGithub(report: RunReport, passed: boolean): GithubPublication {
  const annotations = report.endpoints
    .filter((e) => e.verdict.code !== 'ok')
    .map((e): Annotation => ({
      level: 'error',
      file: report.meta.collection,
      title: `debug502 run: ${e.name} — ${e.verdict.code}`,
      message: `${e.verdict.message}${e.verdict.next ? ` Next: ${e.verdict.next}` : ''}`,
    }));
  return { annotations, outputs: { verdict: passed ? 'ok' : 'not-ok', failed_endpoints: String(report.totals.notOk) } };
}

/** The diagnosis: an error per finding, most likely first; output `verdict` (the top cause, else "interrupted", "inconclusive" or "none"). */
export function describeDiagnoseForGithub(report: DiagnoseReport): GithubPublication {
  const annotations = report.findings.map((f, i): Annotation => ({
    level: 'error',
    title: `debug502 diagnose: ${i === 0 ? 'most likely ' : ''}${f.code} (${f.confidence} confidence)`,
    message: `${f.evidence.join('; ')}. Next: ${f.next}`,
  }));
  // "none" only for a diagnosis that ran to its end and probed HTTP.
  return { annotations, outputs: { verdict: report.findings[0]?.code ?? (report.interrupted ? 'interrupted' : report.inconclusive ? 'inconclusive' : 'none') } };
}

/**
 * Prints the annotations on stdout (the runner reads workflow commands there) and appends the
 * outputs to `$GITHUB_OUTPUT` — only when `GITHUB_ACTIONS=true`; elsewhere nothing happens.
 * Returns the GITHUB_OUTPUT path when it was appended to.
 */
export async function publishToGithubActions(io: Pick<Io, 'env' | 'stdout' | 'workflowCommands'>, publication: GithubPublication): Promise<string | undefined> {
  if (io.env.GITHUB_ACTIONS !== 'true') return undefined;
  // Through workflowCommands: the CLI's Io neutralises every other line that would read as a command.
  const annotations = formatAnnotations(publication.annotations);
  if (io.workflowCommands) io.workflowCommands(annotations);
  else io.stdout(annotations);
  const outputPath = io.env.GITHUB_OUTPUT;
  if (!outputPath) return undefined;
  try {
    await appendFile(outputPath, formatOutputs(publication.outputs));
  } catch (error) {
    throw new RuntimeError(`cannot append to GITHUB_OUTPUT (${outputPath}): ${(error as Error).message}`, undefined, { cause: error });
  }
  return outputPath;
}

/**
 * The preflight of publishToGithubActions, run before the first request: under
 * `GITHUB_ACTIONS=true`, `$GITHUB_OUTPUT` must be a file this process can append to — not a
 * directory, not read-only, not a device that refuses writes — or the whole run would end in
 * "cannot append". InputError (exit 2) naming GITHUB_OUTPUT; nothing is written.
 */
export async function checkGithubActionsOutput(env: Io['env']): Promise<void> {
  if (env.GITHUB_ACTIONS !== 'true' || !env.GITHUB_OUTPUT) return;
  await checkOutputFile(env.GITHUB_OUTPUT, 'GITHUB_OUTPUT', { append: true });
}
