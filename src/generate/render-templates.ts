import { readFileSync } from 'node:fs';
import Handlebars from 'handlebars';
import { PACKAGE_ROOT } from '../version.js';

/**
 * The generator's one Handlebars environment, isolated from the global instance and strict (a field
 * missing from a view is an error, not a silent blank). User text enters generated JavaScript only
 * through `{{json value}}`, which writes a JSON literal: a name like `x'); pm.globals.set(…` stays a
 * string. Templates live in `templates/generate/` and are compiled once per process.
 */
const handlebars = Handlebars.create();
handlebars.registerHelper('json', (value: unknown) => {
  if (value === undefined) throw new Error('json helper: value is undefined');
  return new handlebars.SafeString(JSON.stringify(value));
});

const TEMPLATE_DIR = new URL('templates/generate/', PACKAGE_ROOT);
const compiled = new Map<string, Handlebars.TemplateDelegate>();

function loadTemplate(fileName: string): Handlebars.TemplateDelegate {
  let template = compiled.get(fileName);
  if (!template) {
    // Markdown is not HTML: escaping would turn a quote into &quot; in the rendered text.
    const noEscape = fileName.endsWith('.md.hbs');
    template = handlebars.compile(readFileSync(new URL(fileName, TEMPLATE_DIR), 'utf8'), { strict: true, noEscape });
    compiled.set(fileName, template);
  }
  return template;
}

/** What the test script of one request needs; every field must be present (null when unused). */
export interface RequestTestsView {
  no502TestName: string;
  latencyTestName: string;
  /** Names the request in assertion messages, e.g. `Through gateway / List users`. */
  context: string;
  expectStatus: number | null;
  statusTestName: string | null;
}

/** The test script of one request, as the lines of a Postman `exec`. */
export function renderRequestTests(view: RequestTestsView): string[] {
  return toLines(loadTemplate('request-tests.js.hbs')(view));
}

export interface CollectionDescriptionView {
  gatewayFolder: string;
  backendFolder: string;
  healthFolder: string;
  healthRequest: string;
  healthPath: string | null;
  healthMethod: string | null;
  gatewayVariable: string;
  backendVariable: string;
  environments: string[];
  firstEnvironment: string;
  collectionFile: string;
  no502TestName: string;
  latencyTestName: string;
  maxResponseTimeMs: number;
}

/** The collection's Markdown description: how to use it. */
export function renderCollectionDescription(view: CollectionDescriptionView): string {
  return loadTemplate('collection-description.md.hbs')(view).trimEnd() + '\n';
}

function toLines(text: string): string[] {
  return text.replace(/\n+$/, '').split('\n');
}
