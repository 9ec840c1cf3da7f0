import { InputError } from '../errors.js';

/**
 * How the lab backend misbehaves — one fault per cause of 502 in the guide.
 * - `down`: the port is reserved, then closed, so connecting is refused (ECONNREFUSED).
 * - `slow`: every answer comes after `latencyMs` (above the gateway timeout → 504).
 * - `malformed`: a raw answer with an invalid header line (nginx: "upstream sent invalid header").
 * - `crash-after`: requests 1..N are served; request N+1 makes the server destroy its sockets and
 *   stop listening (nginx: "upstream prematurely closed connection", then "connect() failed").
 * - `status`: every answer is a 500 or 503.
 */
export type LabFault =
  | { kind: 'none' }
  | { kind: 'down' }
  | { kind: 'slow'; latencyMs: number }
  | { kind: 'malformed' }
  | { kind: 'crash-after'; requests: number }
  | { kind: 'status'; status: 500 | 503 };

/** The latency of a bare `slow`: twice the lab's default gateway timeout, so it ends in 504. */
export const DEFAULT_SLOW_LATENCY_MS = 10_000;

export const FAULT_SYNTAX = 'none|down|slow[=MS]|malformed|crash-after=N|500|503';

/**
 * Parses the `--fault` text: `none`, `down`, `slow` (10 s) or `slow=MS`, `malformed`,
 * `crash-after=N` (N ≥ 0), `500`, `503`. Throws InputError naming the accepted forms otherwise.
 */
export function parseFault(text: string): LabFault {
  const value = text.trim().toLowerCase();
  if (value === 'none' || value === '') return { kind: 'none' };
  if (value === 'down') return { kind: 'down' };
  if (value === 'malformed') return { kind: 'malformed' };
  if (value === '500' || value === '503') return { kind: 'status', status: Number(value) as 500 | 503 };
  if (value === 'slow') return { kind: 'slow', latencyMs: DEFAULT_SLOW_LATENCY_MS };
  const slow = /^slow=(\d+)$/.exec(value);
  if (slow) return { kind: 'slow', latencyMs: Number(slow[1]) };
  const crash = /^crash-after=(\d+)$/.exec(value);
  if (crash) return { kind: 'crash-after', requests: Number(crash[1]) };
  throw new InputError(
    `fault: unknown fault "${text}"`,
    [`fault: must be one of ${FAULT_SYNTAX}`],
    'e.g. --fault crash-after=20 or --fault slow=8000',
  );
}

/** The inverse of parseFault, for printing (`crash-after=5`, `slow=8000`, `503`). */
export function formatFault(fault: LabFault): string {
  switch (fault.kind) {
    case 'slow':
      return `slow=${fault.latencyMs}`;
    case 'crash-after':
      return `crash-after=${fault.requests}`;
    case 'status':
      return String(fault.status);
    default:
      return fault.kind;
  }
}
