import { describeDiagnoseMatrix } from './gateway-matrix.js';

// The other half of the Debian gateways (see gateways-nginx-haproxy-caddy.test.ts).
describeDiagnoseMatrix('apache');
describeDiagnoseMatrix('varnish');
