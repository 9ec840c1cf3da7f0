/**
 * CSV as Python's csv module writes it (Locust's stats files): comma separated, fields with a comma,
 * quote or line break quoted, quotes doubled, rows ended by \r\n or \n. Pure.
 */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i += 1;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/** Rows as objects keyed by the header row, and the `required` columns the header lacks. */
export function readCsvTable(text: string, required: readonly string[]): { rows: Record<string, string>[]; missing: string[] } {
  const [header = [], ...body] = parseCsv(text);
  const missing = required.filter((name) => !header.includes(name));
  const rows = body.filter((r) => r.length > 1 || r[0] !== '').map((r) => Object.fromEntries(header.map((name, i) => [name, r[i] ?? ''])));
  return { rows, missing };
}
