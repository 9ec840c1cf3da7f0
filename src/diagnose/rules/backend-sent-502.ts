import { makeCauseRule } from './cause-rule.js';

/** The backend itself answered 502 and the gateway passed it on: the failing hop is behind the backend. */
export const backendSent502 = makeCauseRule({
  code: 'backend-sent-502',
  logWhat: '502 answers from the backend itself',
  next: 'The backend (or a proxy in front of it, e.g. a sidecar or a second load balancer) answered 502 itself: the gateway only passed it on. Look one hop further: run debug502 against that hop (its gateway_url is your backend_url) and read the logs of what the backend calls.',
});
