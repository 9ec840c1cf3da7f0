/**
 * reserveDeadPort: a port that refuses connections and that a server started on port 0 (any other
 * test's, running beside this one) cannot be handed — it lies below the kernel's ephemeral range.
 */
import { readFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { expect, test } from 'vitest';
import { reserveDeadPort } from '../../src/lab/ports.js';

const ephemeralLow = (() => {
  try {
    return Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
  } catch {
    return 32768;
  }
})();

test('below the ephemeral range, and connecting to it is refused', async () => {
  for (let i = 0; i < 5; i++) {
    const port = await reserveDeadPort();
    expect(port).toBeGreaterThanOrEqual(20_000);
    expect(port).toBeLessThan(ephemeralLow);
    const code = await new Promise<string>((resolve) => {
      const socket = createConnection({ host: '127.0.0.1', port });
      socket.once('connect', () => (socket.destroy(), resolve('connected')));
      socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
    });
    expect(code).toBe('ECONNREFUSED');
  }
});
