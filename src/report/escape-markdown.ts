/**
 * Makes text inert in GitHub Markdown, tables included: backslash-escapes what starts emphasis,
 * links, code, strike-through or table cells (`* _ [ ] ` | ~ \`); turns `<`, `>` and `&` into
 * entities (no HTML); folds line breaks into spaces. Used inside a line, never at its start, so
 * line-start syntax (`#`, `-`, `1.`) cannot trigger; `(`, `)`, `!` are inert once `[`/`]` are escaped.
 * Every Markdown summary debug502 writes (run, ramp) goes through here.
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/\r\n|\r|\n/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`*[\]|~])/g, '\\$1')
    // An underscore inside a word (max_conns) never starts emphasis; only those at a word's edge can.
    .replace(/(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])/g, '\\_');
}
