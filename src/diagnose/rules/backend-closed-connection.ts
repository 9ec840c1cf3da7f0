import { makeCauseRule } from './cause-rule.js';

/** The backend closes connections before answering: direct "socket hang up", "upstream prematurely closed connection". */
export const backendClosedConnection = makeCauseRule({
  code: 'backend-closed-connection',
  logWhat: '"upstream prematurely closed connection"',
  next: 'The backend closes connections mid-request: look for crashes and restarts in its logs (out of memory? check free -h), restart or scale it; if it only happens on reused connections, make the backend\'s keep-alive timeout longer than the gateway\'s.',
});
