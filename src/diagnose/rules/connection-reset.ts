import { makeCauseRule } from './cause-rule.js';

/** Connections to the backend are reset: direct ECONNRESET, "recv() failed (104: Connection reset by peer)". */
export const connectionReset = makeCauseRule({
  code: 'connection-reset',
  logWhat: '"(104: Connection reset by peer)" from upstream',
  next: 'Something resets connections to the backend: check the backend for crashes and overload (top, free -h; restart or scale it) and the firewall rules between gateway and backend (iptables -L).',
});
