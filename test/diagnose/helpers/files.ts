import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A fresh temp directory for one test file's inputs. */
export function tempDir(prefix = 'debug502-diagnose-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Writes a Postman environment with gateway_url and backend_url; returns its path. */
export function writeEnvironment(dir: string, gatewayUrl: string, backendUrl: string, name = 'env'): string {
  const file = join(dir, `${name}.postman_environment.json`);
  writeFileSync(file, JSON.stringify({
    id: name, name, _postman_variable_scope: 'environment',
    values: [
      { key: 'gateway_url', value: gatewayUrl, type: 'default', enabled: true },
      { key: 'backend_url', value: backendUrl, type: 'default', enabled: true },
    ],
  }));
  return file;
}

/** A "502 Debugging" collection shaped like `generate` writes it: both folders, and a health request. */
export function writeCollection(dir: string, paths: string[], healthPath?: string): string {
  const item = (route: 'gateway_url' | 'backend_url') => paths.map((path) => ({
    name: `GET ${path}`,
    request: { method: 'GET', header: [{ key: 'Accept', value: 'application/json' }], url: { raw: `{{${route}}}${path}`, host: [`{{${route}}}`], path: path.split('/').filter(Boolean) } },
  }));
  const folders: unknown[] = [
    { name: 'Through gateway', item: item('gateway_url') },
    { name: 'Direct to backend', item: item('backend_url') },
  ];
  if (healthPath) folders.push({ name: 'Backend health', item: [{ name: 'Check backend server health', request: { method: 'GET', url: `{{backend_url}}${healthPath}` } }] });
  const file = join(dir, 'debug.postman_collection.json');
  writeFileSync(file, JSON.stringify({ info: { name: '502 Debugging', schema: 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json' }, item: folders }));
  return file;
}
