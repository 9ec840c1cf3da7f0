import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { lookup } from 'node:dns/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { RuntimeError } from '../errors.js';
import { startDnsStub, type DnsStub } from './dns-stub.js';
import { isIpLiteral, resolveGatewayOptions, type GatewayOptions, type ResolvedGatewayOptions, type RunningGateway } from './gateway.js';
import { renderNginxConfig } from './nginx-config.js';
import { guardProcessGroup, type OrphanGuard } from './orphan-guard.js';
import { LOOPBACK, reserveFreePort, waitUntilAccepting } from './ports.js';

const FALLBACK_PATHS = ['/usr/sbin/nginx', '/usr/local/sbin/nginx', '/usr/local/nginx/sbin/nginx', '/opt/homebrew/bin/nginx'];
const START_TIMEOUT_MS = 10_000;
const QUIT_GRACE_MS = 3000;
/** Automatic ports are reserved then handed to nginx; another process may win the race. */
const PORT_ATTEMPTS = 5;

/**
 * The nginx binary to use: `NGINX_BIN` when set (null if it is not executable), else the first
 * `nginx` on PATH, else the usual install places. Null when there is none.
 */
export function findNginx(env: Record<string, string | undefined> = process.env): string | null {
  if (env.NGINX_BIN) return isExecutable(env.NGINX_BIN) ? env.NGINX_BIN : null;
  const onPath = (env.PATH ?? '').split(delimiter).filter(Boolean).map((dir) => join(dir, 'nginx'));
  return [...onPath, ...FALLBACK_PATHS].find(isExecutable) ?? null;
}

/** True when `path` exists and this process may execute it. */
export function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Starts real nginx in front of `options.upstream`, from a config generated into a fresh temp dir
 * (pid, error log at `warn`, access log, temp paths all inside it), in the foreground as our child.
 * Resolves once nginx has written its pid file and accepts connections on 127.0.0.1:port.
 * close() sends SIGQUIT, then SIGKILL to nginx's process group after 3 s, waits until no nginx
 * process is left, and removes the temp dir (unless `keepFiles`).
 * Throws RuntimeError when nginx is missing or refuses to start (with its error log).
 */
export async function startNginx(options: GatewayOptions & { nginxBinary?: string }): Promise<RunningGateway> {
  const resolved = resolveGatewayOptions(options);
  const binary = options.nginxBinary ?? findNginx();
  if (!binary || !isExecutable(binary)) {
    throw new RuntimeError(binary ? `nginx not found at ${binary}` : 'nginx is not installed', 'install it (apt-get install -y nginx-light), set NGINX_BIN, or use --gateway builtin');
  }
  const dir = await mkdtemp(join(tmpdir(), 'debug502-nginx-'));
  let dns: DnsStub | undefined;
  try {
    const upstreamHost = await pickUpstreamHost(resolved.upstreamHost);
    if (upstreamHost === null) dns = await startDnsStub();
    const effective: ResolvedGatewayOptions = { ...resolved, upstreamHost: upstreamHost ?? resolved.upstreamHost };
    for (let attempt = 1; ; attempt += 1) {
      const listenPort = resolved.port || (await reserveFreePort());
      const started = await launch(binary, dir, listenPort, effective, dns?.port);
      if ('gateway' in started) return withCleanup(started.gateway, dir, dns, resolved.keepFiles);
      const retry = resolved.port === 0 && attempt < PORT_ATTEMPTS && /Address already in use/.test(started.log);
      if (!retry) {
        throw new RuntimeError(`nginx did not start: ${lastLines(started.log, 3) || 'no output'}`, 'a port given with --gateway-port may be taken; --gateway builtin runs without nginx');
      }
    }
  } catch (error) {
    await dns?.close();
    if (!resolved.keepFiles) await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

/**
 * An IP stays as it is; a name that resolves becomes its first IPv4 address (so `localhost` is one
 * upstream server, not 127.0.0.1 plus ::1); a name that does not resolve gives null: the DNS case.
 */
async function pickUpstreamHost(host: string): Promise<string | null> {
  if (isIpLiteral(host)) return host;
  try {
    return (await lookup(host, { family: 4 })).address;
  } catch {
    return null;
  }
}

type StartedNginx = RunningGateway & { child: ChildProcess; guard: OrphanGuard };
type LaunchResult = { gateway: StartedNginx } | { log: string };

async function launch(binary: string, dir: string, listenPort: number, options: ResolvedGatewayOptions, resolverPort?: number): Promise<LaunchResult> {
  const confPath = join(dir, 'nginx.conf');
  const errorLogPath = join(dir, 'error.log');
  const pidPath = join(dir, 'nginx.pid');
  await rm(pidPath, { force: true });
  // As root, nginx's workers would switch to "nobody", who cannot enter the 0700 temp dir (nor a
  // TMPDIR under /root). Workers as root keep every path private and work wherever TMPDIR points;
  // the gateway listens on loopback only, so nothing is exposed. Not root: the directive is omitted
  // (nginx would warn that it is ignored) and workers run as the calling user.
  const runWorkersAsRoot = process.getuid?.() === 0;
  await writeFile(confPath, renderNginxConfig({ dir, listenPort, options, resolverPort, runWorkersAsRoot }));
  const args = ['-p', dir + '/', '-c', confPath];
  // -e (1.19.5+) sends start-up messages to our log too instead of the compiled-in path.
  if (supportsErrorLogFlag(binary)) args.push('-e', errorLogPath);
  // Its own process group: close() can then reach the workers even if the master is gone.
  const child = spawn(binary, args, { detached: true, stdio: ['ignore', 'ignore', 'pipe'] });
  // If this process dies without close(), nginx must not outlive it.
  const guard: OrphanGuard = child.pid !== undefined ? guardProcessGroup(child.pid, options.keepFiles ? undefined : dir) : { release: () => {} };
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => void (stderr = (stderr + chunk.toString()).slice(-4000)));
  let exited = false;
  child.once('exit', () => void (exited = true));
  child.once('error', (error) => void ((exited = true), (stderr += String(error))));
  const accepting = await waitUntilAccepting(listenPort, {
    timeoutMs: START_TIMEOUT_MS,
    gaveUp: () => exited,
  });
  // The pid file appears only after nginx bound its port: a port taken by someone else never counts.
  const ready = accepting && !exited && (await waitForFile(pidPath, () => exited));
  if (!ready) {
    if (!exited) await killGroup(child);
    guard.release();
    return { log: `${readQuietly(errorLogPath)}\n${stderr}`.trim() };
  }
  return {
    gateway: {
      kind: 'nginx',
      url: `http://${LOOPBACK}:${listenPort}`,
      port: listenPort,
      errorLogPath,
      configPath: confPath,
      pid: child.pid,
      child,
      guard,
      close: async () => {},
    },
  };
}

function withCleanup(started: StartedNginx, dir: string, dns: DnsStub | undefined, keepFiles: boolean): RunningGateway {
  const { child, guard, ...gateway } = started;
  let closing: Promise<void> | undefined;
  gateway.close = () =>
    (closing ??= (async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGQUIT');
        if (!(await waitForExit(child, QUIT_GRACE_MS))) await killGroup(child);
      }
      await waitForGroupGone(child.pid!);
      guard.release();
      await dns?.close();
      if (!keepFiles) await rm(dir, { recursive: true, force: true });
    })());
  return gateway;
}

async function killGroup(child: ChildProcess): Promise<void> {
  try {
    process.kill(-child.pid!, 'SIGKILL');
  } catch {
    /* already gone */
  }
  await waitForExit(child, QUIT_GRACE_MS);
}

function waitForExit(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/** Waits until no process of nginx's group (master and workers) is left; SIGKILLs stragglers. */
async function waitForGroupGone(pgid: number): Promise<void> {
  for (let i = 0; i < 100; i += 1) {
    try {
      process.kill(-pgid, i === 50 ? 'SIGKILL' : 0);
    } catch {
      return;
    }
    await sleep(20);
  }
}

async function waitForFile(path: string, gaveUp: () => boolean): Promise<boolean> {
  for (let i = 0; i < 250; i += 1) {
    if (existsSync(path)) return true;
    if (gaveUp()) return false;
    await sleep(20);
  }
  return false;
}

const errorLogFlagSupport = new Map<string, boolean>();

/** nginx ≥ 1.19.5 understands `-e file`. */
function supportsErrorLogFlag(binary: string): boolean {
  const known = errorLogFlagSupport.get(binary);
  if (known !== undefined) return known;
  const out = spawnSync(binary, ['-v'], { encoding: 'utf8' });
  const match = /nginx\/(\d+)\.(\d+)\.(\d+)/.exec(`${out.stderr}${out.stdout}`);
  const version = match ? Number(match[1]) * 1e6 + Number(match[2]) * 1e3 + Number(match[3]) : 0;
  const supported = version >= 1_019_005;
  errorLogFlagSupport.set(binary, supported);
  return supported;
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
