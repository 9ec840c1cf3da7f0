import { afterEach, describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { startLabBackend, type LabBackend } from '../../src/lab/backend.js';
import { formatFault, parseFault } from '../../src/lab/fault.js';
import { isPortFree } from '../../src/lab/ports.js';
import { routeLabRequest } from '../../src/lab/routes.js';
import { hit, hitInSequence, hitTogether } from './http.js';

describe('parseFault', () => {
  it('reads every documented form and round-trips through formatFault', () => {
    expect(parseFault('none')).toEqual({ kind: 'none' });
    expect(parseFault('down')).toEqual({ kind: 'down' });
    expect(parseFault('slow')).toEqual({ kind: 'slow', latencyMs: 10_000 });
    expect(parseFault('slow=250')).toEqual({ kind: 'slow', latencyMs: 250 });
    expect(parseFault('malformed')).toEqual({ kind: 'malformed' });
    expect(parseFault('crash-after=7')).toEqual({ kind: 'crash-after', requests: 7 });
    expect(parseFault('500')).toEqual({ kind: 'status', status: 500 });
    expect(parseFault(' 503 ')).toEqual({ kind: 'status', status: 503 });
    for (const text of ['none', 'down', 'slow=250', 'malformed', 'crash-after=7', '500', '503']) {
      expect(formatFault(parseFault(text))).toBe(text);
    }
  });

  it('rejects anything else with an InputError naming the accepted forms', () => {
    for (const text of ['404', 'crash-after', 'crash-after=-1', 'slow=fast', 'explode']) {
      expect(() => parseFault(text)).toThrow(InputError);
    }
    try {
      parseFault('explode');
    } catch (error) {
      expect((error as InputError).problems.join()).toContain('crash-after=N');
    }
  });
});

describe('routeLabRequest', () => {
  const route = (method: string, path: string, body?: unknown, query: Record<string, string> = {}) => routeLabRequest({ method, path, query, body });
  it('answers health, users, a user, echoes the rest of /api, 404s the unknown', () => {
    expect(route('GET', '/health')).toEqual({ status: 200, body: { status: 'ok' } });
    const list = route('GET', '/api/users', undefined, { page: '2' });
    expect(list.status).toBe(200);
    expect((list.body as { users: unknown[]; page: string }).users).toHaveLength(3);
    expect((list.body as { page: string }).page).toBe('2');
    expect(route('POST', '/api/users', { name: 'x' })).toEqual({ status: 201, body: { id: 4, name: 'x' } });
    expect(route('GET', '/api/users/2')).toMatchObject({ status: 200, body: { id: 2, name: 'Grace Hopper' } });
    expect(route('GET', '/api/users/42')).toMatchObject({ status: 200, body: { id: 42 } });
    expect(route('GET', '/api/users/abc').status).toBe(404);
    expect(route('PUT', '/api/orders/9', { a: 1 }, { q: 'z' })).toEqual({
      status: 200,
      body: { method: 'PUT', path: '/api/orders/9', query: { q: 'z' }, body: { a: 1 } },
    });
    expect(route('GET', '/nope')).toMatchObject({ status: 404, body: { error: 'not found' } });
  });
});

describe('startLabBackend', () => {
  let backend: LabBackend | undefined;
  afterEach(async () => {
    await backend?.close();
    backend = undefined;
  });

  it('serves the routes on 127.0.0.1 and counts requests', async () => {
    backend = await startLabBackend();
    expect(backend.url).toBe(`http://127.0.0.1:${backend.port}`);
    expect(JSON.parse((await hit(backend.url, '/health')).body)).toEqual({ status: 'ok' });
    const posted = await hit(backend.url, '/api/users', { method: 'POST', body: '{"name":"Zoe"}' });
    expect(posted.status).toBe(201);
    expect(JSON.parse(posted.body)).toEqual({ id: 4, name: 'Zoe' });
    expect((await hit(backend.url, '/missing')).status).toBe(404);
    expect(backend.stats()).toEqual({ requests: 3, rejected: 0, peakInFlight: 1 });
  });

  it('capacity K: K requests at once all pass, K+1 at once lose exactly one socket', async () => {
    backend = await startLabBackend({ capacity: 3, latencyMs: 150 });
    const k = await hitTogether(backend.url, 3);
    expect(k.map((h) => h.status)).toEqual([200, 200, 200]);
    const kPlusOne = await hitTogether(backend.url, 4);
    expect(kPlusOne.filter((h) => h.status === 200)).toHaveLength(3);
    const dropped = kPlusOne.filter((h) => h.status === undefined);
    expect(dropped).toHaveLength(1);
    expect(dropped[0].error).toBe('ECONNRESET');
    expect(backend.stats()).toEqual({ requests: 7, rejected: 1, peakInFlight: 3 });
  });

  it('down: nothing listens, connecting is refused', async () => {
    backend = await startLabBackend({ fault: { kind: 'down' } });
    expect((await hit(backend.url)).error).toBe('ECONNREFUSED');
  });

  it('crash-after=N: N answers, then a dropped socket, then refused connections', async () => {
    backend = await startLabBackend({ fault: { kind: 'crash-after', requests: 2 } });
    const hits = await hitInSequence(backend.url, 4);
    expect(hits.map((h) => h.status ?? h.error)).toEqual([200, 200, 'ECONNRESET', 'ECONNREFUSED']);
    expect(backend.stats()).toMatchObject({ requests: 3, rejected: 1 });
  });

  it('status faults answer every route with 500 or 503', async () => {
    backend = await startLabBackend({ fault: parseFault('503') });
    expect((await hit(backend.url, '/health')).status).toBe(503);
    await backend.close();
    backend = await startLabBackend({ fault: parseFault('500') });
    expect((await hit(backend.url, '/api/users')).status).toBe(500);
  });

  it('malformed: Node\'s own HTTP parser refuses the answer too', async () => {
    backend = await startLabBackend({ fault: { kind: 'malformed' } });
    expect((await hit(backend.url)).error).toMatch(/^HPE_/);
  });

  it('close() ends pending slow answers and frees the port; twice is fine', async () => {
    backend = await startLabBackend({ fault: { kind: 'slow', latencyMs: 30_000 } });
    const pending = hit(backend.url);
    await new Promise((r) => setTimeout(r, 50));
    await backend.close();
    expect((await pending).error).toBe('ECONNRESET');
    expect(await isPortFree(backend.port)).toBe(true);
    await backend.close();
  });

  it('rejects bad options with every problem', async () => {
    await expect(startLabBackend({ capacity: 0, latencyMs: -1 })).rejects.toMatchObject({
      problems: ['capacity: must be a whole number ≥ 1', 'latency: must be a number of milliseconds ≥ 0'],
    });
  });
});
