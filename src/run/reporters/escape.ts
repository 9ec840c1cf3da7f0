/**
 * Escaping for the text reporters. User text (endpoint names, test names, error messages) reaches
 * XML and Markdown only through these.
 */

/** XML 1.0 forbids most control characters even as references; a malformed answer may carry them. */
const XML_INVALID = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

/** Escapes text for XML content and attribute values (both quote kinds), dropping forbidden characters. */
export function escapeXml(text: string): string {
  return text
    .replace(XML_INVALID, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/**
 * Escapes text for one cell of a GitHub-flavoured Markdown table: one line, no table breaks, no
 * emphasis or links, no raw HTML (GitHub renders HTML in step summaries).
 */
export function escapeMarkdownCell(text: string): string {
  return text
    .replace(/[\u0000-\u001F]+/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`*_[\]|#~!])/g, '\\$1')
    .trim();
}
