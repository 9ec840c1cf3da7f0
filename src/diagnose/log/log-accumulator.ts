import type { CauseCode, LogCause, LogFormat, LogSummary } from '../../model.js';
import { DETECT_LINES, detectLogFormat, isGroupedReader, LOG_FORMAT_READERS, minuteKey, type LineClass, type LogFormatReader } from '../../gateways/logs/index.js';
import { createAnswerTally } from './answer-tally.js';
import { refuseUnreadableLog } from './unreadable-log.js';

/** Bounds that keep a summary's memory flat whatever the log's size. */
export const LOG_LIMITS = {
  upstreamsPerCause: 10, phasesPerCause: 8, unknownSamples: 5, sampleChars: 400,
  /** A day of minutes per cause; a longer log keeps the first day's histogram (counts and first/last stay exact). */
  minutesPerCause: 1440,
  /** A line longer than this is cut (a binary file or a runaway line must not hold memory). */
  lineChars: 64 * 1024,
} as const;

export interface LogAccumulatorOptions {
  /** `auto` (default): detected from the first DETECT_LINES non-empty lines; a log in no known format is refused. */
  format?: LogFormat | 'auto';
  /** Lines dated before this moment are counted as skipped; undated lines are kept. */
  sinceMs?: number;
  /** The option errors cite (default `--log`). */
  optionName?: string;
}

export interface LogAccumulator {
  /** Takes one raw line (without its newline). */
  add(line: string): void;
  /**
   * The summary so far; a fresh object each call. Throws InputError (refuseUnreadableLog) when the
   * log is in no format diagnose reads, or most of its lines are not in the format it was read as:
   * an unread log is never an all-clear.
   */
  summary(): LogSummary;
}

/**
 * Counts gateway log lines into a LogSummary holding only counts, first/last times, a capped
 * per-minute histogram, capped upstreams and phases, one sample line per cause, a few unknown and
 * unnamed samples, and the answers of access lines: memory stays the same for 1 MB and 10 GB. With
 * `format: 'auto'` the first lines are held until the format is known (at most DETECT_LINES), then
 * classified like the rest. Lines that belong together (varnishlog's transactions) are grouped by
 * their reader first.
 */
export function createLogAccumulator(file: string, options: LogAccumulatorOptions = {}): LogAccumulator {
  const asked = options.format ?? 'auto';
  let reader: LogFormatReader | undefined = asked === 'auto' ? undefined : LOG_FORMAT_READERS[asked];
  let group = reader && isGroupedReader(reader) ? reader.group() : undefined;
  const formatSource: LogSummary['formatSource'] = asked === 'auto' ? 'detected' : 'given';
  const pending: string[] = [];
  let first: string | undefined;
  let lines = 0;
  let matched = 0;
  let skipped = 0;
  let ignored = 0;
  let ok = 0;
  let firstMs: number | undefined;
  let lastMs: number | undefined;
  const causes = new Map<CauseCode, LogCause>();
  /** Per cause: minute number (epoch ms / 60000) → lines; a Map so the cap check costs nothing per line. */
  const minutesOf = new Map<CauseCode, Map<number, number>>();
  const unknown = { count: 0, samples: [] as string[] };
  const unnamed = { count: 0, samples: [] as string[] };
  const answers = createAnswerTally(LOG_LIMITS.sampleChars);

  function settle(): void {
    if (reader || pending.length === 0) return;
    const detected = detectLogFormat(pending);
    if (!detected) refuseUnreadableLog(file, { firstLine: first!, lines, optionName: options.optionName });
    reader = LOG_FORMAT_READERS[detected];
    group = isGroupedReader(reader) ? reader.group() : undefined;
    for (const line of pending.splice(0)) read(line);
  }

  function add(raw: string): void {
    let line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.trim() === '') return;
    if (line.length > LOG_LIMITS.lineChars) line = line.slice(0, LOG_LIMITS.lineChars);
    lines++;
    first ??= line;
    if (!reader) {
      pending.push(line);
      if (pending.length >= DETECT_LINES) settle();
      return;
    }
    read(line);
  }

  function read(line: string): void {
    if (reader!.matches(line)) matched++;
    if (group) for (const found of group.add(line)) count(found, line);
    else count(reader!.classify(line), line);
  }

  function count(found: LineClass, raw: string): void {
    const line = found.text ?? raw;
    if (options.sinceMs !== undefined && found.timeMs !== undefined && found.timeMs < options.sinceMs) {
      skipped++;
      return;
    }
    if (found.timeMs !== undefined) {
      if (firstMs === undefined || found.timeMs < firstMs) firstMs = found.timeMs;
      if (lastMs === undefined || found.timeMs > lastMs) lastMs = found.timeMs;
    }
    if (found.answer) answers.add(found, line);
    if (found.kind === 'ok') return void ok++;
    if (found.kind === 'ignored') return void ignored++;
    if (found.kind === 'unknown' || found.kind === 'failed') {
      const tally = found.kind === 'unknown' ? unknown : unnamed;
      tally.count++;
      if (tally.samples.length < LOG_LIMITS.unknownSamples) tally.samples.push(clip(line));
      return;
    }
    let cause = causes.get(found.code);
    if (!cause) {
      cause = { count: 0, upstreams: [], sample: clip(line), phases: {} };
      causes.set(found.code, cause);
      minutesOf.set(found.code, new Map());
    }
    cause.count++;
    noteTime(cause, minutesOf.get(found.code)!, found.time, found.timeMs);
    if (found.upstream && cause.upstreams.length < LOG_LIMITS.upstreamsPerCause && !cause.upstreams.includes(found.upstream)) {
      cause.upstreams.push(found.upstream);
    }
    const phases = cause.phases!;
    if (found.phase && (found.phase in phases || Object.keys(phases).length < LOG_LIMITS.phasesPerCause)) {
      phases[found.phase] = (phases[found.phase] ?? 0) + 1;
    }
    if (found.status !== undefined) bump((cause.answered ??= {}), String(found.status));
    if (found.method) bump((cause.methods ??= {}), found.method);
    if (found.answer) cause.answers = (cause.answers ?? 0) + 1;
  }

  function summary(): LogSummary {
    settle();
    if (lines === 0) return { file, format: reader?.name ?? 'empty', formatSource: reader ? formatSource : 'detected', ok: 0, lines: 0, skipped: 0, ignored: 0, causes: {}, unknown: { count: 0, samples: [] } };
    // Most lines in no shape of the format: the log is something else (or forced to the wrong format).
    if (matched * 2 < lines) refuseUnreadableLog(file, { firstLine: first!, lines, matched, format: reader!.name, given: asked !== 'auto', optionName: options.optionName });
    const tail = group?.end() ?? [];
    if (group) group = reader && isGroupedReader(reader) ? reader.group() : undefined;
    for (const found of tail) count(found, '');
    const out: LogSummary['causes'] = {};
    for (const [code, cause] of causes) {
      const copy: LogCause = { ...cause, upstreams: [...cause.upstreams], phases: { ...cause.phases } };
      if (Object.keys(copy.phases!).length === 0) delete copy.phases;
      if (cause.answered) copy.answered = { ...cause.answered };
      if (cause.methods) copy.methods = { ...cause.methods };
      const minutes = [...minutesOf.get(code)!].sort((a, b) => a[0] - b[0]);
      if (minutes.length > 0) copy.perMinute = Object.fromEntries(minutes.map(([m, n]) => [minuteKey(m * 60_000), n]));
      out[code] = copy;
    }
    return {
      file, format: reader!.name, formatSource, ...(reader!.gateway ? { gatewayKind: reader!.gateway } : {}),
      ok, ...(firstMs !== undefined ? { firstMs, lastMs } : {}), lines, matched, skipped, ignored, causes: out,
      unknown: { count: unknown.count, samples: [...unknown.samples] },
      ...(unnamed.count > 0 ? { unnamed: { count: unnamed.count, samples: [...unnamed.samples] } } : {}),
      ...(answers.count() > 0 ? { answers: answers.summary() } : {}),
    };
  }

  return { add, summary };
}

function bump(record: Record<string, number>, key: string): void {
  record[key] = (record[key] ?? 0) + 1;
}

/** First/last seen (by the moment, so formats whose text does not sort still order right) and the minute's count. */
function noteTime(cause: LogCause, minutes: Map<number, number>, time: string | undefined, timeMs: number | undefined): void {
  if (timeMs === undefined) {
    // Undated-but-stamped text (a time we cannot read): keep the text, never the order.
    if (time !== undefined) { cause.first ??= time; cause.last = time; }
    return;
  }
  if (cause.firstMs === undefined || timeMs < cause.firstMs) { cause.firstMs = timeMs; cause.first = time; }
  if (cause.lastMs === undefined || timeMs >= cause.lastMs) { cause.lastMs = timeMs; cause.last = time; }
  const minute = Math.floor(timeMs / 60_000);
  const n = minutes.get(minute);
  if (n !== undefined) minutes.set(minute, n + 1);
  else if (minutes.size < LOG_LIMITS.minutesPerCause) minutes.set(minute, 1);
}

function clip(line: string): string {
  return line.length > LOG_LIMITS.sampleChars ? `${line.slice(0, LOG_LIMITS.sampleChars)}…` : line;
}
