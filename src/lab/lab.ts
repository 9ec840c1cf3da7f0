import { InputError, RuntimeError } from '../errors.js';
import { startLabBackend, type LabBackend, type LabFault } from './backend.js';
import { startBuiltinProxy } from './builtin-proxy.js';
import { DEFAULT_PROXY_READ_TIMEOUT_MS, type GatewayOptions, type RunningGateway } from './gateway.js';
import { findNginx, startNginx } from './nginx.js';
import { LOOPBACK } from './ports.js';

export type GatewayChoice = 'auto' | 'nginx' | 'builtin';
export const GATEWAY_CHOICES: readonly GatewayChoice[] = ['auto', 'nginx', 'builtin'];

export interface LabOptions {
  /** Backend: most requests in flight; beyond it sockets are destroyed. Default: no cap. */
  capacity?: number;
  /** Backend: latency of every answer; default 0. */
  latencyMs?: number;
  fault?: LabFault;
  /** `auto` (default): nginx when installed, else the built-in proxy. */
  gateway?: GatewayChoice;
  gatewayPort?: number;
  backendPort?: number;
  /** Gateway `proxy_read_timeout`; default 5000. */
  gatewayTimeoutMs?: number;
  /** Gateway `max_conns` towards the backend. */
  maxConns?: number;
  /** Keep the gateway's temp dir (config, logs) after close(). */
  keepFiles?: boolean;
  /** For `auto`/`nginx`: which binary (default findNginx(env)). */
  env?: Record<string, string | undefined>;
}

export interface Lab {
  gateway: RunningGateway;
  backend: LabBackend;
  /** Stops the gateway, then the backend; safe to call twice. */
  close(): Promise<void>;
}

/**
 * Starts the lab backend (with its fault) and a gateway in front of it, both on 127.0.0.1.
 * `gateway: 'nginx'` without nginx installed is a RuntimeError; `auto` falls back to the built-in
 * proxy and reports it through `lab.gateway.kind`.
 */
export async function startLab(options: LabOptions = {}): Promise<Lab> {
  const choice = options.gateway ?? 'auto';
  if (!GATEWAY_CHOICES.includes(choice)) {
    throw new InputError(`gateway: unknown gateway "${choice}"`, [`gateway: must be one of ${GATEWAY_CHOICES.join(', ')}`]);
  }
  const backend = await startLabBackend({
    port: options.backendPort,
    capacity: options.capacity,
    latencyMs: options.latencyMs,
    fault: options.fault,
  });
  let gateway: RunningGateway;
  try {
    const gatewayOptions: GatewayOptions = {
      upstream: `${LOOPBACK}:${backend.port}`,
      port: options.gatewayPort,
      proxyReadTimeoutMs: options.gatewayTimeoutMs ?? DEFAULT_PROXY_READ_TIMEOUT_MS,
      maxConns: options.maxConns,
      keepFiles: options.keepFiles,
    };
    const nginxBinary = choice === 'builtin' ? null : findNginx(options.env);
    if (choice === 'nginx' && !nginxBinary) {
      throw new RuntimeError('nginx is not installed', 'install it (apt-get install -y nginx-light), set NGINX_BIN, or use --gateway builtin');
    }
    gateway = nginxBinary ? await startNginx({ ...gatewayOptions, nginxBinary }) : await startBuiltinProxy(gatewayOptions);
  } catch (error) {
    await backend.close();
    throw error;
  }
  let closing: Promise<void> | undefined;
  return {
    gateway,
    backend,
    close: () =>
      (closing ??= (async () => {
        await gateway.close();
        await backend.close();
      })()),
  };
}
