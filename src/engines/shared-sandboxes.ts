/**
 * newman's script sandboxes, shared by the runs of one thread instead of one per run.
 *
 * Why: postman-runtime creates a postman-sandbox context (a vm context that boots the sandbox's
 * whole library bundle) for every run and never disposes it. A ramp starts one newman run per
 * virtual user and step, so a step at concurrency C built C contexts — each about 7 MB of RSS and
 * 40–50 ms of CPU (measured: 16 contexts, 209 MB RSS, 42 ms each) — for runs of a few dozen requests.
 *
 * How: every run gets a stand-in (RunSandbox) with the context's interface as postman-runtime uses
 * it (execute, dispatch, on/once/removeAllListeners); each script execution runs in a real context
 * of a shared pool, and every event a context emits goes to the run whose execution it is about
 * (execution ids are uuids). The sandbox resets a context's scope at the start of every execution,
 * as between the requests of one run, so what matters is that no script still needs its scope when
 * another starts in the same context: a script that uses none of the sandbox's asynchronous APIs
 * (isSynchronousScript) is done with it when its synchronous part ends, so such scripts share a
 * context even while their results are still on the way (one macrotask); any other script has a
 * context to itself until it ends. So a thread needs about one context, plus one per asynchronous
 * script running at that moment, instead of one per run. Contexts are kept by their creation
 * options (the script timeout) for the thread's lifetime.
 */
import { EventEmitter } from 'node:events';
import { randomUUID } from 'node:crypto';
import { requireFromRuntime } from './newman-require.js';

/** A postman-sandbox context, as far as this file and postman-runtime use it. */
interface SandboxContext extends EventEmitter {
  execute(target: unknown, options: unknown, callback: (error: unknown, result: unknown) => void): void;
  dispatch(...args: unknown[]): void;
}

type CreateContext = (options: unknown, callback: (error: unknown, context?: SandboxContext) => void) => void;

/** The postman-sandbox module's export, which postman-runtime calls createContext on. */
export interface SandboxModule {
  createContext: CreateContext;
}

const SHARED = Symbol.for('debug502.sharedSandboxes');

/** shareSandboxes on the postman-sandbox module that newman's postman-runtime loads (the same module instance). */
export function shareNewmanSandboxes(): { contextsCreated(): number } {
  return shareSandboxes(requireFromRuntime()('postman-sandbox') as SandboxModule);
}

/**
 * Makes `sandbox.createContext` hand out RunSandbox stand-ins over shared contexts. Idempotent.
 * Returns how many real contexts have been created, for tests and the bench.
 */
export function shareSandboxes(sandbox: SandboxModule): { contextsCreated(): number } {
  const marked = sandbox as SandboxModule & { [SHARED]?: { contextsCreated(): number } };
  if (marked[SHARED]) return marked[SHARED];
  // Another postman-sandbox than the one this was written against: its runs keep their own contexts.
  if (typeof sandbox.createContext !== 'function') return { contextsCreated: () => 0 };
  const createReal = sandbox.createContext.bind(sandbox);
  const pools = new Map<string, ContextPool>();
  let created = 0;
  const counter = { contextsCreated: () => created };
  sandbox.createContext = (options, callback) => {
    const key = JSON.stringify(options ?? {});
    let pool = pools.get(key);
    if (!pool) {
      pools.set(key, (pool = new ContextPool((done) => createReal(options, (error, context) => {
        if (context) created += 1;
        done(error, context);
      }))));
    }
    const stand = new RunSandbox(pool);
    setImmediate(() => callback(null, stand as unknown as SandboxContext));
  };
  marked[SHARED] = counter;
  return counter;
}

/**
 * Whether a script can leave nothing running once its synchronous part is done: none of the
 * sandbox's asynchronous APIs (timers, pm.sendRequest, the cookie jar, the vault, pm.execution's
 * runRequest, packages, promises) is named in it. Such a script reads its scope only while it runs,
 * so other such scripts may start in the same context before its result is sent (one macrotask later).
 */
export function isSynchronousScript(target: unknown): boolean {
  const exec = (target as { script?: { exec?: unknown } } | undefined)?.script?.exec;
  const source = Array.isArray(exec) ? exec.join('\n') : typeof exec === 'string' ? exec : undefined;
  return source !== undefined && !ASYNC_NAMES.test(source);
}
// Whole words: 'then' must not match 'authentication'. Unsure is asynchronous: a context of its own costs memory, never correctness.
const ASYNC_NAMES = /\b(?:setTimeout|setInterval|setImmediate|sendRequest|jar|vault|runRequest|require|Promise|async|await|then|eval|Function|import)\b/;

interface Lent {
  context: SandboxContext;
  /** Executions running in it. */
  running: number;
  /** Its one execution may go async: no other may start in it until it ends. */
  exclusive: boolean;
}

/** The contexts of one set of creation options, and which run each execution under way belongs to. */
class ContextPool {
  private readonly contexts: Lent[] = [];
  /** Execution id → its run: where a context's events go. */
  private readonly runs = new Map<string, RunSandbox>();

  constructor(private readonly create: (done: (error: unknown, context?: SandboxContext) => void) => void) {}

  /** A context for execution `id` of `run`: shared when the script is synchronous, else one nothing else runs in. */
  borrow(run: RunSandbox, id: string, synchronous: boolean, done: (error: unknown, lent?: Lent) => void): void {
    const lent = this.contexts.find((candidate) => (synchronous ? !candidate.exclusive : candidate.running === 0));
    if (lent) return done(null, this.lend(lent, run, id, synchronous));
    this.create((error, context) => {
      if (!context) return done(error ?? new Error('sandbox: no context created'));
      const created: Lent = { context, running: 0, exclusive: false };
      this.contexts.push(created);
      this.forwardEvents(created);
      done(null, this.lend(created, run, id, synchronous));
    });
  }

  giveBack(lent: Lent, id: string): void {
    this.runs.delete(id);
    lent.running -= 1;
    lent.exclusive = false;
  }

  private lend(lent: Lent, run: RunSandbox, id: string, synchronous: boolean): Lent {
    this.runs.set(id, run);
    lent.running += 1;
    lent.exclusive = !synchronous;
    return lent;
  }

  /**
   * Every event of a context also goes to the run whose execution it is about: the id in its
   * cursor (console, assertions, errors), in its name (`execution.assertion.<id>`…) or its second
   * argument (`execution`). An event with none (a context-level `error`) goes to every run with an
   * execution in that context.
   */
  private forwardEvents(lent: Lent): void {
    const { context } = lent;
    const emit = context.emit.bind(context);
    context.emit = (name: string | symbol, ...args: unknown[]) => {
      const handled = emit(name, ...args);
      const id = executionIdOf(name, args);
      const targets = id === undefined ? [...new Set(this.runs.values())].filter((run) => run.isIn(lent)) : [this.runs.get(id)];
      for (const run of targets) if (run && run.listenerCount(name) > 0) run.emit(name, ...args);
      return handled;
    };
  }
}

const ID_IN_NAME = /\.([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;

function executionIdOf(name: string | symbol, args: unknown[]): string | undefined {
  const cursorId = (args[0] as { execution?: unknown } | null | undefined)?.execution;
  if (typeof cursorId === 'string') return cursorId;
  if (typeof name !== 'string') return undefined;
  if (name === 'execution' && typeof args[1] === 'string') return args[1];
  return ID_IN_NAME.exec(name)?.[1];
}

/**
 * One run's sandbox, as postman-runtime sees it: listeners live here, each execution runs in a
 * borrowed context, and dispatches (answers to the script's pm.sendRequest, cookies…) go to the
 * context running this run's execution (a run has one at a time).
 */
class RunSandbox extends EventEmitter {
  private lent: Lent | undefined;

  constructor(private readonly pool: ContextPool) {
    super();
    this.setMaxListeners(0);
  }

  isIn(lent: Lent): boolean {
    return this.lent === lent;
  }

  execute(target: unknown, options: { id?: unknown } | undefined, callback: (error: unknown, result?: unknown) => void): void {
    // postman-runtime gives every execution a uuid; the sandbox would make one up otherwise, and its events could not be told apart.
    const given = typeof options?.id === 'string' ? options.id : undefined;
    const id = given ?? randomUUID();
    this.pool.borrow(this, id, isSynchronousScript(target), (error, lent) => {
      if (!lent) return callback(error);
      this.lent = lent;
      lent.context.execute(target, given ? options : { ...options, id }, (executionError, result) => {
        this.lent = undefined;
        this.pool.giveBack(lent, id);
        callback(executionError, result);
      });
    });
  }

  dispatch(...args: unknown[]): void {
    this.lent?.context.dispatch(...args);
  }
}
