/**
 * Postman v2.0 collections (real exports, test/fixtures/collections-v2.0) are read as v2.1: the
 * auth parameters become lists as postman-collection-transformer writes v2.1, and the Postman SDK
 * (which newman runs on) reads the same auth, the same requests and the same URLs from the
 * converted collection as from the original.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import sdk from 'postman-collection';
import { describe, expect, it } from 'vitest';
import { toV21Collection } from '../../src/postman/read-collection.js';
import { loadCollection } from '../../src/postman/load.js';

const DIR = fileURLToPath(new URL('../fixtures/collections-v2.0/', import.meta.url));
const FILES = readdirSync(DIR).filter((name) => name.endsWith('.json'));
const read = (name: string) => JSON.parse(readFileSync(DIR + name, 'utf8')) as Record<string, unknown>;

type Json = Record<string, any>;

/** Every auth object of a collection, with where it sits. */
function auths(collection: Json): { where: string; auth: Json }[] {
  const found: { where: string; auth: Json }[] = [];
  if (collection.auth) found.push({ where: 'collection', auth: collection.auth });
  const walk = (items: Json[], path: string) => {
    for (const item of items) {
      const where = `${path}/${item.name}`;
      if (item.auth) found.push({ where, auth: item.auth });
      if (item.request?.auth) found.push({ where: `${where} request`, auth: item.request.auth });
      for (const response of item.response ?? []) if (response.originalRequest?.auth) found.push({ where: `${where} example`, auth: response.originalRequest.auth });
      if (Array.isArray(item.item)) walk(item.item, where);
    }
  };
  walk(collection.item ?? [], '');
  return found;
}

/** What newman's SDK makes of each request: method, URL, and the auth parameters it would apply. */
function describeForSdk(json: object): string[] {
  const collection = new sdk.Collection(json as never);
  const lines: string[] = [];
  collection.forEachItem((item) => {
    const auth = item.getAuth();
    const parameters = auth?.parameters()?.toObject() ?? {};
    lines.push(`${item.request.method} ${item.request.url.toString()} auth=${auth?.type ?? 'none'} ${JSON.stringify(parameters)}`);
  });
  return lines;
}

describe('a v2.0 collection is read as v2.1', () => {
  it('has the fixtures: 8 real v2.0 exports', () => {
    expect(FILES).toHaveLength(8);
    for (const name of FILES) expect(String((read(name).info as Json).schema), name).toMatch(/\/v2\.0\.0\//);
  });

  it.each(FILES)('%s: format v2.0, schema v2.1, every auth a list, the input untouched', (name) => {
    const original = read(name);
    const before = JSON.stringify(original);
    const { collection, format } = toV21Collection(original, name);
    expect(format).toBe('v2.0');
    expect(collection.info.schema).toBe('https://schema.getpostman.com/json/collection/v2.1.0/collection.json');
    for (const { where, auth } of auths(collection as Json)) {
      if (auth.type === 'noauth') continue;
      expect(Array.isArray(auth[auth.type]) || auth[auth.type] === undefined, `${name} ${where}: ${JSON.stringify(auth)}`).toBe(true);
    }
    expect(JSON.stringify(original)).toBe(before);
  });

  it.each(FILES)('%s: the SDK newman runs on reads the same requests and auth from it', (name) => {
    const original = read(name);
    const { collection } = toV21Collection(original, name);
    expect(describeForSdk(collection)).toEqual(describeForSdk(original));
  });

  it('the auths converted are the ones that were objects: helpers.json has its five types as lists', () => {
    const { collection } = toV21Collection(read('helpers.json'), 'helpers.json');
    const types = auths(collection as Json).map(({ auth }) => auth.type);
    expect(types.sort()).toEqual(['basic', 'bearer', 'digest', 'oauth1', 'oauth2']);
    const basic = auths(collection as Json).find(({ auth }) => auth.type === 'basic')!.auth;
    expect(basic.basic).toEqual([
      { key: 'username', value: 'abhijit', type: 'string' },
      { key: 'password', value: 'kane', type: 'string' },
    ]);
  });

  it('nestedEntities.json: the collection, folder and request auth are all converted', () => {
    const { collection } = toV21Collection(read('nestedEntities.json'), 'nestedEntities.json');
    const where = auths(collection as Json).filter(({ auth }) => Array.isArray(auth[auth.type])).map((a) => a.where);
    expect(where).toContain('collection');
    expect(where.some((w) => w.endsWith('request'))).toBe(true);
    expect(where.some((w) => !w.endsWith('request') && w !== 'collection')).toBe(true);
  });

  it('loadCollection (run, ramp, diagnose, watch, export) reads a v2.0 file as v2.1: twitter.json, 18 requests', async () => {
    const collection = await loadCollection(DIR + 'twitter.json');
    expect(collection.info.schema).toMatch(/v2\.1\.0/);
    expect(describeForSdk(collection)).toHaveLength(18);
    expect(describeForSdk(collection)).toEqual(describeForSdk(read('twitter.json')));
  });
});
