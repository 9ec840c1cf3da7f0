/** One rendered report file: a bare file name (no directories) and its whole text. */
export interface ReportFile {
  /** e.g. `ramp.html`; the writer joins it to the report directory. */
  name: string;
  content: string;
}

/** A file reporter is pure: the same report always renders to the same files, and nothing is written. */
export type RenderReport<Report> = (report: Report) => ReportFile[];
