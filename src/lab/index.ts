/** The lab: a backend with the guide's faults, and a gateway in front of it (a real one from src/gateways, or the built-in). */
export { startLabBackend, type LabBackend, type LabBackendOptions, type LabBackendStats } from './backend.js';
export { parseFault, formatFault, FAULT_SYNTAX, DEFAULT_SLOW_LATENCY_MS, type LabFault } from './fault.js';
export { routeLabRequest, type LabRequest, type LabResponse } from './routes.js';
export { type RunningGateway, type RunningGatewayLog, type GatewayOptions, DEFAULT_PROXY_READ_TIMEOUT_MS, DEFAULT_PROXY_CONNECT_TIMEOUT_MS } from './gateway.js';
export { findNginx, startNginx } from './nginx.js';
export { findBinary } from './binary.js';
export { startGatewayProcess, type GatewayStartContext } from './gateway-process.js';
export { pickLabGateway, startLabGateway, isInstalled } from './start-gateway.js';
export { startBuiltinProxy } from './builtin-proxy.js';
export { formatNginxErrorLine } from './error-log.js';
export { startLab, checkLabUpstream, GATEWAY_CHOICES, UPSTREAM_HINT, type Lab, type LabOptions, type GatewayChoice } from './lab.js';
export { buildLabEnvironment, writeLabEnvironment } from './lab-environment.js';
export { reserveFreePort, reserveDeadPort, isPortFree, canConnect } from './ports.js';
