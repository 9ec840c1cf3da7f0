import type { Socket } from 'node:net';

/** The lab backend's half of the keep-alive race: which connections it has given up on. */
export interface IdleRace {
  /**
   * Called when a request arrives: true when its connection had been idle for `idleMs` or more —
   * the backend had already decided to close it, so the request is dropped unanswered.
   */
  isStale(socket: Socket): boolean;
  /** Called when an answer is sent: the connection starts idling, and is closed for good at 2 × idleMs. */
  markIdle(socket: Socket): void;
  /** Clears every pending close (the backend is stopping). */
  stop(): void;
}

/**
 * A backend that closes idle keep-alive connections after `idleMs`, with a close that takes another
 * `idleMs` to land. Real servers close at their keep-alive timeout and the race lasts as long as the
 * FIN takes to reach the gateway — microseconds on loopback, so a rehearsal would never hit it; here
 * the window is widened to [idleMs, 2 × idleMs) of idleness, and the FIN is sent at its end (which is
 * what diagnose's keep-alive probe measures). A gateway that pools connections and sends a request
 * on one in that window gets no answer: 502, exactly as with the real race.
 */
export function createIdleRace(idleMs: number): IdleRace {
  const idleSince = new WeakMap<Socket, number>();
  const closers = new Map<Socket, NodeJS.Timeout>();
  // One 'close' listener per connection, however many requests it carries.
  const watched = new WeakSet<Socket>();
  const cancel = (socket: Socket) => {
    clearTimeout(closers.get(socket));
    closers.delete(socket);
  };
  return {
    isStale(socket) {
      cancel(socket);
      const since = idleSince.get(socket);
      idleSince.delete(socket);
      return since !== undefined && performance.now() - since >= idleMs;
    },
    markIdle(socket) {
      if (socket.destroyed) return;
      cancel(socket);
      idleSince.set(socket, performance.now());
      if (!watched.has(socket)) {
        watched.add(socket);
        socket.once('close', () => cancel(socket));
      }
      closers.set(socket, setTimeout(() => {
        closers.delete(socket);
        socket.end();
      }, 2 * idleMs));
    },
    stop() {
      for (const timer of closers.values()) clearTimeout(timer);
      closers.clear();
    },
  };
}
