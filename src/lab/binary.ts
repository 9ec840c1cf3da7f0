import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import type { BinarySpec } from '../gateways/profile.js';

/**
 * The program `spec` names: its environment variable when set (null if that path is not
 * executable — no fallback, so a test can make a gateway "missing"), else the first of its names on
 * PATH, else its usual install places. Null when there is none.
 */
export function findBinary(spec: BinarySpec, env: Record<string, string | undefined> = process.env): string | null {
  const override = env[spec.envVar];
  if (override) return isExecutable(override) ? override : null;
  const dirs = (env.PATH ?? '').split(delimiter).filter(Boolean);
  const onPath = spec.names.flatMap((name) => dirs.map((dir) => join(dir, name)));
  return [...onPath, ...spec.fallbackPaths].find(isExecutable) ?? null;
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

const versions = new Map<string, string>();

/** What `binary args…` prints (stdout and stderr: nginx -v writes to stderr), read once per binary. */
export function readVersionText(binary: string, args: readonly string[]): string {
  const key = `${binary}\0${args.join('\0')}`;
  let text = versions.get(key);
  if (text === undefined) {
    const out = spawnSync(binary, [...args], { encoding: 'utf8', timeout: 5000 });
    text = `${out.stdout ?? ''}${out.stderr ?? ''}`;
    versions.set(key, text);
  }
  return text;
}
