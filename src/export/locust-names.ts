/**
 * The names the generated locustfile gives its statistics, read back: `[gateway] List users` is a
 * 200 within the latency limit; a suffix says what else happened — ` :: HTTP 404` (another status),
 * ` :: HTTP 502` (a --fail-on status: failed), ` :: ECONNRESET` (no response: failed),
 * ` :: Response under 5 seconds` (too slow; ` :: HTTP 201 :: Response under …` for another status).
 */
import type { RampTarget } from '../model.js';

export type LocustOutcome =
  | { kind: 'status'; status: number; slow: boolean }
  | { kind: 'transport'; code: string };

export interface LocustName {
  target: RampTarget;
  item: string;
  outcome: LocustOutcome;
}

const PREFIX = /^\[(gateway|backend)\] ([\s\S]*)$/;
const SLOW = / :: Response under [\d.]+ seconds?$/;
const STATUS = / :: HTTP (\d{3})$/;
const TRANSPORT = / :: ([A-Za-z][A-Za-z0-9_]*)$/;

/**
 * The target, item and outcome of a stats name; null when it is not one the locustfile writes.
 * `allFailed` (every request under the name failed) tells a transport code from an item whose own
 * name ends in ` :: Word`.
 */
export function parseLocustName(name: string, allFailed: boolean): LocustName | null {
  const match = PREFIX.exec(name);
  if (!match) return null;
  const target = match[1] as RampTarget;
  let rest = match[2];
  const slow = SLOW.test(rest);
  if (slow) rest = rest.replace(SLOW, '');
  const status = STATUS.exec(rest);
  if (status) return { target, item: rest.slice(0, status.index), outcome: { kind: 'status', status: Number(status[1]), slow } };
  const transport = slow ? null : TRANSPORT.exec(rest);
  if (transport && allFailed) return { target, item: rest.slice(0, transport.index), outcome: { kind: 'transport', code: transport[1] } };
  return { target, item: rest, outcome: { kind: 'status', status: 200, slow } };
}
