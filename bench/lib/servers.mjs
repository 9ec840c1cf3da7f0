/**
 * Starts bench servers (lab backend, built-in proxy) as child processes on 127.0.0.1 and keeps
 * track of every one, so the bench can stop them all at the end, whatever happened.
 */
import { fork } from 'node:child_process';

const CHILD = new URL('./server-child.mjs', import.meta.url);
const START_TIMEOUT_MS = 15_000;
const REPLY_TIMEOUT_MS = 5_000;
const running = new Set();
/** Other things to stop at the end (e.g. an nginx the bench started): functions returning promises. */
const cleanups = new Set();

/** Registers `stop` to run at stopAllServers(); returns a function that unregisters it. */
export function registerCleanup(stop) {
  cleanups.add(stop);
  return () => cleanups.delete(stop);
}

/** Waits for the next IPC message of `type` from `child`, at most `timeoutMs`. */
function nextMessage(child, type, timeoutMs) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => done(new Error(`bench server: no "${type}" message within ${timeoutMs} ms`)), timeoutMs);
    const onMessage = (message) => message?.type === type && done(null, message);
    const onExit = (code) => done(new Error(`bench server exited (code ${code}) before "${type}"`));
    function done(error, message) {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      if (error) reject(error);
      else resolve(message);
    }
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

/**
 * Starts one server child from `spec` ({ kind: 'backend', latencyMs } | { kind: 'builtin', upstream })
 * and resolves once it listens: { url, port, stats(), close() }. stats() gives the backend's
 * LabBackendStats (null for the proxy) and the child's cumulative CPU (µs).
 */
export async function startServer(spec) {
  const child = fork(CHILD, [JSON.stringify(spec)], { execArgv: [], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const entry = { child };
  running.add(entry);
  try {
    const ready = await nextMessage(child, 'ready', START_TIMEOUT_MS);
    const server = {
      url: ready.url,
      port: ready.port,
      async stats() {
        const reply = nextMessage(child, 'stats', REPLY_TIMEOUT_MS);
        child.send('stats');
        const { stats, cpu } = await reply;
        return { ...stats, cpuMicros: cpu.user + cpu.system };
      },
      close: () => stopChild(entry),
    };
    return server;
  } catch (error) {
    await stopChild(entry);
    throw error;
  }
}

async function stopChild(entry) {
  if (!running.has(entry)) return;
  running.delete(entry);
  const { child } = entry;
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  if (child.connected) child.send('close');
  const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
  await exited;
  clearTimeout(timer);
}

/** Stops every server still running and runs every registered cleanup (bench end, crash, Ctrl-C). */
export async function stopAllServers() {
  const others = [...cleanups];
  cleanups.clear();
  await Promise.allSettled(others.map((stop) => stop()));
  await Promise.all([...running].map(stopChild));
}

/** Runs `fn(server)` with a fresh server from `spec`, stopped afterwards. */
export async function withServer(spec, fn) {
  const server = await startServer(spec);
  try {
    return await fn(server);
  } finally {
    await server.close();
  }
}
