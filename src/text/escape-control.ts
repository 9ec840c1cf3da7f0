/**
 * Control characters never reach a terminal or a human-facing report raw: a NUL or ESC in an item
 * name, a log line or a tampered ramp.json would otherwise move the cursor, clear the screen,
 * retitle the window or cut a Markdown table. They become visible escapes (`\x1b`, `\x00`).
 */

/** C0 controls but tab, line feed and carriage return; DEL; C1 controls. */
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g;
/** Every control character, line breaks and tabs included: for text that must stay on one line. */
const CONTROL_IN_LINE = /[\u0000-\u001F\u007F-\u009F]/g;
/** The one escape sequence debug502 writes itself: erase to the end of the line (progress bars). */
const ERASE_LINE = '\u001b[K';

function visible(char: string): string {
  const named: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };
  return named[char] ?? `\\x${char.charCodeAt(0).toString(16).padStart(2, '0')}`;
}

/** `text` with its control characters as visible escapes; tabs and line breaks are kept. Pure. */
export function escapeControlChars(text: string): string {
  return text.replace(CONTROL, visible);
}

/** `text` on one line: every control character, tabs and line breaks included, escaped. Pure. */
export function escapeControlCharsInLine(text: string): string {
  return text.replace(CONTROL_IN_LINE, visible);
}

/**
 * Terminal output: as escapeControlChars, except that debug502's own erase-line sequence (written
 * after `\r` by the progress bars) passes. Anything else an input brought in is shown, not obeyed.
 */
export function sanitizeTerminalText(text: string): string {
  if (!text.includes(ERASE_LINE)) return escapeControlChars(text);
  return text.split(ERASE_LINE).map(escapeControlChars).join(ERASE_LINE);
}
