import { GATEWAYS } from '../gateways/index.js';
import { NGINX_LAB } from '../gateways/nginx-lab.js';
import { findBinary } from './binary.js';
import type { GatewayOptions, RunningGateway } from './gateway.js';
import { startGatewayProcess } from './gateway-process.js';

export { isExecutable } from './binary.js';

/**
 * The nginx binary to use: `NGINX_BIN` when set (null if it is not executable), else the first
 * `nginx` on PATH, else the usual install places. Null when there is none.
 */
export function findNginx(env: Record<string, string | undefined> = process.env): string | null {
  return findBinary(NGINX_LAB.binary, env);
}

/**
 * Starts real nginx in front of `options.upstream` (startGatewayProcess with nginx's profile): a
 * config generated into a fresh temp dir (pid, error log at `warn`, access log, temp paths all inside
 * it), the master in the foreground as our child. close() sends SIGQUIT, then SIGKILL to nginx's
 * process group after 3 s, waits until no nginx process is left, and removes the temp dir.
 * Throws RuntimeError when nginx is missing or refuses to start (with its error log).
 */
export function startNginx(options: GatewayOptions & { nginxBinary?: string }): Promise<RunningGateway> {
  const { nginxBinary, ...gatewayOptions } = options;
  return startGatewayProcess({ ...GATEWAYS.nginx, kind: 'nginx', lab: NGINX_LAB }, gatewayOptions, { binary: nginxBinary });
}
