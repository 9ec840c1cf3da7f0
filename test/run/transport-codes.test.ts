/**
 * What postman-request really reports, through the newman adapter, for each way a connection can
 * fail — on real loopback sockets. decideVerdict's table is built on these codes.
 */
import type { Socket } from 'node:net';
import { afterAll, describe, expect, test } from 'vitest';
import { runNewman } from '../../src/engines/newman.js';
import type { RequestOutcome } from '../../src/model.js';
import { deadPort, HAS_PYTHON, startFullBacklogListener, startRawServer, type RawServer } from './helpers.js';

const SCHEMA = 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json';
const TIMEOUT_MS = 400;
const servers: RawServer[] = [];
afterAll(() => Promise.all(servers.map((s) => s.close())));

function collectionFor(url: string, testScript: string[] = []) {
  return {
    info: { name: 'probe', schema: SCHEMA },
    item: [{ name: 'probe', request: { method: 'GET', url }, event: [{ listen: 'test', script: { exec: testScript } }] }],
  };
}

async function outcomeOf(url: string, testScript?: string[]): Promise<RequestOutcome> {
  const outcomes: RequestOutcome[] = [];
  await runNewman({ collection: collectionFor(url, testScript), timeoutRequestMs: TIMEOUT_MS }, { onOutcome: (o) => outcomes.push(o) });
  expect(outcomes).toHaveLength(1);
  return outcomes[0];
}

/** A raw server (see startRawServer), closed after all tests; resolves to its port. */
async function rawServer(onData?: (socket: Socket) => void): Promise<number> {
  const server = await startRawServer(onData);
  servers.push(server);
  return server.port;
}

describe('transport error codes from real sockets', () => {
  test('nothing listening → ECONNREFUSED', async () => {
    expect((await outcomeOf(`http://127.0.0.1:${await deadPort()}/`)).error).toBe('ECONNREFUSED');
  });

  test('a *.invalid host → ENOTFOUND', async () => {
    expect((await outcomeOf('http://backend.invalid:8080/')).error).toMatch(/^(ENOTFOUND|EAI_AGAIN)$/);
  });

  test('accepted but never answered → ESOCKETTIMEDOUT (a read timeout, not a connect timeout)', async () => {
    const outcome = await outcomeOf(`http://127.0.0.1:${await rawServer()}/`);
    expect(outcome.error).toBe('ESOCKETTIMEDOUT');
    expect(outcome.status).toBeUndefined();
  });

  test('closed without an answer → ECONNRESET "socket hang up"; a reset → ECONNRESET "read ECONNRESET"', async () => {
    const closed = await outcomeOf(`http://127.0.0.1:${await rawServer((s) => s.end())}/`);
    expect([closed.error, closed.errorMessage]).toEqual(['ECONNRESET', 'socket hang up']);
    const reset = await outcomeOf(`http://127.0.0.1:${await rawServer((s) => s.resetAndDestroy())}/`);
    expect([reset.error, reset.errorMessage]).toEqual(['ECONNRESET', 'read ECONNRESET']);
  });

  test('malformed answers → HPE_* parse errors', async () => {
    const header = await rawServer((s) => s.end('HTTP/1.1 200 OK\r\nX-Lab Broken\u0000Header\r\nContent-Length: 2\r\n\r\n{}'));
    expect((await outcomeOf(`http://127.0.0.1:${header}/`)).error).toBe('HPE_INVALID_HEADER_TOKEN');
    const notHttp = await rawServer((s) => s.end('hello\r\n\r\n'));
    expect((await outcomeOf(`http://127.0.0.1:${notHttp}/`)).error).toBe('HPE_INVALID_CONSTANT');
    const status = await rawServer((s) => s.end('HTTP/1.1 abc OK\r\n\r\n'));
    expect((await outcomeOf(`http://127.0.0.1:${status}/`)).error).toBe('HPE_INVALID_STATUS');
  });

  test.skipIf(!HAS_PYTHON)('a listener whose accept queue is full (SYNs dropped) → ETIMEDOUT (connect timeout)', async () => {
    const listener = await startFullBacklogListener();
    try {
      expect((await outcomeOf(`http://127.0.0.1:${listener.port}/`)).error).toBe('ETIMEDOUT');
    } finally {
      listener.close();
    }
  });
});

describe('newman adapter details run relies on', () => {
  test('a transport error passes "No 502 errors" (no status) but fails the latency test', async () => {
    const outcome = await outcomeOf(`http://127.0.0.1:${await deadPort()}/x`, [
      'pm.test("No 502 errors", function () { pm.expect(pm.response.code).to.not.equal(502); });',
      'pm.test("Response under 5 seconds", function () { pm.expect(pm.response.responseTime).to.be.below(5000); });',
    ]);
    expect(outcome.tests.map((t) => [t.name, t.passed])).toEqual([['No 502 errors', true], ['Response under 5 seconds', false]]);
  });

  test('a test script that throws counts as a failed test', async () => {
    const outcome = await outcomeOf(`http://127.0.0.1:${await deadPort()}/`, ['throw new Error("boom")']);
    expect(outcome.tests).toEqual([{ name: 'Test script error', passed: false, message: 'Error: boom' }]);
  });

  test('the request key strips the route variable, the same on both routes', async () => {
    const outcomes: RequestOutcome[] = [];
    const collection = {
      info: { name: 'k', schema: SCHEMA },
      item: ['gateway_url', 'backend_url'].map((v) => ({ name: v, request: { method: 'post', url: `{{${v}}}/api/users?page=1` } })),
    };
    const port = await deadPort();
    await runNewman(
      { collection, envVars: { gateway_url: `http://127.0.0.1:${port}`, backend_url: `http://127.0.0.1:${port}` } },
      { onOutcome: (o) => outcomes.push(o) },
    );
    expect(outcomes.map((o) => [o.route, o.request])).toEqual([['gateway', 'POST /api/users?page=1'], ['backend', 'POST /api/users?page=1']]);
    expect(outcomes[0].itemId).toBeTruthy();
  });

  test('an aborted signal stops the run after the request in flight', async () => {
    const controller = new AbortController();
    const outcomes: RequestOutcome[] = [];
    const port = await deadPort();
    await runNewman(
      { collection: collectionFor(`http://127.0.0.1:${port}/`), iterationCount: 50, signal: controller.signal },
      { onOutcome: (o) => { outcomes.push(o); if (outcomes.length === 2) controller.abort(); } },
    );
    expect(outcomes.length).toBeGreaterThanOrEqual(2);
    expect(outcomes.length).toBeLessThan(50);
  });
});
