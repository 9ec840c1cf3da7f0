/**
 * Modules newman (and postman-collection, which our own code loads too) load at start for features
 * a run may never use, each loaded instead the first time something uses it, on each thread.
 *
 * Why: each newman thread of a ramp loads newman's whole tree (1,100 modules, 10 MB of source),
 * and what a module's top-level code builds stays on that thread's heap for its life. Much of it
 * serves what a 502 ramp rarely touches: ASAP auth (jose, node-forge), `pm.visualizer` templates
 * (handlebars), HTTP-signature auth, HAR bodies, SOCKS proxies, form-data and stream bodies,
 * `{{$random…}}` variables (faker), v1 collections (the transformer) and newman's own reporters
 * (a ramp runs none). Measured in a worker after a run of the bench collection: 42.9 → 34.8 MB of
 * heap, 1,101 → 456 modules; a 20,000-request newman ramp on 2 threads peaks at 222 MB RSS instead
 * of 248.
 *
 * How: before newman loads, the module cache gets a stand-in for each such module, under the file
 * name the module that requires it resolves, whose export forwards every use to the real module,
 * loading it then (a Proxy). The real module then replaces the stand-in in the cache, so what
 * requires it later gets it directly. newman's first load on a thread puts them in place
 * (engines/newman.ts); faker's goes in first thing in the CLI and each step worker
 * (defer-at-start.ts), because our own code loads postman-collection, which loads faker. A module whose requirer reads its members at load (`var { SocksProxyAgent } =
 * require(…)`, `generator: faker.address.city`) gets a stand-in whose members are stand-ins too, to
 * the depth its requirer reads.
 */
import { createRequire, Module } from 'node:module';
import { requireFromNewman, requireFromRuntime } from './newman-require.js';

/**
 * What the requiring module does with the export at load, so the stand-in can wait:
 * - `object`: keeps it and reads its members when used (`jose.SignJWT`);
 * - `function`: keeps it and calls it (or `new`s it) when used;
 * - `{ members }`: reads any of its members at load, each to be used as `members` says.
 */
export type DeferredShape = 'object' | 'function' | { members: DeferredShape };

export interface DeferredModule {
  /** The package whose file requires it, as newman resolves it (through postman-runtime when `viaRuntime`). */
  package: string;
  viaRuntime?: boolean;
  /** That file, relative to the package's main file's directory. */
  requirer: string;
  /** What it requires. */
  request: string;
  shape: DeferredShape;
}

/**
 * The modules deferred, by who requires them (newman 6.2, postman-runtime 7.39). A file missing
 * in another version is left as it is (test/engines/deferred-modules.test.ts checks each is found).
 */
export const DEFERRED_MODULES: readonly DeferredModule[] = [
  ...['jose', 'node-forge'].map((request) => ({ package: 'postman-runtime', requirer: 'lib/authorizer/asap.js', request, shape: 'object' as const })),
  { package: 'postman-runtime', requirer: 'lib/visualizer/index.js', request: 'handlebars', shape: 'object' },
  // postman-request twice: postman-runtime's own copy sends the requests, newman's makes the cookie
  // jar. They share some of these files; only newman's (the newer) has SOCKS support.
  ...[true, false].flatMap((viaRuntime): DeferredModule[] => [
    { package: 'postman-request', viaRuntime, requirer: 'request.js', request: 'http-signature', shape: 'object' },
    { package: 'postman-request', viaRuntime, requirer: 'request.js', request: '@postman/form-data', shape: 'function' },
    { package: 'postman-request', viaRuntime, requirer: 'request.js', request: 'stream-length', shape: 'function' },
    { package: 'postman-request', viaRuntime, requirer: 'lib/har.js', request: 'har-validator', shape: 'object' },
  ]),
  { package: 'postman-request', requirer: 'lib/socks.js', request: 'socks-proxy-agent', shape: { members: 'function' } },
  { package: 'postman-collection', requirer: 'lib/superstring/dynamic-variables.js', request: '@faker-js/faker/locale/en', shape: { members: { members: 'function' } } },
  { package: 'newman', requirer: 'lib/run/options.js', request: 'postman-collection-transformer', shape: 'object' },
  ...['cli', 'junit', 'progress', 'emojitrain'].map((name) => ({ package: 'newman', requirer: 'lib/run/index.js', request: `../reporters/${name}`, shape: 'function' as const })),
];

/** Where deferrals resolve from: newman's own `require` and its postman-runtime's. */
interface Resolvers {
  newman: NodeJS.Require;
  runtime: NodeJS.Require;
}

/** The resolvers, or null when newman is not installed. */
function resolvers(): Resolvers | null {
  try {
    return { newman: requireFromNewman(), runtime: requireFromRuntime() };
  } catch {
    return null;
  }
}

/** The file a deferral's module resolves to on this install, or null when its requirer is not there. */
export function resolveDeferred(deferral: DeferredModule): { requirer: NodeJS.Require; file: string } | null {
  return resolveFrom(resolvers(), deferral);
}

/** resolveDeferred with the resolvers given, so that resolving many looks newman up once. */
function resolveFrom(from: Resolvers | null, deferral: DeferredModule): { requirer: NodeJS.Require; file: string } | null {
  if (!from) return null;
  try {
    const main = (deferral.viaRuntime ? from.runtime : from.newman).resolve(deferral.package);
    const requirer = createRequire(createRequire(main).resolve(`./${deferral.requirer}`));
    return { requirer, file: requirer.resolve(deferral.request) };
  } catch {
    return null;
  }
}

/**
 * Puts a stand-in in the module cache for each file of `deferrals` (all of DEFERRED_MODULES unless
 * given) not loaded yet on this thread. Call it before newman is imported. Returns the files it
 * stood in for.
 */
export function deferUnusedModules(deferrals: readonly DeferredModule[] = DEFERRED_MODULES): string[] {
  const deferred: string[] = [];
  const from = resolvers();
  for (const deferral of deferrals) {
    const found = resolveFrom(from, deferral);
    if (!found || found.requirer.cache[found.file]) continue;
    deferModule(found.requirer, found.file, deferral.shape);
    deferred.push(found.file);
  }
  return deferred;
}

/**
 * Puts a stand-in for `file` in `requirer`'s module cache: its export loads the real module the
 * first time it is used, as `shape` says it will be, and forwards every use to it.
 */
export function deferModule(requirer: NodeJS.Require, file: string, shape: DeferredShape): void {
  let loaded = false;
  let real: unknown;
  const load = (): unknown => {
    if (!loaded) {
      delete requirer.cache[file];
      real = requirer(file);
      loaded = true;
    }
    return real;
  };
  const standIn = new Module(file);
  standIn.filename = file;
  standIn.loaded = true;
  standIn.exports = forwardTo(load, shape);
  requirer.cache[file] = standIn;
}

type Target = object & ((...args: unknown[]) => unknown);

/**
 * A stand-in for the value `resolve` returns, resolved on first use. A member stand-in is called
 * with the real owner as `this` when called through its owner's stand-in (`faker.random.word()`).
 */
function forwardTo(resolve: () => unknown, shape: DeferredShape, owner?: { proxy: unknown; resolve: () => unknown }): unknown {
  const real = () => resolve() as Target;
  // The target's kind decides typeof and whether it can be called; its own non-configurable
  // properties must match what the proxy reports, so those are copied onto it when reported.
  const target = (shape === 'function' ? function deferred() {} : {}) as Target;
  const members = new Map<PropertyKey, unknown>();
  const proxy: unknown = new Proxy(target, {
    get(_, key) {
      if (typeof shape !== 'object') return Reflect.get(real(), key);
      if (!members.has(key)) members.set(key, forwardTo(() => Reflect.get(real(), key), shape.members, { proxy, resolve: real }));
      return members.get(key);
    },
    set: (_, key, value) => Reflect.set(real(), key, value),
    has: (_, key) => Reflect.has(real(), key),
    deleteProperty: (_, key) => Reflect.deleteProperty(real(), key),
    defineProperty: (_, key, descriptor) => Reflect.defineProperty(real(), key, descriptor),
    ownKeys: () => [...new Set([...Reflect.ownKeys(real()), ...Reflect.ownKeys(target).filter((key) => !Reflect.getOwnPropertyDescriptor(target, key)?.configurable)])],
    getOwnPropertyDescriptor(_, key) {
      const descriptor = Reflect.getOwnPropertyDescriptor(real(), key);
      if (descriptor && !descriptor.configurable) Reflect.defineProperty(target, key, descriptor);
      return descriptor ?? Reflect.getOwnPropertyDescriptor(target, key);
    },
    getPrototypeOf: () => Reflect.getPrototypeOf(real()),
    apply: (_, self, args) => Reflect.apply(real(), owner && (self === owner.proxy || self === undefined) ? owner.resolve() : self, args),
    construct: (_, args, newTarget) => Reflect.construct(real(), args, newTarget === proxy ? real() : newTarget),
  });
  return proxy;
}
