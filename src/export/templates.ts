import { readFileSync } from 'node:fs';
import Handlebars from 'handlebars';
import { PACKAGE_ROOT } from '../version.js';
import { toPythonLiteral } from './python-literal.js';

/**
 * The export room's one Handlebars environment: strict (a field missing from a view is an error),
 * no HTML escaping (the output is code), and user text enters only through `{{py value}}` (a Python
 * literal) or `{{js value}}` (a JSON literal) — never raw. Templates live in `templates/export/`.
 */
const handlebars = Handlebars.create();
handlebars.registerHelper('py', (value: unknown) => {
  if (value === undefined) throw new Error('py helper: value is undefined');
  return toPythonLiteral(value);
});
handlebars.registerHelper('js', (value: unknown) => {
  if (value === undefined) throw new Error('js helper: value is undefined');
  return JSON.stringify(value);
});

const TEMPLATE_DIR = new URL('templates/export/', PACKAGE_ROOT);
const compiled = new Map<string, Handlebars.TemplateDelegate>();

/** Renders `templates/export/<fileName>` with `view`. */
export function renderExportTemplate(fileName: string, view: object): string {
  let template = compiled.get(fileName);
  if (!template) {
    template = handlebars.compile(readFileSync(new URL(fileName, TEMPLATE_DIR), 'utf8'), { strict: true, noEscape: true });
    compiled.set(fileName, template);
  }
  return template(view);
}
