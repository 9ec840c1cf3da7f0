import { summarizeNginx } from './nginx-lab.js';
import type { GatewayProfile } from './profile.js';
import { NGINX } from './nginx.js';

/**
 * debug502's built-in Node gateway (src/lab/builtin-proxy.ts), for machines without nginx: it
 * answers, logs and pools as the lab's nginx does, so its facts are nginx's, measured on it by
 * test/lab/gateway-faults.test.ts and test/lab/keepalive-race.test.ts.
 */
export const BUILTIN: GatewayProfile = {
  kind: 'builtin',
  name: "debug502's built-in gateway",
  versions: 'this version of debug502',
  recognition: {
    // Set on the errors it answers itself (answerError in builtin-proxy.ts).
    server: /^debug502-builtin\b/,
    errorBody: /<center>debug502 built-in gateway<\/center>/,
  },
  logFormats: [{ name: 'nginx-error', kind: 'error', describes: 'an nginx-format error log', diagnoseReads: 'nginx' }],
  answers: {
    ...NGINX.answers,
    'backend-unresolvable': { status: 502, basis: 'measured', note: 'logs "could not be resolved (3: Host not found)" as nginx does' },
    'gateway-overflow': { status: 502, basis: 'measured', when: 'maxConns is set', note: 'at once, no queue; logs "no live upstreams"' },
  },
  defaultReadTimeoutSec: 5,
  pooling: { ...NGINX.pooling, how: '`keepalive N` in the lab options (--keepalive), as nginx\'s upstream keepalive' },
  words: NGINX.words,
  lab: { runs: 'in-process', summarize: summarizeNginx },
};
