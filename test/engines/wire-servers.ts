/**
 * Raw loopback servers for the wire tests: one that records every byte each connection brings
 * (so a request smuggled in after another, or a body no header announced, shows), and one that
 * answers every request with bytes given as they are (malformed answers). 127.0.0.1, port 0;
 * close() ends every connection.
 */
import { createServer, type Socket } from 'node:net';

export interface RecordingServer {
  url: string;
  /** Heads (up to their CRLFCRLF) received so far, over all connections: one per request, a smuggled one too. */
  heads(): string[];
  /** Everything each connection brought, in the order they were accepted. */
  received(): string[];
  reset(): void;
  close(): Promise<void>;
}

/**
 * Answers each head it reads with 200 (after the body its Content-Length or chunked framing
 * announces); bytes no framing announces are read as the next head, as a server would.
 */
export async function startRecordingServer(): Promise<RecordingServer> {
  let heads: string[] = [];
  let connections: { bytes: string }[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    const record = { bytes: '' };
    connections.push(record);
    let buffered = '';
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
    socket.on('data', (data: Buffer) => {
      const text = data.toString('latin1');
      record.bytes += text;
      buffered += text;
      for (;;) {
        const end = buffered.indexOf('\r\n\r\n');
        if (end < 0) return;
        const head = buffered.slice(0, end);
        let next = end + 4;
        if (/^transfer-encoding:\s*chunked/im.test(head)) {
          const last = buffered.indexOf('0\r\n\r\n', next);
          if (last < 0) return;
          next = last + 5;
        } else {
          next += Number(/^content-length:\s*(\d+)/im.exec(head)?.[1] ?? 0);
          if (buffered.length < next) return;
        }
        heads.push(head);
        buffered = buffered.slice(next);
        socket.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    heads: () => [...heads],
    received: () => connections.map((c) => c.bytes),
    reset: () => {
      heads = [];
      connections = [];
    },
    close: () => closeServer(server, sockets),
  };
}

export interface AnsweringServer {
  url: string;
  /** What every request gets from now on: the bytes, whole or in pieces written a few ms apart, then whether to close. */
  answerWith(answer: string | string[], after?: 'keep' | 'end'): void;
  close(): Promise<void>;
}

/** Answers each request with the answer last given, written as it is ('end': then closes, and answers no more on that connection). */
export async function startAnsweringServer(): Promise<AnsweringServer> {
  let answer: string | string[] = 'HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n';
  let after: 'keep' | 'end' = 'end';
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
    let buffered = '';
    let ending = false;
    socket.on('data', async (data: Buffer) => {
      buffered += data.toString('latin1');
      // One answer per request head (the tests send no bodies); after an answer that ends the connection, none.
      while (!ending && buffered.includes('\r\n\r\n')) {
        buffered = buffered.slice(buffered.indexOf('\r\n\r\n') + 4);
        const [pieces, then] = [Array.isArray(answer) ? answer : [answer], after];
        ending = then === 'end';
        for (const piece of pieces) {
          if (socket.destroyed) return;
          socket.write(Buffer.from(piece, 'latin1'));
          if (pieces.length > 1) await new Promise((resolve) => setTimeout(resolve, 3));
        }
        // The close comes a little after the answer, as from a real server: a body read to the close ends here.
        if (ending) setTimeout(() => socket.end(), 50);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    answerWith: (next, thenDo = 'end') => {
      [answer, after] = [next, thenDo];
    },
    close: () => closeServer(server, sockets),
  };
}

function closeServer(server: ReturnType<typeof createServer>, sockets: Set<Socket>): Promise<void> {
  return new Promise((resolve) => {
    for (const socket of sockets) socket.destroy();
    server.close(() => resolve());
  });
}
