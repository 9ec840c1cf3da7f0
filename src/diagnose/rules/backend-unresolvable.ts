import { makeCauseRule } from './cause-rule.js';

/** The backend's host name does not resolve: ENOTFOUND/EAI_AGAIN, "could not be resolved", "host not found in upstream". */
export const backendUnresolvable = makeCauseRule({
  code: 'backend-unresolvable',
  logWhat: '"could not be resolved" / "host not found in upstream"',
  next: 'Check DNS: nslookup <backend host> (from the gateway host too); fix the DNS record or the host name in backend_url and the gateway\'s upstream; give nginx a working resolver if it resolves at run time.',
});
