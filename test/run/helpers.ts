/** Test helpers of the run room: collections from the generator, files in a temp dir, dead ports, XML parsing. */
import { reserveDeadPort } from '../../src/lab/ports.js';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildCollection, buildEnvironment } from '../../src/generate/index.js';
import type { ResolvedConfig } from '../../src/model.js';
import { afterAll, beforeAll } from 'vitest';
import { captureIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { startTinyServer, type TinyServer } from '../generate/helpers.js';

/** Two endpoints (one with a status test) and the backend health request, as `generate` writes them. */
export function labConfig(urls: { gatewayUrl: string; backendUrl: string }, maxResponseTimeMs = 5000): ResolvedConfig {
  return {
    name: '502 Debugging',
    assertions: { maxResponseTimeMs },
    environments: { lab: { gateway_url: urls.gatewayUrl, backend_url: urls.backendUrl, secrets: [] } },
    health: { path: '/health', method: 'GET' },
    endpoints: [
      { name: 'List users', method: 'GET', path: '/api/users', query: { page: '1' }, headers: {} },
      { name: 'Create user', method: 'POST', path: '/api/users', query: {}, headers: {}, body: { name: 'Ada' }, expectStatus: 201 },
    ],
  };
}

export interface Workspace {
  dir: string;
  collection: string;
  environment: string;
  remove(): Promise<void>;
}

/** Writes the generated collection and the `lab` environment for these URLs into a fresh temp dir. */
export async function writeWorkspace(urls: { gatewayUrl: string; backendUrl: string }, maxResponseTimeMs?: number): Promise<Workspace> {
  const dir = await mkdtemp(join(tmpdir(), 'debug502-run-'));
  const config = labConfig(urls, maxResponseTimeMs);
  const collection = join(dir, 'collection.json');
  const environment = join(dir, 'lab.postman_environment.json');
  await writeFile(collection, JSON.stringify(buildCollection(config), null, 2));
  await writeFile(environment, JSON.stringify(buildEnvironment('lab', config.environments.lab), null, 2));
  return { dir, collection, environment, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** A loopback port nobody listens on, and that no server other tests start on port 0 will take. */
export const deadPort = reserveDeadPort;

/** A loopback listener the test closes; close() also ends the connections still open. */
export interface RawServer {
  port: number;
  close(): Promise<void>;
}

/**
 * A raw TCP server on 127.0.0.1:0 that never answers by itself: `onData`, if given, gets each
 * connection's socket when its first bytes arrive and answers however it likes (malformed, slow, …).
 */
export async function startRawServer(onData?: (socket: Socket) => void): Promise<RawServer> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    if (onData) socket.once('data', () => onData(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    close: () => new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    }),
  };
}

export const HAS_PYTHON = spawnSync('python3', ['--version']).status === 0;

/**
 * A loopback listener that never accepts and whose accept queue is full (Python: listen(0) and a
 * few connections nobody takes), so the kernel drops further SYNs as a firewall that drops packets
 * does: connecting times out. Needs python3 (Node always accepts).
 */
export async function startFullBacklogListener(): Promise<{ port: number; close(): void }> {
  const child = spawn('python3', ['-c', [
    'import socket, time',
    's = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(0)',
    'port = s.getsockname()[1]; fill = []',
    'for i in range(4):',
    '    c = socket.socket(); c.setblocking(False)',
    '    try: c.connect(("127.0.0.1", port))',
    '    except BlockingIOError: pass',
    '    fill.append(c)',
    'print(port, flush=True); time.sleep(30)',
  ].join('\n')]);
  const port = await new Promise<number>((resolve, reject) => {
    child.once('error', reject);
    child.stdout.once('data', (d) => resolve(Number(String(d).trim())));
  });
  return { port, close: () => void child.kill() };
}

export interface JunitTree {
  tag: string;
  attrs: Record<string, string>;
  suites: { name: string; attrs: Record<string, string>; cases: { classname: string; name: string; failure?: string; error?: string; text: string }[] }[];
}

/** Parses JUnit XML with a real XML parser (Python's ElementTree) and returns its shape. */
export function parseJunit(xml: string): JunitTree {
  const script = [
    'import sys, json, xml.etree.ElementTree as ET',
    'root = ET.fromstring(sys.stdin.buffer.read())',
    'def case(c):',
    '    f = c.find("failure"); e = c.find("error")',
    '    out = {"classname": c.get("classname"), "name": c.get("name"), "text": (f.text if f is not None else e.text if e is not None else "") or ""}',
    '    if f is not None: out["failure"] = f.get("message")',
    '    if e is not None: out["error"] = e.get("type")',
    '    return out',
    'print(json.dumps({"tag": root.tag, "attrs": dict(root.attrib), "suites": [{"name": s.get("name"), "attrs": dict(s.attrib), "cases": [case(c) for c in s.findall("testcase")]} for s in root.findall("testsuite")]}))',
  ].join('\n');
  const result = spawnSync('python3', ['-c', script], { input: xml, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`JUnit XML does not parse: ${result.stderr}`);
  return JSON.parse(result.stdout) as JunitTree;
}

/** A tiny loopback server answering `status`, a generated workspace pointing at it, and the CLI run in that workspace. */
export interface ServedWorkspace {
  server: TinyServer;
  ws: Workspace;
  cli(args: string[]): Promise<{ code: number; out: string; err: string }>;
}

/**
 * Registers beforeAll/afterAll hooks (call it at the top of a test file) that start the server and
 * write the workspace, and stop and remove them; the fields are set once beforeAll ran.
 */
export function useServedWorkspace(status: number): ServedWorkspace {
  const served = {} as ServedWorkspace;
  beforeAll(async () => {
    served.server = await startTinyServer(status);
    served.ws = await writeWorkspace({ gatewayUrl: served.server.url, backendUrl: served.server.url });
  });
  afterAll(async () => {
    await served.server.close();
    await served.ws.remove();
  });
  served.cli = async (args) => {
    const io = captureIo({ cwd: served.ws.dir });
    const code = await main(args, io);
    return { code, out: io.out.join(''), err: io.err.join('') };
  };
  return served;
}
