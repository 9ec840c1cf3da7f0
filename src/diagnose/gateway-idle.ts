import type { GatewayProfile } from '../gateways/profile.js';
import type { GatewayConfPooling } from './probes/gateway-conf.js';
import type { GatewayIdle } from './probes/judge-keepalive.js';

/**
 * What is known of the gateway's idle timeout for pooled backend connections, most direct first:
 * `--gateway-idle-timeout`; the configuration given with `--gateway-conf`; the documented default
 * of its kind where that kind pools by default (Caddy 2m, Varnish 60 s, Traefik 90 s, ALB 60 s;
 * HAProxy and Apache keep idle connections until the backend closes them). Otherwise unknown — and
 * unknown is never 60 s. Pure.
 */
export function knowGatewayIdle(optionMs: number | undefined, conf: GatewayConfPooling | undefined, profile: GatewayProfile | undefined): GatewayIdle {
  const pooling = profile?.words.pooling;
  if (optionMs !== undefined) return { ms: optionMs, source: 'option', says: 'from --gateway-idle-timeout' };
  if (conf) {
    const says = `--gateway-conf: ${conf.says}`;
    if (!conf.pools) return { noPooling: true, source: 'conf', says };
    if (conf.idleTimeoutMs !== undefined) return { ms: conf.idleTimeoutMs, source: 'conf', says };
    return { unbounded: true, source: 'conf', says };
  }
  if (profile?.pooling.byDefault) {
    const says = `${profile.name}'s default: ${profile.pooling.how}`;
    if (profile.pooling.idleTimeoutSec !== null) return { ms: profile.pooling.idleTimeoutSec * 1000, source: 'profile', says };
    return { unbounded: true, source: 'profile', says };
  }
  if (profile) return { source: 'unknown', says: `${profile.name} pools only when configured to (${profile.pooling.how})`, ...(pooling ? { pooling } : {}) };
  return { source: 'unknown', says: 'the gateway\'s kind and configuration are not known' };
}
