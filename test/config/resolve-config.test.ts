import { describe, expect, it } from 'vitest';
import { CONFIG_DEFAULTS, formatConfigPath, isHttpBaseUrl, resolveConfig } from '../../src/config/index.js';
import { EXIT, InputError } from '../../src/errors.js';

const env = { gateway_url: 'http://127.0.0.1:8080', backend_url: 'http://127.0.0.1:3000' };
const minimal = () => ({ environments: { local: { ...env } }, endpoints: [{ name: 'List users', path: '/api/users' }] });

/** The problems resolveConfig reports for `raw` (fails the test when it reports none). */
function problemsOf(raw: unknown): string[] {
  try {
    resolveConfig(raw, 'test.yaml');
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return (error as InputError).problems;
  }
  throw new Error('expected the config to be rejected');
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

describe('resolveConfig: defaults', () => {
  it('fills every default from CONFIG_DEFAULTS into a minimal config', () => {
    expect(resolveConfig(minimal(), 'x.yaml')).toEqual({
      name: CONFIG_DEFAULTS.name,
      assertions: { maxResponseTimeMs: CONFIG_DEFAULTS.maxResponseTimeMs },
      environments: { local: { ...env, secrets: [] } },
      endpoints: [{ name: 'List users', method: 'GET', path: '/api/users', query: {}, headers: {} }],
    });
    expect(CONFIG_DEFAULTS).toMatchObject({ name: '502 Debugging', maxResponseTimeMs: 5000, method: 'GET' });
  });

  it('reads a number as a name: YAML makes `name: 404` a number', () => {
    const config = resolveConfig({ ...minimal(), name: 502, endpoints: [{ name: 404, path: '/missing' }] }, 'x.yaml');
    expect([config.name, config.endpoints[0].name]).toEqual(['502', '404']);
  });

  it('keeps what is given, upper-cases methods, reads numbers in query and headers as text, drops a trailing slash', () => {
    const config = resolveConfig(
      {
        name: 'Shop',
        assertions: { maxResponseTimeMs: 3000 },
        environments: { staging: { gateway_url: 'https://gw.example.invalid/base/', backend_url: 'http://10.1.2.3:8080', secrets: ['api_token'] } },
        health: { path: '/healthz', method: 'head' },
        endpoints: [{ name: 'Pay', method: 'post', path: '/pay', query: { page: 1, dry: true }, headers: { 'X-Retry': 2 }, body: 'raw text', expectStatus: 202 }],
      },
      'x.yaml',
    );
    expect(config).toEqual({
      name: 'Shop',
      assertions: { maxResponseTimeMs: 3000 },
      environments: { staging: { gateway_url: 'https://gw.example.invalid/base', backend_url: 'http://10.1.2.3:8080', secrets: ['api_token'] } },
      health: { path: '/healthz', method: 'HEAD' },
      endpoints: [{ name: 'Pay', method: 'POST', path: '/pay', query: { page: '1', dry: 'true' }, headers: { 'X-Retry': '2' }, body: 'raw text', expectStatus: 202 }],
    });
  });

  it('never changes its input, and the result shares nothing with it', () => {
    const raw = deepFreeze({ ...minimal(), endpoints: [{ name: 'a', path: '/a', body: { nested: { list: [1, 2] } }, query: { q: 'x' } }] });
    const before = JSON.stringify(raw);
    const config = resolveConfig(raw, 'x.yaml');
    expect(JSON.stringify(raw)).toBe(before);
    (config.endpoints[0].body as { nested: { list: number[] } }).nested.list.push(3);
    config.endpoints[0].query.q = 'changed';
    config.environments.local.secrets.push('s');
    expect(JSON.stringify(raw)).toBe(before);
  });
});

describe('resolveConfig: problems', () => {
  it('reports every problem of a config at once, each with its dotted path', () => {
    const problems = problemsOf({
      colour: 'red',
      assertions: { maxResponseTimeMs: -5, extra: 1 },
      environments: {
        lab: { gateway_url: 'ftp://127.0.0.1:8080', backend_url: 'not a url', secrets: ['ok', 'gateway_url', 'ok', '1bad'], colour: 'x' },
        'bad key': { ...env },
      },
      health: { path: 'health', timeout: 3 },
      endpoints: [
        { name: 'A', path: 'api/users', method: 'FETCH', expectStatus: 700, body: 5, headers: { 'Bad Header': 'x', Ok: 'a\nb' } },
        { name: 'A', path: '/x?y=1', query: { q: { deep: 1 } } },
        { path: '/z', typo: true },
        'just text',
      ],
    });
    // Without a source text (no lines to sort by) problems come in schema order.
    expect(problems).toEqual([
      'assertions.maxResponseTimeMs: must be above 0',
      'assertions.extra: unknown key',
      'environments.lab.gateway_url: must be an http(s) URL without query or fragment, e.g. http://127.0.0.1:8080',
      'environments.lab.backend_url: must be an http(s) URL without query or fragment, e.g. http://127.0.0.1:8080',
      'environments.lab.secrets[3]: must be a variable name (letters, digits, _ . -; not starting with a digit)',
      'environments.lab.secrets[1]: "gateway_url" is set by debug502 itself; pick another name',
      'environments.lab.secrets[2]: duplicate of secrets[0]',
      'environments.lab.colour: unknown key',
      'environments["bad key"]: must be a file-name-safe name (letters, digits, _ . -)',
      'health.path: must start with "/"',
      'health.timeout: unknown key',
      'endpoints[0].method: must be one of GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS',
      'endpoints[0].path: must start with "/"',
      'endpoints[0].headers["Bad Header"]: must be a valid HTTP header name',
      'endpoints[0].headers.Ok: must not contain line breaks',
      'endpoints[0].body: must be an object or list (sent as JSON) or a string (sent raw)',
      'endpoints[0].expectStatus: must be an HTTP status code (100–599)',
      'endpoints[1].path: must not contain "?" or "#": put query parameters under "query"',
      'endpoints[1].query.q: must be text (got a mapping)',
      'endpoints[2].name: required',
      'endpoints[2].typo: unknown key',
      'endpoints[3]: must be a mapping (key: value) (got text "just text")',
      'endpoints[1].name: duplicate of endpoints[0].name ("A"): names pair the gateway and backend requests',
      'colour: unknown key',
    ]);
  });

  it('throws one InputError (exit 2) naming the file and the count, with a hint', () => {
    try {
      resolveConfig({ ...minimal(), colour: 'red', size: 1 }, 'configs/mine.yaml');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(InputError);
      const e = error as InputError;
      expect(e.exitCode).toBe(EXIT.badInput);
      expect(e.message).toBe('configs/mine.yaml: 2 problems in the config');
      expect(e.problems).toEqual(['colour: unknown key', 'size: unknown key']);
      expect(e.hint).toMatch(/README/);
    }
  });

  it('requires environments and endpoints, and at least one of each', () => {
    expect(problemsOf({})).toEqual(['environments: required', 'endpoints: required']);
    expect(problemsOf({ environments: {}, endpoints: [] })).toEqual([
      'environments: needs at least one environment, e.g. local: { gateway_url: …, backend_url: … }',
      'endpoints: needs at least one endpoint, e.g. - { name: List users, path: /api/users }',
    ]);
    expect(problemsOf({ environments: { local: {} }, endpoints: [{}] })).toEqual([
      'environments.local.gateway_url: required',
      'environments.local.backend_url: required',
      'endpoints[0].name: required',
      'endpoints[0].path: required',
    ]);
  });

  it('says what it got when a type is wrong', () => {
    expect(problemsOf({ ...minimal(), name: ['x'], assertions: { maxResponseTimeMs: '5s' }, health: [] })).toEqual([
      'name: must be text (got a list)',
      'assertions.maxResponseTimeMs: must be a number (got text "5s")',
      'health: must be a mapping (key: value) (got a list)',
    ]);
    expect(problemsOf({ ...minimal(), name: '  ', assertions: { maxResponseTimeMs: 2.5 } })).toEqual([
      'name: must not be empty',
      'assertions.maxResponseTimeMs: must be a whole number of milliseconds (got number 2.5)',
    ]);
    expect(problemsOf({ ...minimal(), endpoints: [{ name: 'a', path: '/a', expectStatus: '200' }] })).toEqual([
      'endpoints[0].expectStatus: must be an HTTP status code (100–599) (got text "200")',
    ]);
  });

  it('rejects an empty file and a config that is not a mapping', () => {
    for (const raw of [null, undefined]) expect(problemsOf(raw)).toEqual(['(top level): needs at least "environments" and "endpoints"']);
    expect(problemsOf(['a'])).toEqual(['(top level): must be a mapping (key: value) (got a list)']);
    expect(problemsOf('text')).toEqual(['(top level): must be a mapping (key: value) (got text "text")']);
  });
});

describe('isHttpBaseUrl', () => {
  it.each(['http://127.0.0.1:8080', 'https://api.example.invalid', 'http://localhost:3000/base/path', 'http://[::1]:80/'])('accepts %s', (url) => {
    expect(isHttpBaseUrl(url)).toBe(true);
  });
  it.each(['ftp://host', '127.0.0.1:8080', 'http://', 'http://host/?q=1', 'http://host/#x', 'http://ho st', '', 'gateway_url'])('rejects %j', (url) => {
    expect(isHttpBaseUrl(url)).toBe(false);
  });
});

describe('formatConfigPath', () => {
  it.each([
    [['environments', 'lab', 'gateway_url'], 'environments.lab.gateway_url'],
    [['endpoints', 0, 'path'], 'endpoints[0].path'],
    [['endpoints', 2, 'headers', 'Content-Type'], 'endpoints[2].headers.Content-Type'],
    [['environments', 'my env'], 'environments["my env"]'],
    [[], '(top level)'],
  ] as const)('%j → %s', (path, text) => expect(formatConfigPath(path)).toBe(text));
});
