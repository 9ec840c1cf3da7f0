/** One rendered report file: a bare file name (no directories) and its whole text. */
export interface ReportFile {
  /** e.g. `ramp.html`; the writer joins it to the report directory. */
  name: string;
  /** The whole text (for a chunked file, joined when read: see chunkedReportFile). */
  content: string;
  /**
   * For files that can be big (ramp.json, ramp.junit.xml of a 100,000-step report): the same text
   * in chunks, made as they are written, so the whole text is never held. Writers prefer it.
   */
  chunks?: () => Iterable<string>;
  /**
   * What `$GITHUB_STEP_SUMMARY` gets instead of the whole text, when the file can outgrow GitHub's
   * 1 MiB a step (run.md of a 20,000-endpoint collection): a copy that keeps the answer and
   * bounds its tables. Absent: the whole text.
   */
  stepSummary?: () => string;
}

/** A file reporter is pure: the same report always renders to the same files, and nothing is written. */
export type RenderReport<Report> = (report: Report) => ReportFile[];

/**
 * A report file whose text `chunks()` makes piece by piece: writers iterate the chunks; `content`
 * joins them when something reads it (a test, the step summary), each time it is read.
 */
export function chunkedReportFile(name: string, chunks: () => Iterable<string>): ReportFile {
  return {
    name,
    get content() {
      return [...chunks()].join('');
    },
    chunks,
  };
}
