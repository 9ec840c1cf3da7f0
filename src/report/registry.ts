import { InputError } from '../errors.js';
import type { RenderReport, ReportFile } from './report-file.js';

/** What a terminal reporter knows besides the report: where the files went, to point at them. */
export interface PrintContext {
  /** The files written, as the user would type them (relative to the working directory), in order. */
  files: readonly string[];
}

/**
 * One reporter: `render` gives the files it writes into the report directory, `print` the text the
 * terminal reporter (`cli`) writes on stdout. Both pure; a reporter has one or both.
 */
export interface Reporter<Report> {
  render?: RenderReport<Report>;
  /** The bare names of the files `render` writes: checked before a run starts (checkReportOutput). */
  files?: readonly string[];
  print?: (report: Report, context: PrintContext) => string;
}

/** The reporters of one report kind (run, ramp, diagnose) by name, in the order their files are written. */
export interface ReporterRegistry<Report, Name extends string> {
  /** "run", "ramp", "diagnose": what the reports are of. */
  kind: string;
  names: readonly Name[];
  reporters: Readonly<Record<Name, Reporter<Report>>>;
  /** Other spellings a user may type, e.g. `md` for `markdown`. */
  aliases: Readonly<Record<string, Name>>;
}

/** Spellings every registry accepts for its reporters, when it has them. */
const COMMON_ALIASES: Readonly<Record<string, string>> = { md: 'markdown' };

/** Builds a registry: the names in the order given, plus the common aliases of the names it has. */
export function defineReporters<Report, Name extends string>(kind: string, reporters: Record<Name, Reporter<Report>>): ReporterRegistry<Report, Name> {
  const names = Object.keys(reporters) as Name[];
  const aliases = Object.fromEntries(Object.entries(COMMON_ALIASES).filter(([, name]) => names.includes(name as Name))) as Record<string, Name>;
  return { kind, names, reporters, aliases };
}

/** "json, html, markdown (or md), junit": the names a user may give, for hints and --help. */
export function describeReporterNames(registry: ReporterRegistry<never, string>): string {
  return registry.names
    .map((name) => {
      const others = Object.entries(registry.aliases).filter(([, target]) => target === name).map(([alias]) => alias);
      return others.length > 0 ? `${name} (or ${others.join(', ')})` : name;
    })
    .join(', ');
}

/**
 * Validates reporter names (from `--reporters cli,junit`): trims, lower-cases, resolves aliases,
 * drops duplicates, keeps the caller's order. Throws an InputError naming every unknown one and
 * listing the valid ones; an empty list is an error too.
 */
export function parseReporterNames<Name extends string>(
  registry: ReporterRegistry<never, Name>,
  names: readonly string[],
  optionName = '--reporters',
): Name[] {
  const noun = optionName === '--reporters' || optionName === '-r' ? 'reporter' : 'report format';
  const valid = `valid ${noun === 'reporter' ? 'reporters' : 'formats'}: ${describeReporterNames(registry)}`;
  const typed = names.map((n) => n.trim().toLowerCase()).filter(Boolean);
  const unknown = [...new Set(typed.filter((name) => resolveName(registry, name) === undefined))];
  if (unknown.length > 0) {
    throw new InputError(
      `${optionName}: unknown ${noun}${unknown.length > 1 ? 's' : ''} ${unknown.map((n) => `"${n}"`).join(', ')}`,
      [],
      `${valid} (comma-separated, e.g. ${optionName} ${registry.names.slice(0, 2).join(',')})`,
    );
  }
  if (typed.length === 0) throw new InputError(`${optionName}: name at least one ${noun}`, [], valid);
  return [...new Set(typed.map((name) => resolveName(registry, name)!))];
}

function resolveName<Name extends string>(registry: ReporterRegistry<never, Name>, name: string): Name | undefined {
  if (Object.hasOwn(registry.reporters, name)) return name as Name;
  return Object.hasOwn(registry.aliases, name) ? registry.aliases[name] : undefined;
}

/** The files of the chosen reporters, in the order given. Pure: nothing is written. */
export function renderReporterFiles<Report, Name extends string>(registry: ReporterRegistry<Report, Name>, report: Report, names: readonly Name[]): ReportFile[] {
  return names.flatMap((name) => registry.reporters[name].render?.(report) ?? []);
}

/** The names of the files the chosen reporters will write, for the output preflight. Pure. */
export function reporterFileNames<Report, Name extends string>(registry: ReporterRegistry<Report, Name>, names: readonly Name[]): string[] {
  return names.flatMap((name) => registry.reporters[name].files ?? []);
}

/** What the chosen reporters print on stdout, joined ("" when none prints). Pure. */
export function printReporters<Report, Name extends string>(
  registry: ReporterRegistry<Report, Name>,
  report: Report,
  names: readonly Name[],
  context: PrintContext = { files: [] },
): string {
  return names.map((name) => registry.reporters[name].print?.(report, context) ?? '').join('');
}
