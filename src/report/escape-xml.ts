/**
 * Escapes text for XML 1.0 content and attributes, dropping the characters XML cannot carry at all
 * (control characters other than tab/newline/return, lone surrogates, U+FFFE/U+FFFF). Every JUnit
 * file debug502 writes goes through here.
 */
export function escapeXml(text: string): string {
  // Most text needs nothing: a 100,000-step JUnit file escapes millions of names and numbers.
  if (!NEEDS_WORK.test(text)) return text;
  return text
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** Any character escapeXml or escapeXmlAttribute changes or drops (and tab, which they keep). */
const NEEDS_WORK = /[&<>"'\u0000-\u001F\uD800-\uDFFF\uFFFE\uFFFF]/;

/** `escapeXml()` for attribute values, where a raw line break would be normalised to a space. */
export function escapeXmlAttribute(text: string): string {
  if (!NEEDS_WORK.test(text)) return text;
  return escapeXml(text).replace(/\r/g, '&#13;').replace(/\n/g, '&#10;');
}
