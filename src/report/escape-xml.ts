/**
 * Escapes text for XML 1.0 content and attributes, dropping the characters XML cannot carry at all
 * (control characters other than tab/newline/return, lone surrogates, U+FFFE/U+FFFF). Every JUnit
 * file debug502 writes goes through here.
 */
export function escapeXml(text: string): string {
  return text
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** `escapeXml()` for attribute values, where a raw line break would be normalised to a space. */
export function escapeXmlAttribute(text: string): string {
  return escapeXml(text).replace(/\r/g, '&#13;').replace(/\n/g, '&#10;');
}
