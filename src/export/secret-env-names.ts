/**
 * The OS environment variables a generated script reads its secrets from. Which values and
 * variables are secret is the postman room's call (src/postman/secret-values.ts findSecrets), the
 * one secret finder of the project; this only names where the script finds them. Pure.
 */

/**
 * The OS environment variable a secret is read from at run time: `api_token` → `DEBUG502_VAR_api_token`;
 * characters a shell cannot put in a name become `_`, and a clash gets `_2`, `_3`…
 */
export function secretEnvNames(names: readonly string[]): Map<string, string> {
  const result = new Map<string, string>();
  const taken = new Set<string>();
  for (const name of names) {
    const base = `DEBUG502_VAR_${name.replace(/[^A-Za-z0-9_]/g, '_')}`;
    let candidate = base;
    for (let n = 2; taken.has(candidate); n += 1) candidate = `${base}_${n}`;
    taken.add(candidate);
    result.set(name, candidate);
  }
  return result;
}
