import type { z } from 'zod';

/** The little of a zod definition the walk needs; zod 4 exposes it as `schema.def`. */
interface SchemaDef {
  type: string;
  shape?: Record<string, z.ZodType>;
  innerType?: z.ZodType;
  element?: z.ZodType;
  valueType?: z.ZodType;
}

const defOf = (schema: z.ZodType | undefined): SchemaDef | undefined => schema?.def as SchemaDef | undefined;

/**
 * Returns a copy of `value` whose object keys follow the order of `schema`'s shapes: known keys in
 * schema order, unknown keys after them in their original order (kept, never dropped), record keys
 * sorted (numeric strings numerically, then the rest alphabetically). Total: never throws, whatever
 * the value, so rendering a slightly-off report still writes every field.
 */
export function orderKeysLike(value: unknown, schema: z.ZodType | undefined): unknown {
  let def = defOf(schema);
  while (def && (def.type === 'optional' || def.type === 'nullable')) def = defOf(def.innerType);
  if (Array.isArray(value)) {
    return value.map((item) => orderKeysLike(item, def?.type === 'array' ? def.element : undefined));
  }
  if (value === null || typeof value !== 'object') return value;
  const source = value as Record<string, unknown>;
  const ordered: Record<string, unknown> = {};
  if (def?.type === 'object' && def.shape) {
    for (const [key, child] of Object.entries(def.shape)) {
      if (key in source && source[key] !== undefined) ordered[key] = orderKeysLike(source[key], child);
    }
    for (const key of Object.keys(source)) {
      if (!(key in ordered)) ordered[key] = orderKeysLike(source[key], undefined);
    }
    return ordered;
  }
  const valueSchema = def?.type === 'record' ? def.valueType : undefined;
  for (const key of Object.keys(source).sort(compareKeys)) ordered[key] = orderKeysLike(source[key], valueSchema);
  return ordered;
}

/** "200" < "502" < "ECONNRESET" < "ETIMEDOUT": numbers first, numerically, then text. */
function compareKeys(a: string, b: string): number {
  const numberA = /^\d+$/.test(a) ? Number(a) : NaN;
  const numberB = /^\d+$/.test(b) ? Number(b) : NaN;
  if (!Number.isNaN(numberA) && !Number.isNaN(numberB)) return numberA - numberB;
  if (!Number.isNaN(numberA)) return -1;
  if (!Number.isNaN(numberB)) return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}
