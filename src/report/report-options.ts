import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { InputError } from '../errors.js';
import { checkOutputDirectory, checkOutputFile } from '../fs/check-output.js';
import { describeReporterNames, parseReporterNames, printReporters, renderReporterFiles, reporterFileNames, type ReporterRegistry } from './registry.js';
import { checkReportOutput, writeReportFiles } from './write-report-files.js';

/** The report options every command takes, as a caller has them (names unchecked, paths relative). */
export interface ReportRequest {
  /** `-r/--reporters cli,junit`; absent: the command's default set. */
  reporters?: readonly string[];
  /** `--reporter-<name>-export PATH`, by reporter name (`md` is `markdown`). */
  reporterExports?: Readonly<Record<string, string | undefined>>;
  /** `--report-dir`; default `reports`. */
  reportDir?: string;
  /** The option the names came from, for messages (`--formats` while the old name is used). */
  optionName?: string;
}

/** The checked report options: reporter names, where each file goes. */
export interface ReportPlan<Name extends string> {
  names: Name[];
  /** Absolute directory for the files that are not exported elsewhere. */
  dir: string;
  /** Absolute path by reporter name, for `--reporter-<name>-export`. */
  exports: Partial<Record<Name, string>>;
}

/**
 * Checks a ReportRequest against a registry, relative to `cwd`. Like newman, an export path that is
 * an existing directory (or ends in "/") receives the reporter's file under its usual name. A
 * reporter given an export path is switched on even when `-r` does not name it. InputError (exit 2)
 * for an unknown reporter, an export for a reporter that writes no file, or an empty path.
 */
export function planReports<Name extends string>(
  registry: ReporterRegistry<never, Name>,
  request: ReportRequest,
  defaults: readonly Name[],
  cwd: string,
): ReportPlan<Name> {
  const names = request.reporters === undefined ? [...defaults] : parseReporterNames(registry, request.reporters, request.optionName);
  const exports: Partial<Record<Name, string>> = {};
  for (const [typed, path] of Object.entries(request.reporterExports ?? {})) {
    if (path === undefined) continue;
    const [name] = parseReporterNames(registry, [typed], `--reporter-${typed}-export`);
    if (!registry.reporters[name].render) {
      throw new InputError(`--reporter-${typed}-export: the ${name} reporter prints on the terminal and writes no file`, [], `reporters that write files: ${fileReporters(registry).join(', ')}`);
    }
    if (path.trim() === '') throw new InputError(`--reporter-${typed}-export: give a file path`, [], `e.g. --reporter-${name}-export reports/${registry.kind}-${name}.out`);
    // resolve() drops a trailing slash, and the slash says "a directory": keep it.
    exports[name] = resolve(cwd, path) + (/[\\/]$/.test(path) ? '/' : '');
    if (!names.includes(name)) names.push(name);
  }
  return { names, dir: resolve(cwd, request.reportDir ?? 'reports'), exports };
}

/** The file reporters of a registry (those `--reporter-<name>-export` applies to). */
export function fileReporters<Name extends string>(registry: ReporterRegistry<never, Name>): Name[] {
  return registry.names.filter((name) => registry.reporters[name].render !== undefined);
}

/** "-r/--reporters: cli, json, junit, markdown (or md)": for --help. */
export function describeReportersOption(registry: ReporterRegistry<never, string>): string {
  return `Reporters, comma-separated: ${describeReporterNames(registry)}`;
}

/**
 * Renders the planned reporters' files and writes them with the kit's one writer: into `plan.dir`,
 * or to each export path; the Markdown summary (`summaryFile`) is appended to `stepSummaryPath`.
 * Returns the paths written. What the `cli` reporters print is returned as `printed`, not written.
 * `signal`: for a command with nothing partial to keep (writeReportFiles: Ctrl-C, nothing written).
 */
export async function writePlannedReports<Report, Name extends string>(
  registry: ReporterRegistry<Report, Name>,
  report: Report,
  plan: ReportPlan<Name>,
  options: { stepSummaryPath?: string; summaryFile?: string; signal?: AbortSignal } = {},
): Promise<{ paths: string[]; printed: string }> {
  const exportPaths: Record<string, string> = {};
  const files = plan.names.flatMap((name) => {
    const rendered = renderReporterFiles(registry, report, [name]);
    const target = plan.exports[name];
    if (target !== undefined) for (const file of rendered) exportPaths[file.name] = intoDirectory(target) ? join(target, file.name) : target;
    return rendered;
  });
  const paths = await writeReportFiles(plan.dir, files, {
    exportPaths,
    stepSummary: options.summaryFile ? { path: options.stepSummaryPath, fileName: options.summaryFile } : undefined,
    signal: options.signal,
  });
  return { paths, printed: printReporters(registry, report, plan.names) };
}

/**
 * The output preflight of writePlannedReports, run before any request: the report directory must
 * be (or can become) a writable directory and none of the files the planned reporters write there
 * a directory; each export path must be a writable file (or, for a directory export, a writable
 * directory); no two reporters may write the same file (`--reporter-json-export x
 * --reporter-junit-export x`); the step summary, when the summary file is planned, an appendable
 * file. InputError (exit 2) naming the option; nothing is written.
 */
export async function checkPlannedReports<Name extends string>(
  registry: ReporterRegistry<never, Name>,
  plan: ReportPlan<Name>,
  options: { stepSummaryPath?: string; summaryFile?: string } = {},
): Promise<void> {
  refuseSharedDestinations(registry, plan);
  const inDir = plan.names.filter((name) => plan.exports[name] === undefined);
  const fileNames = reporterFileNames(registry, inDir);
  if (fileNames.length > 0) await checkReportOutput(plan.dir, fileNames);
  for (const name of plan.names) {
    const target = plan.exports[name];
    if (target === undefined) continue;
    const option = `--reporter-${name}-export`;
    if (intoDirectory(target)) await checkOutputDirectory(target, option, reporterFileNames(registry, [name]));
    else await checkOutputFile(target, option);
  }
  const summaryPlanned = options.summaryFile !== undefined && reporterFileNames(registry, plan.names).includes(options.summaryFile);
  if (options.stepSummaryPath && summaryPlanned) await checkOutputFile(options.stepSummaryPath, 'GITHUB_STEP_SUMMARY', { append: true });
}

/** Two of the planned files at one path: the second would replace the first. InputError naming both options. */
function refuseSharedDestinations<Name extends string>(registry: ReporterRegistry<never, Name>, plan: ReportPlan<Name>): void {
  const taken = new Map<string, string>();
  for (const name of plan.names) {
    const target = plan.exports[name];
    for (const fileName of reporterFileNames(registry, [name])) {
      const path = target === undefined ? join(plan.dir, fileName) : intoDirectory(target) ? join(target, fileName) : resolve(target);
      const option = target === undefined ? `--report-dir (${fileName})` : `--reporter-${name}-export`;
      const first = taken.get(path);
      if (first !== undefined) {
        throw new InputError(`${first} and ${option}: both write ${path}`, [], 'give each reporter its own file (or leave the export out to write it into --report-dir under its own name)');
      }
      taken.set(path, option);
    }
  }
}

/** newman's rule: a path that is a directory, or is written as one, receives the file under its own name. */
function intoDirectory(path: string): boolean {
  return /[\\/]$/.test(path) || (existsSync(path) && statSync(path).isDirectory());
}
