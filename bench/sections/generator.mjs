/**
 * Section 5, generator: buildCollection for a config of 1000 endpoints (2000 requests with their
 * test scripts, through the postman-collection SDK and the Handlebars templates), against
 * JSON.stringify of the very collection it returns — the cost of merely writing it out.
 */
import { resolveConfig } from '../../dist/config/index.js';
import { buildCollection } from '../../dist/generate/index.js';
import { median, num, printHeading, printRatio, printTable } from '../lib/format.mjs';

const ENDPOINTS = 1000;
const ROUNDS = 5;
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

/** A raw config of `count` endpoints, every shape the schema allows: queries, headers, JSON and raw bodies. */
function makeRawConfig(count) {
  const endpoints = Array.from({ length: count }, (_, i) => {
    const method = METHODS[i % METHODS.length];
    const endpoint = { name: `Endpoint ${i} ${method}`, method, path: `/api/resource-${i % 50}/${i}` };
    if (i % 3 === 0) endpoint.query = { page: String(i % 7), sort: 'name' };
    if (i % 2 === 0) endpoint.headers = { Accept: 'application/json', 'X-Request-Id': `bench-${i}` };
    if (method === 'POST' || method === 'PUT') endpoint.body = { id: i, name: `Item ${i}`, tags: ['a', 'b'], nested: { ok: true } };
    if (method === 'PATCH') endpoint.body = `op=replace&field=name&value=${i}`;
    if (i % 4 === 0) endpoint.expectStatus = method === 'POST' ? 201 : 200;
    return endpoint;
  });
  return {
    name: 'Bench 1000',
    environments: {
      local: { gateway_url: 'http://127.0.0.1:8080', backend_url: 'http://127.0.0.1:3000' },
      staging: { gateway_url: 'https://gw.staging.invalid', backend_url: 'http://api.staging.invalid:3000', secrets: ['api_token'] },
    },
    health: { path: '/health' },
    endpoints,
  };
}

/** Median wall time of `fn` over ROUNDS runs (after one untimed warm-up run), and its last value. */
function timeMedian(fn) {
  let value = fn();
  const times = [];
  for (let round = 0; round < ROUNDS; round += 1) {
    const t0 = performance.now();
    value = fn();
    times.push(performance.now() - t0);
  }
  return { ms: median(times), value };
}

export async function runGeneratorSection() {
  printHeading(`5. Generator: buildCollection for ${num(ENDPOINTS)} endpoints vs JSON.stringify of its output`);
  const raw = makeRawConfig(ENDPOINTS);
  const resolved = timeMedian(() => resolveConfig(raw, 'bench config'));
  const built = timeMedian(() => buildCollection(resolved.value));
  const collection = built.value;
  const serialized = timeMedian(() => JSON.stringify(collection, null, 2));
  const requests = collection.item.reduce((sum, folder) => sum + (Array.isArray(folder.item) ? folder.item.length : 1), 0);
  printTable(
    ['step', `ms (median of ${ROUNDS})`, 'per endpoint µs'],
    [
      ['resolveConfig (zod validation)', num(resolved.ms, 1), num((resolved.ms * 1000) / ENDPOINTS)],
      ['buildCollection', num(built.ms, 1), num((built.ms * 1000) / ENDPOINTS)],
      ['JSON.stringify(collection, null, 2) (baseline)', num(serialized.ms, 1), num((serialized.ms * 1000) / ENDPOINTS)],
    ],
  );
  console.log(`  output: ${num(requests)} requests in ${collection.item.length} folders, ${num(serialized.value.length / 1024 / 1024, 1)} MB of JSON`);
  const cost = built.ms / serialized.ms;
  printRatio('buildCollection / JSON.stringify', cost, 'building costs this many times writing the same JSON out');
  return [{ name: `generate: buildCollection / JSON.stringify (${ENDPOINTS} endpoints)`, value: cost, meaning: `building the collection costs ${num(cost, 1)}× serializing it (${num(built.ms)} ms)` }];
}
