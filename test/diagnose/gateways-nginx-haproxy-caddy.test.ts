import { describeDiagnoseMatrix } from './gateway-matrix.js';

// diagnose on each Debian gateway's own logs, one guide cause at a time (the other half:
// gateways-apache-varnish.test.ts). Each skips, saying why, where its binary is missing.
describeDiagnoseMatrix('nginx');
describeDiagnoseMatrix('haproxy');
describeDiagnoseMatrix('caddy');
