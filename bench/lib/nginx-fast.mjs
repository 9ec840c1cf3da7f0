/**
 * nginx answering `return 200` itself — a target faster than any Node client, so a generator
 * measured against it shows its own ceiling, not the server's. Started from a config in a temp dir
 * on 127.0.0.1 (one worker, access log off), stopped by stopAllServers() (registered cleanup).
 * Resolves to null when nginx is not installed.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findNginx } from '../../dist/lab/nginx.js';
import { reserveFreePort, waitUntilAccepting } from '../../dist/lab/ports.js';
import { registerCleanup } from './servers.mjs';

export async function startNginxReturn200() {
  const binary = findNginx();
  if (!binary) return null;
  const dir = await mkdtemp(join(tmpdir(), 'debug502-bench-nginx-'));
  const port = await reserveFreePort();
  const root = process.getuid?.() === 0 ? 'user root;\n' : '';
  await writeFile(join(dir, 'nginx.conf'), `daemon off;\nmaster_process on;\nworker_processes 1;\n${root}pid ${dir}/nginx.pid;\nerror_log ${dir}/error.log warn;\n` +
    `events { worker_connections 4096; }\nhttp {\n  access_log off;\n  keepalive_requests 1000000;\n  client_body_temp_path ${dir}/body;\n  proxy_temp_path ${dir}/proxy;\n  fastcgi_temp_path ${dir}/fcgi;\n  uwsgi_temp_path ${dir}/uwsgi;\n  scgi_temp_path ${dir}/scgi;\n` +
    `  server {\n    listen 127.0.0.1:${port};\n    location / { return 200 '{"ok":true}'; }\n  }\n}\n`);
  const child = spawn(binary, ['-p', dir + '/', '-c', join(dir, 'nginx.conf')], { detached: true, stdio: 'ignore' });
  let exited = false;
  child.once('exit', () => (exited = true));
  const stop = async () => {
    if (!exited) {
      const gone = new Promise((resolve) => child.once('exit', resolve));
      try { process.kill(-child.pid, 'SIGQUIT'); } catch {}
      const timer = setTimeout(() => { try { process.kill(-child.pid, 'SIGKILL'); } catch {} }, 2000);
      await gone;
      clearTimeout(timer);
    }
    await rm(dir, { recursive: true, force: true });
  };
  const unregister = registerCleanup(stop);
  if (!(await waitUntilAccepting(port, { timeoutMs: 5000, gaveUp: () => exited }))) {
    unregister();
    await stop();
    throw new Error(`nginx (return 200) did not start on port ${port}`);
  }
  return { url: `http://127.0.0.1:${port}`, close: async () => { unregister(); await stop(); } };
}
