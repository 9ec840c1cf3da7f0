/** Collections for the export tests: a hostile name, a secret variable, a literal credential, a dynamic variable, bodies. */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildCollection, buildEnvironment } from '../../src/generate/index.js';

export const HOSTILE_NAME = '"""; import os; os.system("x") #';
/** Values that must never appear in a generated script. */
export const SECRET_VALUE = 'SUPERSECRET-7f3a';
export const LITERAL_CREDENTIAL = 'Token literal-credential-91c2';

/**
 * The generated collection for three endpoints, plus a literal `Authorization` header on the
 * second one (as a user's own collection may have).
 */
export function exportCollection(): Record<string, any> {
  const collection = buildCollection({
    name: 'export test',
    assertions: { maxResponseTimeMs: 5000 },
    environments: { lab: { gateway_url: 'http://127.0.0.1:1', backend_url: 'http://127.0.0.1:1', secrets: ['api_token'] } },
    endpoints: [
      { name: HOSTILE_NAME, method: 'POST', path: '/api/users', query: { q: 'a b' }, headers: { Authorization: 'Bearer {{api_token}}', 'X-Request-Id': '{{$guid}}' }, body: { name: "it's \"me\"\n" } },
      { name: 'List users', method: 'GET', path: '/api/users', query: {}, headers: {} },
      { name: 'Get user', method: 'GET', path: '/api/users/2', query: {}, headers: {} },
    ],
  }) as Record<string, any>;
  for (const folder of collection.item) {
    const list = folder.item.find((i: any) => i.name === 'List users');
    if (list) list.request.header = [...(list.request.header ?? []), { key: 'Authorization', value: LITERAL_CREDENTIAL }];
  }
  return collection;
}

/** Writes the collection and an environment (api_token set to SECRET_VALUE, typed secret) into `dir`. */
export async function writeExportFiles(dir: string, urls: { gateway: string; backend: string }): Promise<{ collection: string; environment: string }> {
  const collection = join(dir, 'export.postman_collection.json');
  const environment = join(dir, 'lab.postman_environment.json');
  const env = buildEnvironment('lab', { gateway_url: urls.gateway, backend_url: urls.backend, secrets: ['api_token'] }) as { values: { key: string; value: string }[] };
  env.values.find((v) => v.key === 'api_token')!.value = SECRET_VALUE;
  await writeFile(collection, JSON.stringify(exportCollection()));
  await writeFile(environment, JSON.stringify(env));
  return { collection, environment };
}
