import { describe, expect, test } from 'vitest';
import { describeTargets, secretEnvNames, toPythonLiteral } from '../../src/export/index.js';
import { findSecrets } from '../../src/postman/secret-values.js';
import { exportCollection, HOSTILE_NAME, LITERAL_CREDENTIAL, SECRET_VALUE } from './fixtures.js';

const environment = {
  name: 'lab',
  values: [
    { key: 'gateway_url', value: 'http://127.0.0.1:8080', type: 'default' },
    { key: 'backend_url', value: 'http://127.0.0.1:3000', type: 'default' },
    { key: 'api_token', value: SECRET_VALUE, type: 'secret' },
  ],
};

describe('export: the requests of each target, secrets cut out', () => {
  test('the fast engine\'s requests, with secrets as named parts and dynamic variables drawn by the script', () => {
    const suite = describeTargets({ collection: exportCollection() as never, environment, targets: ['gateway', 'backend'] });
    expect(suite.targets.map((t) => [t.target, t.host, t.requests.length])).toEqual([['gateway', 'http://127.0.0.1:8080', 3], ['backend', 'http://127.0.0.1:3000', 3]]);
    const [post, list] = suite.targets[0].requests;
    expect(post.label).toBe(`[gateway] ${HOSTILE_NAME}`);
    expect(post.url).toEqual(['http://127.0.0.1:8080/api/users?q=a%20b']);
    const header = (name: string) => post.headers.find(([n]) => n[0] === name)?.[1];
    expect(header('Authorization')).toEqual(['Bearer ', { secret: 'api_token' }]);
    expect(header('X-Request-Id')).toEqual([{ dynamic: '$guid' }]);
    expect(header('User-Agent')?.[0]).toMatch(/^debug502\/.* \(fast engine\)$/);
    expect(post.body).toEqual({ raw: [JSON.stringify({ name: "it's \"me\"\n" }, null, 2)] });
    expect(list.headers.find(([n]) => n[0] === 'Authorization')?.[1]).toEqual([{ secret: 'authorization' }]);
    expect(suite.secrets).toEqual([
      { name: 'api_token', envVar: 'DEBUG502_VAR_api_token', kind: 'variable' },
      { name: 'authorization', envVar: 'DEBUG502_VAR_authorization', kind: 'header' },
    ]);
    const text = JSON.stringify(suite);
    expect(text).not.toContain(SECRET_VALUE);
    expect(text).not.toContain('literal-credential');
  });

  test('a variable used in an Authorization header or an auth helper is secret even when not typed so', () => {
    const collection = {
      info: { name: 'c' },
      auth: { type: 'bearer', bearer: [{ key: 'token', value: '{{collection_token}}' }] },
      item: [{ name: 'r', request: { url: '{{gateway_url}}/x', header: [{ key: 'proxy-authorization', value: 'Basic {{proxy_creds}}' }] } }],
    };
    expect(findSecrets({ collection, environment: { values: [{ key: 'pw', value: 'x', type: 'secret' }] } }).variables).toEqual(['collection_token', 'proxy_creds', 'pw']);
  });

  test('the shared finder\'s values: a token typed into an auth helper and a secret typed out in a body are cut out by value', () => {
    const collection = {
      info: { name: 'c' },
      item: [{
        name: 'Through gateway',
        item: [
          { name: 'helper', request: { method: 'GET', url: '{{gateway_url}}/x', auth: { type: 'bearer', bearer: [{ key: 'token', value: 'typed-in-token-55' }] } } },
          { name: 'body', request: { method: 'POST', url: '{{gateway_url}}/y', body: { mode: 'raw', raw: `{"key":"${SECRET_VALUE}"}` } } },
          { name: 'unset', request: { method: 'GET', url: '{{gateway_url}}/z', header: [{ key: 'Authorization', value: 'Bearer {{runtime_token}}' }] } },
        ],
      }],
    };
    const suite = describeTargets({ collection: collection as never, environment, targets: ['gateway'] });
    const [helper, body, unset] = suite.targets[0].requests;
    expect(helper.headers.find(([n]) => n[0] === 'Authorization')?.[1]).toEqual(['Bearer ', { secret: 'authorization' }]);
    expect(body.body).toEqual({ raw: ['{"key":"', { secret: 'api_token' }, '"}'] });
    // Referenced by an Authorization header but set nowhere: the script reads it at run time.
    expect(unset.headers.find(([n]) => n[0] === 'Authorization')?.[1]).toEqual(['Bearer ', { secret: 'runtime_token' }]);
    expect(suite.secrets.map((s) => s.envVar)).toEqual(['DEBUG502_VAR_api_token', 'DEBUG502_VAR_runtime_token', 'DEBUG502_VAR_authorization']);
    const text = JSON.stringify(suite);
    expect(text).not.toContain(SECRET_VALUE);
    expect(text).not.toContain('typed-in-token-55');
  });

  test('environment variable names a shell can set, without clashes', () => {
    expect([...secretEnvNames(['api-token', 'api_token', 'x y']).values()]).toEqual(['DEBUG502_VAR_api_token', 'DEBUG502_VAR_api_token_2', 'DEBUG502_VAR_x_y']);
  });

  test('Postman scripts are refused in export words, every item named (Locust and k6 run none)', () => {
    const script = { listen: 'test', script: { exec: ['tests["ok"] = responseCode.code === 200;'] } };
    const collection = { info: { name: 'c' }, item: [{ name: 'Through gateway', item: [{ name: 'Login', event: [script], request: { url: '{{gateway_url}}/login' } }] }] };
    let error: unknown;
    try { describeTargets({ collection: collection as never, environment, targets: ['gateway'] }); } catch (e) { error = e; }
    expect(error).toMatchObject({ message: 'the export cannot write this request as Postman sends it', problems: ['"Through gateway / Login": a test script at the request'] });
    expect((error as { hint: string }).hint).toContain('Locust and k6 run no Postman scripts');
  });

  test('dynamic variables the script cannot draw are refused, naming them', () => {
    const collection = { info: { name: 'c' }, item: [{ name: 'Through gateway', item: [{ name: 'r', request: { url: '{{gateway_url}}/x/{{$randomCity}}' } }] }] };
    expect(() => describeTargets({ collection: collection as never, environment, targets: ['gateway'] })).toThrow(/\{\{\$randomCity\}\}/);
  });
});

describe('Python literals', () => {
  test('strings are JSON literals: quotes, backslashes and line breaks cannot end them', () => {
    expect(toPythonLiteral(HOSTILE_NAME)).toBe('"\\"\\"\\"; import os; os.system(\\"x\\") #"');
    expect(toPythonLiteral({ a: [1, true, null, 'x\ny'], b: false })).toBe('{"a": [1, True, None, "x\\ny"], "b": False}');
    expect(() => toPythonLiteral(Number.NaN)).toThrow();
  });
});
