import { makeCauseRule } from './cause-rule.js';

/** No route to the backend, or connects that never complete: EHOSTUNREACH/ENETUNREACH/connect ETIMEDOUT, "(113: No route to host)". */
export const backendUnreachable = makeCauseRule({
  code: 'backend-unreachable',
  logWhat: '"(113: No route to host)" / "(101: Network is unreachable)"',
  next: 'Check firewall rules and routes between gateway and backend (iptables -L; telnet <backend host> <port> from the gateway host); review recent network changes.',
});
