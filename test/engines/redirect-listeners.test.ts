/**
 * A redirect chain of the 10 hops newman follows sets off no MaxListenersExceededWarning (#29
 * minor): postman-request adds a listener per hop to one request (src/engines/redirect-listeners.ts).
 * Both engines follow the chain to its end; one hop more is the redirect-loop error in both.
 */
import http from 'node:http';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { runFast } from '../../src/engines/fast.js';
import { runNewman } from '../../src/engines/newman.js';
import type { RequestOutcome } from '../../src/model.js';

let server: http.Server;
let base: string;
let hits = 0;
beforeAll(async () => {
  // /r/N/H redirects to /r/N+1/H until N reaches H, which answers 200.
  server = http.createServer((req, res) => {
    hits += 1;
    const [, n, hops] = /^\/r\/(\d+)\/(\d+)$/.exec(req.url ?? '')!.map(Number);
    if (n < hops) res.writeHead(302, { location: `/r/${n + 1}/${hops}` }).end();
    else res.end('{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

test('10 redirects: no leak warning, the chain followed to its end by both engines; 11: the redirect-loop error', async () => {
  const warnings: Error[] = [];
  const onWarning = (warning: Error) => warnings.push(warning);
  process.on('warning', onWarning);
  try {
    for (const [hops, expected] of [[10, 200], [11, 'EUNKNOWN']] as const) {
      const collection = { info: { name: 'chain', schema: 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json' }, item: [{ name: 'chain', request: { method: 'GET', url: `${base}/r/0/${hops}` } }] };
      for (const run of [runNewman, runFast]) {
        hits = 0;
        const outcomes: RequestOutcome[] = [];
        await run({ collection, iterationCount: 2 }, { onOutcome: (outcome) => outcomes.push(outcome) });
        expect(outcomes.map((o) => o.status ?? o.error)).toEqual([expected, expected]);
        expect(hits).toBe(2 * 11);
      }
    }
    // A warning is emitted on the next tick.
    await new Promise((resolve) => setImmediate(resolve));
    expect(warnings.filter((w) => w.name === 'MaxListenersExceededWarning').map((w) => w.message)).toEqual([]);
  } finally {
    process.off('warning', onWarning);
  }
});
