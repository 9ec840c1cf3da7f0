/** Small aligned tables and number formatting for the bench's output. */

/** `1234.5` → `1,235`; small numbers keep `digits` decimals. */
export function num(value, digits = 0) {
  if (value === null || value === undefined || Number.isNaN(value)) return '–';
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** A ratio as `0.42×`; small ones keep two significant digits (`0.0045×`), so they never read 0.00. */
export function ratio(value) {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–';
  return Math.abs(value) < 0.095 && value !== 0 ? `${value.toPrecision(2)}×` : `${value.toFixed(2)}×`;
}

/**
 * Prints `rows` (arrays of cells) under `header`, every column padded to its widest cell. `align`
 * has one letter per column, `l` or `r`; by default the first column is left-aligned and the others
 * right-aligned (they hold numbers).
 */
export function printTable(header, rows, align = 'l' + 'r'.repeat(header.length - 1)) {
  const all = [header, ...rows].map((row) => row.map((cell) => String(cell)));
  const widths = header.map((_, i) => Math.max(...all.map((row) => (row[i] ?? '').length)));
  const line = (row) => ('  ' + row.map((cell, i) => (align[i] === 'l' ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ')).trimEnd();
  console.log(line(all[0]));
  console.log('  ' + widths.map((w) => '─'.repeat(w)).join('  '));
  for (const row of all.slice(1)) console.log(line(row));
}

/** A section heading. */
export function printHeading(title) {
  console.log(`\n━━ ${title} ${'━'.repeat(Math.max(3, 76 - title.length))}`);
}

/** `→ name: 0.42×  (what it means)` */
export function printRatio(name, value, meaning) {
  console.log(`  → ${name}: ${ratio(value)}${meaning ? `  (${meaning})` : ''}`);
}

/** Median of a non-empty list of numbers. */
export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
