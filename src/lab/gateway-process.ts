import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { lookup } from 'node:dns/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { RuntimeError } from '../errors.js';
import type { LabGatewayProfile } from '../gateways/index.js';
import type { BinarySpec, LabBinaryLaunch, LabCompanion, LabGatewayConfig, LabGatewayPlan } from '../gateways/profile.js';
import { findBinary, isExecutable, readVersionText } from './binary.js';
import { startDnsStub, type DnsStub } from './dns-stub.js';
import { isIpLiteral, resolveGatewayOptions, type GatewayOptions, type RunningGateway } from './gateway.js';
import { guardProcessGroup, type OrphanGuard } from './orphan-guard.js';
import { LOOPBACK, reserveFreePort, waitUntilAccepting } from './ports.js';
import { killGroup, stopGroup, waitForFile } from './process-group.js';

const START_TIMEOUT_MS = 10_000;
/** Automatic ports are reserved then handed to the gateway; another process may win the race. */
const PORT_ATTEMPTS = 5;

/** What the lab knows beside the gateway options: where to find binaries, and whether it rehearses the keep-alive race. */
export interface GatewayStartContext {
  env?: Record<string, string | undefined>;
  /** A binary to use instead of the one findBinary would pick (startNginx's `nginxBinary`). */
  binary?: string;
  keepaliveRace?: boolean;
}

type BinaryProfile = LabGatewayProfile & { lab: LabBinaryLaunch };

/**
 * The RuntimeError for a gateway that is not installed, with how to install it or run without it;
 * `override` is the path its environment variable named, when that is what is missing.
 */
export function missingGateway(profile: LabGatewayProfile & { lab: LabBinaryLaunch }, override?: string | null): RuntimeError {
  const spec = profile.lab.binary;
  return new RuntimeError(
    `${profile.name} is not installed${override ? ` (${spec.envVar}=${override} is not an executable)` : ''}`,
    `install it (${spec.install}), set ${spec.envVar}, or use --gateway builtin`,
  );
}

/**
 * Starts a real gateway binary in front of `options.upstream`, from the files its profile's `plan`
 * renders into a fresh temp dir (config, pid, logs, runtime files all inside it), in the foreground
 * as our child, in its own process group with an orphan guard. Resolves once it accepts connections
 * on 127.0.0.1:port (and has written its pid file, when the plan names one: it binds first), and the
 * programs that run beside it (varnishncsa) are attached. close() sends the plan's stop signal, then
 * SIGKILL to each group after 3 s, waits until no process is left, and removes the temp dir (unless
 * `keepFiles`). Throws RuntimeError when the binary is missing or the gateway refuses to start (with
 * its own words), InputError when the plan cannot express the options (Apache and an unresolvable name).
 */
export async function startGatewayProcess(profile: BinaryProfile, options: GatewayOptions, context: GatewayStartContext = {}): Promise<RunningGateway> {
  const resolved = resolveGatewayOptions(options);
  const binary = context.binary ?? findBinary(profile.lab.binary, context.env);
  if (!binary || !isExecutable(binary)) throw missingGateway(profile, binary);
  const versionText = profile.lab.versionArgs ? readVersionText(binary, profile.lab.versionArgs) : undefined;
  const dir = await mkdtemp(join(tmpdir(), `debug502-${profile.kind}-`));
  let dns: DnsStub | undefined;
  const started: Started[] = [];
  try {
    const upstreamHost = await pickUpstreamHost(resolved.upstreamHost);
    if (upstreamHost === null) dns = await startDnsStub();
    const config: LabGatewayConfig = { ...resolved, upstreamHost: upstreamHost ?? resolved.upstreamHost };
    for (let attempt = 1; ; attempt += 1) {
      const listenPort = resolved.port || (await reserveFreePort());
      const plan = profile.lab.plan({
        dir, listenPort, config, resolverPort: dns?.port, runAsRoot: process.getuid?.() === 0, versionText, keepaliveRace: context.keepaliveRace ?? false, env: context.env,
      });
      const main = await launch(binary, dir, listenPort, plan, resolved.keepFiles);
      if ('child' in main) {
        started.push(main);
        for (const companion of plan.companions) started.push(await launchCompanion(companion, dir, context.env, resolved.keepFiles));
        const summary = profile.lab.summarize({ config: resolved, unresolvedUpstream: upstreamHost === null, keepaliveRace: context.keepaliveRace ?? false });
        return runningGateway(profile, plan, { dir, listenPort, started, stopSignal: plan.stopSignal, dns, keepFiles: resolved.keepFiles, summary });
      }
      const retry = resolved.port === 0 && attempt < PORT_ATTEMPTS && /address already in use/i.test(main.log);
      if (!retry) {
        throw new RuntimeError(`${profile.name} did not start: ${lastLines(main.log, 3) || 'no output'}`, 'a port given with --gateway-port may be taken; --gateway builtin runs without it');
      }
    }
  } catch (error) {
    for (const one of started.reverse()) await stopGroup(one.child, 'SIGTERM').finally(() => one.guard.release());
    await dns?.close();
    if (!resolved.keepFiles) await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

/**
 * An IP stays as it is; a name that resolves becomes its first IPv4 address (so `localhost` is one
 * upstream server, not 127.0.0.1 plus ::1); a name that does not resolve gives null: the DNS case.
 * A name under `.invalid` never resolves (RFC 6761) and is not looked up, so no query leaves the machine.
 */
async function pickUpstreamHost(host: string): Promise<string | null> {
  if (isIpLiteral(host)) return host;
  if (/(^|\.)invalid$/i.test(host)) return null;
  try {
    return (await lookup(host, { family: 4 })).address;
  } catch {
    return null;
  }
}

interface Started {
  child: ChildProcess;
  guard: OrphanGuard;
}

/** Writes the plan's files, starts the gateway, waits until it is ready; its own words when it is not. */
async function launch(binary: string, dir: string, listenPort: number, plan: LabGatewayPlan, keepFiles: boolean): Promise<Started | { log: string }> {
  for (const file of plan.files) await writeFile(join(dir, file.name), file.text);
  if (plan.pidFile) await rm(join(dir, plan.pidFile), { force: true });
  // The gateway writes its stdout straight into the file (HAProxy's `log stdout`): no pipe through us.
  const stdoutFd = plan.stdoutFile ? openSync(join(dir, plan.stdoutFile), 'a') : 'ignore';
  const { child, guard, output } = spawnInGroup(binary, plan.args, { cwd: dir, env: plan.env, stdout: stdoutFd, removeDir: keepFiles ? undefined : dir });
  if (typeof stdoutFd === 'number') closeSync(stdoutFd);
  const accepting = await waitUntilAccepting(listenPort, { timeoutMs: START_TIMEOUT_MS, gaveUp: () => output.exited });
  const ready = accepting && !output.exited && (!plan.pidFile || (await waitForFile(join(dir, plan.pidFile), () => output.exited)));
  if (ready && !output.exited) return { child, guard };
  if (!output.exited) await killGroup(child);
  guard.release();
  const logs = plan.logs.map((log) => readQuietly(join(dir, log.file))).join('\n');
  return { log: `${logs}\n${plan.stdoutFile ? readQuietly(join(dir, plan.stdoutFile)) : ''}\n${output.stderr}`.trim() };
}

/** Starts a program that runs beside the gateway and waits until it says it is attached. */
async function launchCompanion(companion: LabCompanion, dir: string, env: Record<string, string | undefined> | undefined, keepFiles: boolean): Promise<Started> {
  const binary = findBinary(companion.binary, env);
  if (!binary) throw missingTool(companion.binary);
  if (companion.readyFile) await rm(join(dir, companion.readyFile), { force: true });
  const { child, guard, output } = spawnInGroup(binary, companion.args, { cwd: dir, stdout: 'ignore', removeDir: keepFiles ? undefined : dir });
  const ready = !companion.readyFile || (await waitForFile(join(dir, companion.readyFile), () => output.exited));
  if (!ready || output.exited) {
    if (!output.exited) await killGroup(child);
    guard.release();
    throw new RuntimeError(`${companion.binary.names[0]} did not start: ${lastLines(output.stderr, 3) || 'no output'}`);
  }
  const mapped = companion.readyMapping ? await waitForMapping(child.pid!, join(dir, companion.readyMapping), () => output.exited) : true;
  if (mapped === null && companion.settleMs) await sleep(companion.settleMs);
  return { child, guard };
}

/**
 * Waits until process `pid` has a file whose path starts with `prefix` mapped (Linux /proc/PID/maps):
 * true once it has, false when it gave up or 5 s passed, null when its map cannot be read (no /proc).
 */
async function waitForMapping(pid: number, prefix: string, gaveUp: () => boolean): Promise<boolean | null> {
  for (let i = 0; i < 250; i += 1) {
    let maps: string;
    try {
      maps = readFileSync(`/proc/${pid}/maps`, 'utf8');
    } catch {
      return gaveUp() ? false : null;
    }
    if (maps.includes(prefix)) return true;
    if (gaveUp()) return false;
    await sleep(20);
  }
  return false;
}

function missingTool(spec: BinarySpec): RuntimeError {
  return new RuntimeError(`${spec.names[0]} is not installed`, `install it (${spec.install}) or set ${spec.envVar}`);
}

/**
 * Spawns `binary` detached — its own process group, so close() reaches its workers even if the main
 * process is gone — with a guard that kills the group if this process dies without close().
 */
function spawnInGroup(binary: string, args: readonly string[], o: { cwd: string; env?: Readonly<Record<string, string>>; stdout: number | 'ignore'; removeDir?: string }) {
  const child = spawn(binary, [...args], { cwd: o.cwd, detached: true, env: o.env ? { ...process.env, ...o.env } : process.env, stdio: ['ignore', o.stdout, 'pipe'] });
  const guard: OrphanGuard = child.pid !== undefined ? guardProcessGroup(child.pid, o.removeDir) : { release: () => {} };
  const output = { stderr: '', exited: false };
  child.stderr?.on('data', (chunk: Buffer) => void (output.stderr = (output.stderr + chunk.toString()).slice(-4000)));
  child.once('exit', () => void (output.exited = true));
  child.once('error', (error) => void ((output.exited = true), (output.stderr += String(error))));
  return { child, guard, output };
}

interface RunningState {
  dir: string;
  listenPort: number;
  started: Started[];
  stopSignal: NodeJS.Signals;
  dns?: DnsStub;
  keepFiles: boolean;
  summary: string[];
}

function runningGateway(profile: BinaryProfile, plan: LabGatewayPlan, state: RunningState): RunningGateway {
  const logs = plan.logs.map((log) => ({ ...log, path: join(state.dir, log.file) }));
  let closing: Promise<void> | undefined;
  const [main, ...companions] = state.started;
  return {
    kind: profile.kind,
    url: `http://${LOOPBACK}:${state.listenPort}`,
    port: state.listenPort,
    errorLogPath: logs[0]?.path,
    logs,
    configPath: join(state.dir, plan.configFile),
    configLabel: profile.lab.configLabel,
    pid: main.child.pid,
    summary: state.summary,
    notes: plan.notes,
    close: () =>
      (closing ??= (async () => {
        // The gateway first (its last log records reach shared memory), then whatever reads them.
        for (const one of [main, ...companions]) {
          await stopGroup(one.child, one === main ? state.stopSignal : 'SIGTERM');
          one.guard.release();
        }
        await state.dns?.close();
        if (!state.keepFiles) await rm(state.dir, { recursive: true, force: true });
      })()),
  };
}

function readQuietly(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

function lastLines(text: string, count: number): string {
  return text.trim().split('\n').slice(-count).join(' | ');
}
