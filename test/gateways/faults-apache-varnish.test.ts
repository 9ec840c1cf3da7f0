import { describeGatewayFaults } from './fault-matrix.js';

// The other half of the Debian gateways (see faults-nginx-haproxy-caddy.test.ts).
describeGatewayFaults('apache');
describeGatewayFaults('varnish');
