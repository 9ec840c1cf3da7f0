import { parseDocument } from 'yaml';

/**
 * Parses YAML text as Postman's v3 files are written (duplicate keys are an error, as Postman's
 * lint says). Returns the value, or the first problems as `line L, column C: what` — never throws.
 */
export function parseYamlText(text: string): { value: unknown; errors: string[] } {
  const document = parseDocument(text, { uniqueKeys: true, prettyErrors: true });
  const errors = document.errors.slice(0, 3).map((error) => {
    const at = error.linePos?.[0];
    const what = error.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
    return `${at ? `line ${at.line}, column ${at.col}: ` : ''}${what}`;
  });
  return { value: errors.length > 0 ? undefined : document.toJS(), errors };
}
