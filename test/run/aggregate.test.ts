import { describe, expect, test } from 'vitest';
import type { RequestOutcome } from '../../src/model.js';
import { aggregateRun, severityOf } from '../../src/run/aggregate.js';

const tests = (latencyOk: boolean) => [
  { name: 'No 502 errors', passed: true },
  { name: 'Response under 5 seconds', passed: latencyOk, ...(latencyOk ? {} : { message: 'expected 6000 to be below 5000' }) },
];
const outcome = (over: Partial<RequestOutcome>): RequestOutcome => ({
  route: 'gateway', item: 'List users', request: 'GET /api/users', status: 200, latencyMs: 10, tests: tests(true), ...over,
});

describe('aggregateRun', () => {
  test('pairs gateway and backend items by name, one endpoint each, in collection order', () => {
    const { endpoints, totals } = aggregateRun([
      outcome({ item: 'List users', status: 502 }),
      outcome({ item: 'Create user', request: 'POST /api/users' }),
      outcome({ route: 'backend', item: 'List users' }),
      outcome({ route: 'backend', item: 'Create user', request: 'POST /api/users' }),
    ], 5000);
    expect(endpoints.map((e) => [e.name, e.gateway?.status, e.backend?.status, e.verdict.code])).toEqual([
      ['List users', 502, 200, 'gateway-misconfigured'],
      ['Create user', 200, 200, 'ok'],
    ]);
    expect(totals).toEqual({ requests: 4, tests: 8, failedTests: 0, endpoints: 2, notOk: 1 });
  });

  test('pairs by method and path when the names differ', () => {
    const { endpoints } = aggregateRun([
      outcome({ item: 'List users via gateway' }),
      outcome({ route: 'backend', item: 'List users direct', error: 'ECONNREFUSED', status: undefined, tests: tests(false) }),
    ], 5000);
    expect(endpoints).toHaveLength(1);
    expect(endpoints[0].name).toBe('List users via gateway');
    expect(endpoints[0].backend?.error).toBe('ECONNREFUSED');
    expect(endpoints[0].backend?.failedTests).toEqual(['Response under 5 seconds']);
  });

  test('keeps the worst observation per route over iterations, the union of failed tests, and the request count', () => {
    const { endpoints, totals } = aggregateRun([
      outcome({ status: 200, latencyMs: 30 }),
      outcome({ status: 502, latencyMs: 5 }),
      outcome({ status: 200, latencyMs: 6000, tests: tests(false) }),
      outcome({ route: 'backend', error: 'ECONNRESET', errorMessage: 'socket hang up', status: undefined, latencyMs: 2, tests: tests(false) }),
      outcome({ route: 'backend', status: 200, latencyMs: 40 }),
      outcome({ route: 'backend', status: 200, latencyMs: 50 }),
    ], 5000);
    const [endpoint] = endpoints;
    expect(endpoint.gateway).toMatchObject({ status: 502, latencyMs: 5, requests: 3, failedTests: ['Response under 5 seconds'] });
    expect(endpoint.backend).toMatchObject({ error: 'ECONNRESET', errorMessage: 'socket hang up', requests: 3 });
    expect(endpoint.backend?.status).toBeUndefined();
    expect(endpoint.verdict.code).toBe('backend-down');
    expect(totals.failedTests).toBe(2);
  });

  test('items with the same name but different ids stay apart', () => {
    const { endpoints } = aggregateRun([
      outcome({ item: 'Get', itemId: 'a', request: 'GET /a' }),
      outcome({ item: 'Get', itemId: 'b', request: 'GET /b', status: 502 }),
    ], 5000);
    expect(endpoints.map((e) => e.gateway?.status)).toEqual([200, 502]);
  });

  test('a backend-only request (health) is its own endpoint; requests with no route are only counted', () => {
    const { endpoints, totals } = aggregateRun([
      outcome({ route: 'backend', item: 'Check backend server health', request: 'GET /health' }),
      outcome({ route: null, item: 'Elsewhere', request: 'GET https://example.invalid/' }),
    ], 5000);
    expect(endpoints.map((e) => [e.name, e.gateway, e.verdict.code])).toEqual([['Check backend server health', undefined, 'ok']]);
    expect(totals).toMatchObject({ requests: 2, endpoints: 1, unrouted: 1 });
  });

  test('severity: transport error > 502 > 504 > 503 > other 5xx > failed tests > fine', () => {
    const ranks = [
      outcome({ error: 'ECONNREFUSED', status: undefined }), outcome({ status: 502 }), outcome({ status: 504 }),
      outcome({ status: 503 }), outcome({ status: 500 }), outcome({ tests: tests(false) }), outcome({}),
    ].map(severityOf);
    expect(ranks).toEqual([...ranks].sort((a, b) => b - a));
    expect(new Set(ranks).size).toBe(7);
  });
});
