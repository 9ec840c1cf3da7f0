import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runNewman } from '../../src/engines/newman.js';
import { routeOfUrl } from '../../src/postman/route.js';
import type { RequestOutcome } from '../../src/model.js';

let server: http.Server;
let baseUrl: string;

beforeAll(async () => {
  // 20 ms per answer: slow enough that an abort lands while requests are in flight.
  server = http.createServer((_req, res) => setTimeout(() => res.end('{"ok":true}'), 20));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const collection = {
  info: { name: 'engine', schema: 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json' },
  item: [
    {
      name: 'Ping',
      request: { method: 'GET', url: '{{gateway_url}}/ping' },
      event: [{ listen: 'test', script: { exec: ['pm.test("No 502 errors", function () { pm.expect(pm.response.code).to.not.equal(502); });'] } }],
    },
  ],
};

describe('runNewman', () => {
  it('reports one outcome per request, with route, status and tests', async () => {
    const outcomes: RequestOutcome[] = [];
    const summary = await runNewman({ collection, envVars: { gateway_url: baseUrl }, iterationCount: 3 }, { onOutcome: (o) => outcomes.push(o) });
    expect(summary.requests).toBe(3);
    expect(outcomes).toHaveLength(3);
    expect(outcomes[0]).toMatchObject({ route: 'gateway', item: 'Ping', status: 200, tests: [{ name: 'No 502 errors', passed: true }] });
  });

  it('gives a transport error code, not a status, when nothing listens', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const outcomes: RequestOutcome[] = [];
    await runNewman({ collection, envVars: { gateway_url: `http://127.0.0.1:${port}` } }, { onOutcome: (o) => outcomes.push(o) });
    expect(outcomes).toHaveLength(1);
    expect(outcomes[0].status).toBeUndefined();
    expect(outcomes[0].error).toBe('ECONNREFUSED');
  });

  it('after an abort, every request it counted still has its outcome, and no new request starts', async () => {
    const controller = new AbortController();
    const outcomes: RequestOutcome[] = [];
    let started = 0;
    const summary = await runNewman(
      { collection, envVars: { gateway_url: baseUrl }, iterationCount: 1000, signal: controller.signal },
      {
        onRequestStart: () => {
          if (++started === 5) controller.abort();
        },
        onOutcome: (o) => outcomes.push(o),
      },
    );
    expect(summary.requests).toBeLessThan(1000);
    expect(summary.requests).toBeGreaterThanOrEqual(4);
    expect(outcomes).toHaveLength(summary.requests);
    expect(started).toBeLessThanOrEqual(summary.requests + 1);
  });

  it('tells the route from the URL variable a request uses', () => {
    expect(routeOfUrl('{{gateway_url}}/a')).toBe('gateway');
    expect(routeOfUrl('{{ backend_url }}/a')).toBe('backend');
    expect(routeOfUrl('https://example.test/a')).toBeNull();
  });
});
