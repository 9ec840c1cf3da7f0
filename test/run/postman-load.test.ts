import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { InputError } from '../../src/errors.js';
import { applyEnvVars, loadCollection, loadEnvironment, parseEnvVar, variableValue } from '../../src/postman/load.js';
import { findJsonErrorOffset, parseJsonFile } from '../../src/postman/parse-json.js';

let dir: string;
const file = async (name: string, content: string) => {
  const path = join(dir, name);
  await writeFile(path, content);
  return path;
};
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'debug502-load-'));
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function inputError(promise: Promise<unknown>): Promise<InputError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(InputError);
  return error as InputError;
}

describe('loadCollection', () => {
  test('loads a v2.1 collection and unwraps a Postman API export', async () => {
    const collection = { info: { name: 'c' }, item: [], variable: [{ key: 'max_response_time_ms', value: 3000 }] };
    expect(await loadCollection(await file('c.json', JSON.stringify(collection)))).toEqual(collection);
    expect(await loadCollection(await file('api.json', JSON.stringify({ collection })))).toEqual(collection);
  });

  test('a missing file, a directory: the message names the file', async () => {
    const missing = join(dir, 'nope.json');
    expect((await inputError(loadCollection(missing))).message).toBe(`collection ${missing}: file not found`);
    const sub = join(dir, 'sub');
    await mkdir(sub, { recursive: true });
    expect((await inputError(loadCollection(sub))).message).toContain('is a directory');
  });

  test('not JSON: line and column of the first bad character', async () => {
    const path = await file('bad.json', '{\n  "info": {},\n  "item": [1,]\n}');
    const error = await inputError(loadCollection(path));
    expect(error.message).toBe(`${path}: not valid JSON at line 3, column 14: unexpected "]"`);
    expect(error.hint).toContain('debug502 generate');
  });

  test('JSON that is no collection: every missing part listed; an environment is recognised', async () => {
    const error = await inputError(loadCollection(await file('x.json', '{"name": "x"}')));
    expect(error.problems).toEqual([
      'info: missing (a Postman v2 collection has an "info" object)',
      'item: missing (a Postman v2 collection has an "item" array of requests and folders)',
    ]);
    const env = await inputError(loadCollection(await file('env-as-coll.json', '{"name":"e","values":[]}')));
    expect(env.message).toContain('this is a Postman environment, not a collection');
    expect((await inputError(loadCollection(await file('arr.json', '[]')))).message).toContain('the file holds an array');
  });
});

describe('loadEnvironment', () => {
  test('loads values; rejects a file without values, with bad keys, or a collection', async () => {
    const env = { name: 'lab', values: [{ key: 'gateway_url', value: 'http://127.0.0.1:1', enabled: true }] };
    expect(await loadEnvironment(await file('e.json', JSON.stringify(env)))).toEqual(env);
    expect((await inputError(loadEnvironment(await file('e2.json', '{"name":"x"}')))).problems).toEqual([
      'values: missing (a Postman environment has a "values" array of { "key", "value" })',
    ]);
    expect((await inputError(loadEnvironment(await file('e3.json', '{"values":[{"value":1}, 3]}')))).problems).toEqual([
      'values[0].key: must be a non-empty string',
      'values[1]: must be an object { "key", "value" }',
    ]);
    expect((await inputError(loadEnvironment(await file('e4.json', '{"info":{},"item":[]}')))).message).toContain('this is a Postman collection');
  });
});

describe('env vars', () => {
  test('parseEnvVar keeps "=" in values and rejects a missing key', () => {
    expect(parseEnvVar('token=a=b')).toEqual({ key: 'token', value: 'a=b' });
    expect(parseEnvVar('empty=')).toEqual({ key: 'empty', value: '' });
    expect(() => parseEnvVar('novalue')).toThrow(/--env-var "novalue": expected key=value/);
    expect(() => parseEnvVar('=x')).toThrow(InputError);
  });

  test('applyEnvVars overrides, enables and adds without changing the input', () => {
    const env = { name: 'e', values: [{ key: 'gateway_url', value: 'old', enabled: false }] };
    const applied = applyEnvVars(env, { gateway_url: 'new', backend_url: 'b' });
    expect(applied.values).toEqual([
      { key: 'gateway_url', value: 'new', enabled: true },
      { key: 'backend_url', value: 'b', type: 'default', enabled: true },
    ]);
    expect(env.values[0]).toEqual({ key: 'gateway_url', value: 'old', enabled: false });
    expect(variableValue(applied.values, 'gateway_url')).toBe('new');
    expect(variableValue(env.values, 'gateway_url')).toBeUndefined();
    expect(applyEnvVars(undefined, { a: '1' }).values).toHaveLength(1);
  });
});

describe('findJsonErrorOffset', () => {
  test.each([
    ['{"a": }', 6], ['{\n  "a": 1,\n}', 12], ['{"a" 1}', 5], ['', 0], ['{"a": "x', 8], ['hello', 0],
    ['{"a":1} x', 8], ['[1,]', 3], ['{"a":tru}', 5], ['"\\q"', 2], ['[01]', 2], ['{"a":"\u0001"}', 6],
  ])('%j → %i', (text, offset) => {
    expect(() => JSON.parse(text)).toThrow();
    expect(findJsonErrorOffset(text)).toBe(offset);
  });

  test('valid JSON → -1; a BOM is accepted', () => {
    expect(findJsonErrorOffset('{"a":[1,2.5e3,-0,true,null,"\\u00e9"]}')).toBe(-1);
    expect(parseJsonFile('\uFEFF{"a":1}', 'f.json')).toEqual({ a: 1 });
  });
});
