/**
 * Masks secret values (src/postman/secret-values.ts finds them) as `***` in text and in report
 * data, in the forms they take on the way out: as they are, JSON-escaped, URL-encoded.
 */

/** What a secret becomes. */
export const MASK = '***';

/**
 * Values shorter than this are not masked: a 1–3 character "secret" (`1`, `dev`) would turn
 * ordinary text — status codes, numbers, words — into asterisks and make every report unreadable.
 */
export const MIN_SECRET_LENGTH = 4;

/** Replaces every secret in a text with `***`; the identity when there is none. */
export type Mask = (text: string) => string;

export const NO_MASK: Mask = (text) => text;

/** A Mask for `secrets` (any order; duplicates and short ones dropped). Pure. */
export function createMask(secrets: Iterable<string>): Mask {
  const forms = new Set<string>();
  for (const secret of secrets) {
    if (secret.length < MIN_SECRET_LENGTH) continue;
    forms.add(secret);
    forms.add(JSON.stringify(secret).slice(1, -1));
    forms.add(encodeURIComponent(secret));
  }
  if (forms.size === 0) return NO_MASK;
  // Longest first, so a secret that contains another is masked whole.
  const pattern = new RegExp([...forms].sort((a, b) => b.length - a.length).map(escapeRegExp).join('|'), 'g');
  return (text) => (text.length < MIN_SECRET_LENGTH ? text : text.replace(pattern, MASK));
}

/**
 * `value` with every string in it (object keys included) masked: for report data, before it is
 * rendered or written. Returns a copy; the input is not changed. Walks without recursion.
 */
export function maskDeep<T>(value: T, mask: Mask): T {
  if (mask === NO_MASK) return value;
  const copy = (node: unknown): unknown => (typeof node === 'string' ? mask(node) : Array.isArray(node) ? [...node] : isObject(node) ? { ...node } : node);
  const root = { value: copy(value) };
  const stack: unknown[] = [root.value];
  while (stack.length > 0) {
    const node = stack.pop();
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) {
        node[i] = copy(node[i]);
        stack.push(node[i]);
      }
    } else if (isObject(node)) {
      for (const key of Object.keys(node)) {
        const child = copy(node[key]);
        const maskedKey = mask(key);
        if (maskedKey !== key) delete node[key];
        node[maskedKey] = child;
        stack.push(child);
      }
    }
  }
  return root.value as T;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
