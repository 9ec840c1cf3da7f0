/**
 * The fast engine's HTTP/1.1 client (src/engines/fast-http1.ts) against a scripted server on real
 * loopback sockets: each answer written as given, or in pieces that arrive as separate reads, so
 * every framing — length, chunked, to the close — is parsed across read boundaries; and whether
 * the connection is reused afterwards, which is what keeps a ramp's connection count honest.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, test } from 'vitest';
import { encodeRequest } from '../../src/engines/fast-encode.js';
import { Http1Agent } from '../../src/engines/fast-http1.js';

interface Scripted {
  origin: string;
  /** Connections accepted so far. */
  connections(): number;
  /** Every request's head as received. */
  heads: string[];
  close(): Promise<void>;
}

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

/**
 * A server answering the n-th request (over all connections) with `answers[n]`: a string written
 * whole, or pieces written one read apart; `after` says what the server does once it has written.
 */
async function scripted(answers: (string | string[])[], after: 'keep' | 'end' = 'keep'): Promise<Scripted> {
  const heads: string[] = [];
  const sockets = new Set<Socket>();
  let accepted = 0;
  const server = createServer((socket) => {
    accepted += 1;
    sockets.add(socket);
    socket.setNoDelay(true);
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
    let buffered = '';
    socket.on('data', async (data) => {
      buffered += data.toString('latin1');
      const end = buffered.indexOf('\r\n\r\n');
      if (end < 0) return;
      heads.push(buffered.slice(0, end));
      buffered = '';
      const answer = answers[heads.length - 1] ?? 'HTTP/1.1 500 Unscripted\r\nContent-Length: 0\r\n\r\n';
      for (const piece of Array.isArray(answer) ? answer : [answer]) {
        socket.write(piece);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      if (after === 'end') socket.end();
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    origin: `http://127.0.0.1:${port}`,
    connections: () => accepted,
    heads,
    close: async () => {
      for (const socket of sockets) socket.destroy();
    },
  };
}

/** `check` with a scripted server and a fresh agent, both closed after. */
async function withServer(answers: (string | string[])[], after: 'keep' | 'end', check: (server: Scripted, agent: Http1Agent) => Promise<void>): Promise<void> {
  const server = await scripted(answers, after);
  const agent = new Http1Agent({ rejectUnauthorized: true });
  try {
    await check(server, agent);
  } finally {
    await agent.close();
    await server.close();
  }
}

type Result = { status: number; location?: string } | { error: string; message: string };

function ask(agent: Http1Agent, origin: string, method = 'GET', wantLocation = false): Promise<Result> {
  const bytes = encodeRequest({ target: { origin, path: '/x' }, method, headers: ['Accept', '*/*'] });
  return new Promise((resolve) => {
    agent.send(origin, bytes, method, wantLocation, {
      onAnswer: (status, location) => resolve(location === undefined ? { status } : { status, location }),
      onFailure: (error) => resolve({ error: (error as { code?: string }).code ?? '?', message: error.message }),
    });
  });
}

/** Every single-byte split of `text`, as pieces. */
const bytes = (text: string) => [...text];

describe('answers framed across reads, the connection kept for the next request', () => {
  const cases: { name: string; answer: string | string[]; method?: string; status: number }[] = [
    { name: 'Content-Length, one byte a read', answer: bytes('HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello'), status: 200 },
    { name: 'chunked with an extension and trailers, one byte a read', answer: bytes('HTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n1A\r\nabcdefghijklmnopqrstuvwxyz\r\n0\r\nX-Trailer: 1\r\n\r\n'), status: 201 },
    { name: 'chunked, whole', answer: 'HTTP/1.1 200 OK\r\ntransfer-encoding: gzip, chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n', status: 200 },
    { name: '100 Continue, then the answer', answer: ['HTTP/1.1 100 Continue\r\n\r\n', 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}'], status: 200 },
    { name: 'a HEAD answer: a length, no body', answer: 'HTTP/1.1 200 OK\r\nContent-Length: 1234\r\n\r\n', method: 'HEAD', status: 200 },
    { name: '204 and 304 have no body', answer: 'HTTP/1.1 204 No Content\r\n\r\n', status: 204 },
    { name: 'Content-Length 0', answer: 'HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n', status: 502 },
  ];
  test.each(cases)('$name', async ({ answer, method, status }) => {
    await withServer([answer, 'HTTP/1.1 304 Not Modified\r\nETag: "1"\r\n\r\n'], 'keep', async (server, agent) => {
      expect(await ask(agent, server.origin, method)).toEqual({ status });
      expect(await ask(agent, server.origin)).toEqual({ status: 304 });
      expect(server.connections()).toBe(1);
    });
  });
});

describe('answers after which the connection is not reused', () => {
  const cases: { name: string; answer: string | string[]; after?: 'end' }[] = [
    { name: 'Connection: close', answer: 'HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\n{}' },
    { name: 'HTTP/1.0 without keep-alive', answer: 'HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\n{}' },
    { name: 'a body read to the close', answer: ['HTTP/1.1 200 OK\r\n\r\n', 'part one, ', 'part two'], after: 'end' },
  ];
  test.each(cases)('$name: the next request opens a new connection', async ({ answer, after }) => {
    await withServer([answer, answer], after ?? 'keep', async (server, agent) => {
      expect(await ask(agent, server.origin)).toEqual({ status: 200 });
      expect(await ask(agent, server.origin)).toEqual({ status: 200 });
      expect(server.connections()).toBe(2);
    });
  });

  test('HTTP/1.0 with Connection: keep-alive is reused', async () => {
    const answer = 'HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 2\r\n\r\n{}';
    await withServer([answer, answer], 'keep', async (server, agent) => {
      expect([await ask(agent, server.origin), await ask(agent, server.origin)]).toEqual([{ status: 200 }, { status: 200 }]);
      expect(server.connections()).toBe(1);
    });
  });

  test('an idle connection the server closed is dropped: the next request connects again', async () => {
    await withServer(['HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n', 'HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n'], 'end', async (server, agent) => {
      expect(await ask(agent, server.origin)).toEqual({ status: 200 });
      await new Promise((resolve) => setTimeout(resolve, 50)); // the FIN is in before the next request
      expect(await ask(agent, server.origin)).toEqual({ status: 200 });
      expect(server.connections()).toBe(2);
    });
  });
});

describe('malformed answers: llhttp\'s codes, as Node reports them', () => {
  const cases: { name: string; answer: string | string[]; code: string }[] = [
    { name: 'a head over 16 KiB', answer: `HTTP/1.1 200 OK\r\nX-Big: ${'a'.repeat(17 * 1024)}\r\n\r\n`, code: 'HPE_HEADER_OVERFLOW' },
    { name: 'two different Content-Lengths', answer: 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}', code: 'HPE_UNEXPECTED_CONTENT_LENGTH' },
    { name: 'a Content-Length that is no number', answer: 'HTTP/1.1 200 OK\r\nContent-Length: 2x\r\n\r\n{}', code: 'HPE_INVALID_CONTENT_LENGTH' },
    { name: 'a control character in a header value', answer: 'HTTP/1.1 200 OK\r\nX-A: a\u0001b\r\nContent-Length: 0\r\n\r\n', code: 'HPE_INVALID_HEADER_TOKEN' },
    { name: 'no HTTP, before any line ends', answer: 'SSH-2.0-OpenSSH', code: 'HPE_INVALID_CONSTANT' },
    { name: 'chunk data without its CRLF', answer: 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabX\r\n0\r\n\r\n', code: 'HPE_STRICT' },
  ];
  test.each(cases)('$name → $code', async ({ answer, code }) => {
    await withServer([answer], 'keep', async (server, agent) => {
      expect(await ask(agent, server.origin)).toMatchObject({ error: code, message: expect.stringMatching(/^Parse Error: /) });
    });
  });

  test('closed halfway through a body → ECONNRESET "aborted"; before any answer → "socket hang up" (as Node\'s client)', async () => {
    await withServer(['HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhalf'], 'end', async (server, agent) => {
      expect(await ask(agent, server.origin)).toEqual({ error: 'ECONNRESET', message: 'aborted' });
    });
    await withServer([bytes('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel')], 'end', async (server, agent) => {
      expect(await ask(agent, server.origin)).toEqual({ error: 'ECONNRESET', message: 'aborted' });
    });
    await withServer(['HTTP/1.1 100 Continue\r\n\r\n'], 'end', async (server, agent) => {
      expect(await ask(agent, server.origin)).toEqual({ error: 'ECONNRESET', message: 'socket hang up' });
    });
  });

  test('bytes after a whole answer in the same read are read as the next answer: their error is the request\'s; line ends alone are not', async () => {
    await withServer(['HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}EXTRA'], 'keep', async (server, agent) => {
      expect(await ask(agent, server.origin)).toMatchObject({ error: 'HPE_INVALID_CONSTANT' });
    });
    await withServer(['HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}\r\n', 'HTTP/1.1 204 No Content\r\n\r\n'], 'keep', async (server, agent) => {
      expect([await ask(agent, server.origin), await ask(agent, server.origin)]).toEqual([{ status: 200 }, { status: 204 }]);
      expect(server.connections()).toBe(1);
    });
  });

  test('a connection read by Node\'s parser (its first head came in pieces) serves the next request', async () => {
    await withServer([bytes('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}'), bytes('HTTP/1.1 302 Found\r\nLocation: /a\r\nContent-Length: 0\r\n\r\n'), 'HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n'], 'keep', async (server, agent) => {
      expect(await ask(agent, server.origin)).toEqual({ status: 200 });
      expect(await ask(agent, server.origin, 'GET', true)).toEqual({ status: 302, location: '/a' });
      expect(await ask(agent, server.origin)).toEqual({ status: 201 });
      expect(server.connections()).toBe(1);
    });
  });
});

describe('what is sent', () => {
  test('Host from the origin unless the headers have one; keep-alive; a body with its length, or 0 where Node sends it', () => {
    const text = (request: Parameters<typeof encodeRequest>[0]) => encodeRequest(request).toString('latin1');
    expect(text({ target: { origin: 'http://127.0.0.1:8080', path: '/a?b=1' }, method: 'GET', headers: ['Accept', '*/*'] }))
      .toBe('GET /a?b=1 HTTP/1.1\r\nhost: 127.0.0.1:8080\r\nAccept: */*\r\nconnection: keep-alive\r\n\r\n');
    expect(text({ target: { origin: 'https://api.example:443', path: '/' }, method: 'POST', headers: ['Host', 'other'], body: 'é' }))
      .toBe('POST / HTTP/1.1\r\nHost: other\r\nconnection: keep-alive\r\ncontent-length: 2\r\n\r\n\u00c3\u00a9');
    expect(text({ target: { origin: 'http://[::1]:81', path: '/' }, method: 'PUT', headers: [] })).toBe('PUT / HTTP/1.1\r\nhost: [::1]:81\r\nconnection: keep-alive\r\ncontent-length: 0\r\n\r\n');
    // Node's client sends `Content-Length: 0` for every method but GET, HEAD, DELETE, OPTIONS, TRACE and CONNECT.
    expect(text({ target: { origin: 'http://h', path: '/' }, method: 'COPY', headers: [] })).toContain('content-length: 0\r\n');
    for (const method of ['GET', 'HEAD', 'DELETE', 'OPTIONS']) expect(text({ target: { origin: 'http://h', path: '/' }, method, headers: [] })).not.toContain('content-length');
  });

  test('a method, path or header that would break the framing is refused with Node\'s code and words', () => {
    const refusal = (request: Partial<Parameters<typeof encodeRequest>[0]>) => {
      try {
        encodeRequest({ target: { origin: 'http://h', path: '/' }, method: 'GET', headers: [], ...request });
        return undefined;
      } catch (error) {
        return { code: (error as { code?: string }).code, message: (error as Error).message };
      }
    };
    expect(refusal({ method: 'GET / HTTP/1.1\r\nHost: x\r\n\r\nGET' })).toEqual({ code: 'ERR_INVALID_HTTP_TOKEN', message: 'Method must be a valid HTTP token ["GET / HTTP/1.1\\r\\nHost: x\\r\\n\\r\\nGET"]' });
    expect(refusal({ target: { origin: 'http://h', path: '/a b' } })).toEqual({ code: 'ERR_UNESCAPED_CHARACTERS', message: 'Request path contains unescaped characters' });
    expect(refusal({ headers: ['X-A', 'a\r\nInjected: 1'] })).toEqual({ code: 'ERR_INVALID_CHAR', message: 'Invalid character in header content ["X-A"]' });
    expect(refusal({ headers: ['X-A', '5€'] })).toMatchObject({ code: 'ERR_INVALID_CHAR' });
    expect(refusal({ headers: ['Bad Name', 'a'] })).toEqual({ code: 'ERR_INVALID_HTTP_TOKEN', message: 'Header name must be a valid HTTP token ["Bad Name"]' });
    expect(refusal({ headers: ['X-A', 'café\tok'] })).toBeUndefined();
  });

  test('a 3xx\'s Location is read when asked for, and the request arrives as encoded', async () => {
    await withServer(['HTTP/1.1 302 Found\r\nlocation: /next\r\nContent-Length: 0\r\n\r\n', 'HTTP/1.1 302 Found\r\nLocation: /next\r\nContent-Length: 0\r\n\r\n'], 'keep', async (server, agent) => {
      expect(await ask(agent, server.origin, 'GET', true)).toEqual({ status: 302, location: '/next' });
      expect(await ask(agent, server.origin, 'GET', false)).toEqual({ status: 302 });
      expect(server.heads[0]).toBe(`GET /x HTTP/1.1\r\nhost: ${new URL(server.origin).host}\r\nAccept: */*\r\nconnection: keep-alive`);
    });
  });
});
