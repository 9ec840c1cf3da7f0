import { readFileSync } from 'node:fs';
import Handlebars from 'handlebars';
import { PACKAGE_ROOT } from '../version.js';

/**
 * The report rooms' one Handlebars environment: isolated from the global instance, strict (a field
 * missing from a view is an error, not a silent blank), HTML-escaping every `{{value}}`. Templates
 * live in `templates/report/` and are compiled once per process.
 */
const handlebars = Handlebars.create();
handlebars.registerHelper('eq', (a: unknown, b: unknown) => a === b);
// Chart label placement: offsets from coordinates the chart model computed (numbers only).
handlebars.registerHelper('add', (a: number, b: number) => Math.round((a + b) * 10) / 10);
handlebars.registerHelper('half', (a: number) => Math.round(a * 5) / 10);

const TEMPLATE_DIR = new URL('templates/report/', PACKAGE_ROOT);
const compiled = new Map<string, Handlebars.TemplateDelegate>();
let partialsRegistered = false;

const readTemplate = (fileName: string): string => readFileSync(new URL(fileName, TEMPLATE_DIR), 'utf8');

/** The compiled template `templates/report/<fileName>`; its partials are registered on first use. */
export function loadReportTemplate(fileName: string): Handlebars.TemplateDelegate {
  if (!partialsRegistered) {
    // Compiled here, not registered as text, so the partials are strict too.
    handlebars.registerPartial('rampChart', handlebars.compile(readTemplate('ramp-chart.svg.hbs'), { strict: true }));
    handlebars.registerPartial('stepTable', handlebars.compile(readTemplate('step-table.html.hbs'), { strict: true }));
    partialsRegistered = true;
  }
  let template = compiled.get(fileName);
  if (!template) {
    template = handlebars.compile(readTemplate(fileName), { strict: true });
    compiled.set(fileName, template);
  }
  return template;
}
