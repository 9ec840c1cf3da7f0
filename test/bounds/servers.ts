/**
 * Hostile loopback servers for the bounds tests: each counts every request it receives (so a test
 * can assert that a cap held at the server) and answers in one of the ways that defeated the
 * bounds: normally, by trickling its body, or by redirecting forever.
 */
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type HostileMode =
  /** 200 with a small JSON body at once. */
  | 'ok'
  /** Headers at once, then one body byte every `trickleMs`, for ever (until the client gives up). */
  | 'trickle'
  /** 302 to the same path with a counter, for ever (or until `redirects` hops, then 200). */
  | 'redirect'
  /** 502 with a short body, to every request: a gateway whose backend is broken. */
  | 'bad-gateway';

export interface HostileServer {
  url: string;
  port: number;
  /** Every request received, redirects included. */
  received(): number;
  /** Connections still open right now. */
  openSockets(): number;
  close(): Promise<void>;
}

export async function startHostileServer(mode: HostileMode, options: { trickleMs?: number; redirects?: number } = {}): Promise<HostileServer> {
  let received = 0;
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const trickle = (res: ServerResponse) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.write('x');
    const timer = setInterval(() => {
      if (res.destroyed || res.writableEnded) return void clearInterval(timer);
      res.write('x');
    }, options.trickleMs ?? 300);
    timers.add(timer);
    res.on('close', () => {
      clearInterval(timer);
      timers.delete(timer);
    });
  };
  const server: Server = createServer((req, res) => {
    received += 1;
    req.resume();
    if (mode === 'trickle') return trickle(res);
    const url = new URL(req.url ?? '/', 'http://x');
    const hop = Number(url.searchParams.get('hop') ?? 0);
    if (mode === 'redirect' && hop < (options.redirects ?? Infinity)) {
      url.searchParams.set('hop', String(hop + 1));
      res.writeHead(302, { location: `${url.pathname}${url.search}`, 'content-length': '0' });
      return res.end();
    }
    if (mode === 'bad-gateway') {
      res.writeHead(502, { 'content-type': 'text/plain' });
      return res.end('502 Bad Gateway');
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"ok":true}');
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    received: () => received,
    openSockets: () => sockets.size,
    close: async () => {
      for (const timer of timers) clearInterval(timer);
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
