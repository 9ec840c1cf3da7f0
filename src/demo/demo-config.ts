import type { ResolvedConfig } from '../model.js';
import { CONFIG_DEFAULTS } from '../config/index.js';

/**
 * The config the demo generates its collection from: the lab's own endpoints (src/lab/routes.ts),
 * at the addresses the lab was given. Built in code, not read from debug502.config.yaml, so the demo
 * keeps working after a user points that file at their own services.
 */
export function buildDemoConfig(urls: { gatewayUrl: string; backendUrl: string }): ResolvedConfig {
  return {
    name: '502 Debugging',
    assertions: { maxResponseTimeMs: CONFIG_DEFAULTS.maxResponseTimeMs },
    environments: { lab: { gateway_url: urls.gatewayUrl, backend_url: urls.backendUrl, secrets: [] } },
    health: { path: '/health', method: 'GET' },
    endpoints: [
      { name: 'List users', method: 'GET', path: '/api/users', query: { page: '1' }, headers: { Accept: 'application/json' }, expectStatus: 200 },
      { name: 'Get user', method: 'GET', path: '/api/users/1', query: {}, headers: { Accept: 'application/json' }, expectStatus: 200 },
    ],
  };
}
