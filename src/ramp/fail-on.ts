/**
 * `--fail-on`: what counts as a failed request in a step, besides transport errors (always). Takes
 * statuses (`502`), ranges (`502-504`), classes (`5xx`) and `slow` — the guide's latency test: a
 * request slower than the collection's `max_response_time_ms` fails. Pure.
 */

/** What `--fail-on` names: the statuses that fail, and whether a slow answer fails too. */
export interface FailOnSpec {
  statuses: number[];
  slow: boolean;
}

/**
 * Parses `--fail-on` items (already split on commas): `502`, `502-504`, `5xx`, `slow`, any case.
 * Returns the sorted statuses without duplicates and the `slow` flag, or the problems found, one
 * per bad item, worded for the option.
 */
export function parseFailOn(items: readonly (number | string)[]): FailOnSpec | { problems: string[] } {
  const statuses = new Set<number>();
  const problems: string[] = [];
  let slow = false;
  if (items.length === 0) return { problems: ['--fail-on: name at least one HTTP status, range or class, e.g. 502, 502-504, 5xx, slow'] };
  for (const item of items) {
    const text = String(item).trim().toLowerCase();
    const range = /^(\d{3})-(\d{3})$/.exec(text);
    const klass = /^([1-5])xx$/.exec(text);
    if (text === 'slow') slow = true;
    else if (/^\d{3}$/.test(text) && isStatus(Number(text))) statuses.add(Number(text));
    else if (klass) for (let s = Number(klass[1]) * 100; s <= Number(klass[1]) * 100 + 99; s++) statuses.add(s);
    else if (range && isStatus(Number(range[1])) && isStatus(Number(range[2])) && Number(range[1]) <= Number(range[2])) {
      for (let s = Number(range[1]); s <= Number(range[2]); s++) statuses.add(s);
    } else problems.push(`--fail-on: "${item}" is not an HTTP status (100–599), a range (502-504), a class (5xx) or "slow"`);
  }
  if (problems.length > 0) return { problems };
  return { statuses: [...statuses].sort((a, b) => a - b), slow };
}

const isStatus = (n: number): boolean => Number.isInteger(n) && n >= 100 && n <= 599;
