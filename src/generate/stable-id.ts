import { createHash } from 'node:crypto';

/**
 * A UUID-shaped id (version 5 layout, SHA-1) derived from `text`: the same text gives the same id
 * on every machine and every run, so generated files are byte-identical and re-importing one into
 * Postman replaces the earlier import instead of adding a copy.
 */
export function stableUuid(text: string): string {
  const hex = createHash('sha1').update(text).digest('hex');
  const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
