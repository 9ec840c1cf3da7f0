import { RuntimeError } from '../errors.js';
import { LAB_AUTO_ORDER, labProfileOf, type LabGatewayKind, type LabGatewayProfile } from '../gateways/index.js';
import type { LabBinaryLaunch } from '../gateways/profile.js';
import { findBinary } from './binary.js';
import { startBuiltinProxy } from './builtin-proxy.js';
import { resolveGatewayOptions, type GatewayOptions, type RunningGateway } from './gateway.js';
import { missingGateway, startGatewayProcess, type GatewayStartContext } from './gateway-process.js';

/**
 * The lab gateway `choice` names: itself when it can run here (its binary is installed), or for
 * `auto` the first installed of LAB_AUTO_ORDER (nginx, else the built-in gateway). RuntimeError
 * when a named gateway is not installed.
 */
export function pickLabGateway(choice: LabGatewayKind | 'auto', env?: Record<string, string | undefined>): LabGatewayProfile {
  if (choice === 'auto') return LAB_AUTO_ORDER.map((kind) => labProfileOf(kind)!).find((profile) => isInstalled(profile, env))!;
  const profile = labProfileOf(choice);
  if (!profile) throw new RuntimeError(`the lab cannot start ${choice}`);
  if (!isInstalled(profile, env)) {
    const binaryProfile = profile as LabGatewayProfile & { lab: LabBinaryLaunch };
    throw missingGateway(binaryProfile, (env ?? process.env)[binaryProfile.lab.binary.envVar]);
  }
  return profile;
}

/** True when the lab can start `profile` here: in-process always, a binary when findBinary finds it. */
export function isInstalled(profile: LabGatewayProfile, env?: Record<string, string | undefined>): boolean {
  return profile.lab.runs === 'in-process' || findBinary(profile.lab.binary, env) !== null;
}

/** Starts the gateway of `profile` in front of `options.upstream`: the built-in proxy in this process, any other as its binary. */
export async function startLabGateway(profile: LabGatewayProfile, options: GatewayOptions, context: GatewayStartContext = {}): Promise<RunningGateway> {
  const { lab } = profile;
  if (lab.runs === 'binary') return startGatewayProcess({ ...profile, lab }, options, context);
  const gateway = await startBuiltinProxy(options);
  const config = resolveGatewayOptions(options);
  const summary = lab.summarize({ config, unresolvedUpstream: false, keepaliveRace: context.keepaliveRace ?? false });
  return { ...gateway, summary, notes: [] };
}
