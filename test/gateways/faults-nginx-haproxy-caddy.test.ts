import { describeGatewayFaults } from './fault-matrix.js';

// Half of the Debian gateways, so that two vitest workers share the measurement (the other half:
// faults-apache-varnish.test.ts). Each skips, saying why, where its binary is missing.
describeGatewayFaults('nginx');
describeGatewayFaults('haproxy');
describeGatewayFaults('caddy');
