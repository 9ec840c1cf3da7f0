import { readFileSync } from 'node:fs';
import Handlebars from 'handlebars';
import { PACKAGE_ROOT } from '../version.js';

/**
 * The report rooms' one Handlebars environment: isolated from the global instance, strict (a field
 * missing from a view is an error, not a silent blank), HTML-escaping every `{{value}}`. Templates
 * live in `templates/report/` and are compiled once per process. Every HTML report is a page of the
 * kit: `{{#> kitPage}} … {{/kitPage}}` around its own sections.
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

/** `templates/report/kit.css`: the one stylesheet every HTML report inlines (a report is one offline file). */
export const KIT_STYLES = readTemplate('kit.css');

/** The compiled template `templates/report/<fileName>`; its partials are registered on first use. */
export function loadReportTemplate(fileName: string): Handlebars.TemplateDelegate {
  if (!partialsRegistered) {
    // Compiled here, not registered as text, so the partials are strict too.
    // The kit: every HTML report is a kitPage (header, verdict, tiles, next steps, details, one stylesheet).
    handlebars.registerPartial('kitPage', handlebars.compile(readTemplate('kit-page.html.hbs'), { strict: true }));
    handlebars.registerPartial('kitTiles', handlebars.compile(readTemplate('kit-tiles.html.hbs'), { strict: true }));
    // The stylesheet is the kit's own text, not a template: it goes into <style> as it is.
    handlebars.registerPartial('kitStyles', () => KIT_STYLES);
    handlebars.registerPartial('lineChart', handlebars.compile(readTemplate('line-chart.svg.hbs'), { strict: true }));
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
