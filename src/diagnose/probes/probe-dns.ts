import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { ProbeResult, Route } from '../../model.js';
import { describeFailure, errorCode } from './transport-error.js';

export type LookupAll = (host: string) => Promise<Array<{ address: string }>>;

export interface DnsProbeOptions {
  timeoutMs: number;
  /** The resolver to use; node's `dns.lookup` (getaddrinfo, as curl and nginx at start-up do) by default. */
  lookup?: LookupAll;
}

const defaultLookup: LookupAll = (host) => dnsLookup(host, { all: true });

/**
 * Resolves `host` like the system does: ok with its addresses, or failed with ENOTFOUND /
 * EAI_AGAIN. Bounded: a lookup still pending after `timeoutMs` fails with EAI_AGAIN, as
 * getaddrinfo's own timeout does; getaddrinfo cannot be cancelled, so its late answer is dropped.
 * An IP literal needs no lookup and passes.
 */
export async function probeDns(host: string, route: Route, options: DnsProbeOptions): Promise<ProbeResult> {
  const bare = host.replace(/^\[|\]$/g, '');
  if (isIP(bare)) return { kind: 'dns', target: host, route, ok: true, timeMs: 0, evidence: `${bare} is an IP address: no lookup needed`, addresses: [bare] };
  const startedMs = performance.now();
  const lookup = options.lookup ?? defaultLookup;
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(Object.assign(new Error(`no answer in ${options.timeoutMs} ms`), { code: 'EAI_AGAIN' })), options.timeoutMs);
    });
    const found = await Promise.race([lookup(host), timeout]);
    const timeMs = elapsed(startedMs);
    const addresses = [...new Set(found.map((a) => a.address))];
    return { kind: 'dns', target: host, route, ok: true, timeMs, evidence: `${host} → ${addresses.join(', ')} in ${timeMs} ms`, addresses };
  } catch (error) {
    const code = errorCode(error);
    const timeMs = elapsed(startedMs);
    return { kind: 'dns', target: host, route, ok: false, timeMs, error: code, evidence: `${host}: ${describeFailure(code, (error as Error).message)}` };
  } finally {
    clearTimeout(timer);
  }
}

export function elapsed(startedMs: number): number {
  return Math.round(performance.now() - startedMs);
}
