import { GATEWAYS } from '../gateways/index.js';
import type { GatewayProfile } from '../gateways/profile.js';
import type { GatewayIdentity, GatewayKind, LogSummary, ProbeResult } from '../model.js';

/**
 * Which gateway diagnose speaks of, most direct word first: `--gateway-kind`; the configuration
 * given with `--gateway-conf` (its directives are one gateway's); a log only that
 * gateway writes (HAProxy's httplog, Caddy's JSON, Apache's error log, varnishlog…); the `Server` /
 * `Via` headers of the probe's answers through it. Otherwise unknown — said so, never nginx by
 * default. Logs of two gateways, or a log and answers that disagree, leave the option or the log's word. Pure.
 */
export function identifyGateway(option: GatewayKind | undefined, logs: ReadonlyArray<Pick<LogSummary, 'file' | 'gatewayKind'>>, probes: readonly ProbeResult[], conf?: { kind: GatewayKind; file: string }): GatewayIdentity {
  if (option) return { kind: option, source: 'option', evidence: `--gateway-kind ${option}` };
  if (conf) return { kind: conf.kind, source: 'conf', evidence: `${conf.file} is ${GATEWAYS[conf.kind].name}'s configuration` };
  const fromLogs = [...new Set(logs.map((l) => l.gatewayKind).filter((k): k is GatewayKind => k !== undefined))];
  if (fromLogs.length === 1) {
    const log = logs.find((l) => l.gatewayKind === fromLogs[0])!;
    return { kind: fromLogs[0], source: 'log', evidence: `${log.file} is ${GATEWAYS[fromLogs[0]].name}'s own log format` };
  }
  const recognised = probes.find((p) => p.recognised)?.recognised;
  if (recognised && fromLogs.length === 0) return { kind: recognised.kind, source: 'probe', evidence: `its answers carry ${recognised.evidence}` };
  const why = fromLogs.length > 1
    ? `the logs are of several gateways (${fromLogs.join(', ')})`
    : 'no --gateway-kind, no log only one gateway writes, and no Server or Via header that names one';
  return { source: 'unknown', evidence: why };
}

/** The profile of an identified gateway, or undefined. */
export function profileOfIdentity(identity: GatewayIdentity | undefined): GatewayProfile | undefined {
  return identity?.kind ? GATEWAYS[identity.kind] : undefined;
}
