/**
 * JavaScript values as Python literals, for generated locustfiles: strings as JSON string literals
 * (also valid Python: `"`, `\` and control characters escaped, so no user text can end the literal),
 * null → None, booleans → True/False, arrays → lists, objects → dicts. Anything else is a bug and throws.
 */
export function toPythonLiteral(value: unknown): string {
  if (value === null) return 'None';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`toPythonLiteral: ${value} has no Python literal`);
    return String(value);
  }
  if (Array.isArray(value)) return `[${value.map(toPythonLiteral).join(', ')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}: ${toPythonLiteral(v)}`).join(', ')}}`;
  }
  throw new TypeError(`toPythonLiteral: a ${typeof value} has no Python literal`);
}
