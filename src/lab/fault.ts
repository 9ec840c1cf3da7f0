import { InputError } from '../errors.js';

/**
 * How the lab backend misbehaves — one fault per cause of 502 in the guide.
 * - `down`: the port is reserved, then closed, so connecting is refused (ECONNREFUSED).
 * - `slow`: every answer comes after `latencyMs` (above the gateway timeout → 504).
 * - `malformed`: a raw answer with an invalid header line (nginx: "upstream sent invalid header").
 * - `crash-after`: requests 1..N are served; request N+1 makes the server destroy its sockets and
 *   stop listening (nginx: "upstream prematurely closed connection", then "connect() failed").
 * - `status`: every answer is a 500 or 503.
 * - `keepalive-race`: the backend closes idle keep-alive connections after `idleMs`, and its close
 *   takes as long again to land (see startLabBackend): a request the gateway sends on such a pooled
 *   connection in that window is dropped unanswered — the keep-alive race, widened from the
 *   microseconds it lasts on loopback to something a test can hit. Direct requests, each on a fresh
 *   connection, never meet it.
 */
export type LabFault =
  | { kind: 'none' }
  | { kind: 'down' }
  | { kind: 'slow'; latencyMs: number }
  | { kind: 'malformed' }
  | { kind: 'crash-after'; requests: number }
  | { kind: 'status'; status: 500 | 503 }
  | { kind: 'keepalive-race'; idleMs: number };

/** The idle time of a bare `keepalive-race`: 1 s (Node's own default is 5 s, ALB's and nginx's 60 s). */
export const DEFAULT_KEEPALIVE_RACE_IDLE_MS = 1000;

/** The latency of a bare `slow`: twice the lab's default gateway timeout, so it ends in 504. */
export const DEFAULT_SLOW_LATENCY_MS = 10_000;

export const FAULT_SYNTAX = 'none|down|slow[=MS]|malformed|crash-after=N|500|503|keepalive-race[=MS]';

/**
 * Parses the `--fault` text: `none`, `down`, `slow` (10 s) or `slow=MS`, `malformed`,
 * `crash-after=N` (N ≥ 0), `500`, `503`, `keepalive-race` (1000 ms) or `keepalive-race=MS` (MS ≥ 1). Throws InputError naming the accepted forms otherwise.
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
  if (value === 'keepalive-race') return { kind: 'keepalive-race', idleMs: DEFAULT_KEEPALIVE_RACE_IDLE_MS };
  const race = /^keepalive-race=(\d+)$/.exec(value);
  if (race && Number(race[1]) >= 1) return { kind: 'keepalive-race', idleMs: Number(race[1]) };
  const crash = /^crash-after=(\d+)$/.exec(value);
  if (crash) return { kind: 'crash-after', requests: Number(crash[1]) };
  throw new InputError(
    `fault: unknown fault "${text}"`,
    [`fault: must be one of ${FAULT_SYNTAX}`],
    'e.g. --fault crash-after=20, --fault slow=8000 or --fault keepalive-race=500',
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
    case 'keepalive-race':
      return `keepalive-race=${fault.idleMs}`;
    default:
      return fault.kind;
  }
}
