import type { RampReport } from '../../model.js';
import type { ReportFile } from '../report-file.js';
import { loadReportTemplate } from '../templates.js';
import { buildHtmlView } from './view/html-view.js';

export const RAMP_HTML_FILE = 'ramp.html';

/**
 * `ramp.html`: one self-contained page (inline CSS and SVG, no scripts, fonts or links to fetch) with
 * the verdict, per target the headline facts, a chart of 502 ratio and p95 latency against
 * concurrency with the breaking point marked, and the step table; then the run's options. Every
 * text from the report is HTML-escaped by the strict Handlebars template `templates/report/ramp.html.hbs`.
 */
export function renderHtml(report: RampReport): ReportFile[] {
  const template = loadReportTemplate('ramp.html.hbs');
  return [{ name: RAMP_HTML_FILE, content: template(buildHtmlView(report)) }];
}
