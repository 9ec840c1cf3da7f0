/**
 * How many listeners one engine run may add to its input's stop signal at once (newman: the run
 * and its request guard; fast: one). A step sizes the signal's listener limit by it, so C users do
 * not set off Node's leak warning.
 */
export const STOP_LISTENERS_PER_RUN = 2;

/**
 * The engine contract and the registry of engines. An engine sends the requests of a collection's
 * folder for ONE virtual user — its passes one after another, each request waiting for the one
 * before — and reports every request through the listener. The ramp's executors (src/ramp/executors)
 * decide how many users run and where (in this thread or a worker pool); the engine only sends.
 *
 * The registry is the one place that names engines: the CLI's `--engine` choices, the report
 * schema's enum and the defaults derive from it. Its `run` functions load their engine on first use,
 * so importing this file costs nothing (the report command and `--help` import it).
 */
import type { LoadModel, RampEngine, RequestOutcome } from '../model.js';
import type { ClientTls } from '../postman/client-tls.js';
import { limitHeapGrowth } from './heap-growth.js';
import type { SendAllowance } from './request-guard.js';

export interface EngineInput {
  /** A Postman v2.x collection as plain JSON. */
  collection: object;
  /** A Postman environment as plain JSON. */
  environment?: object;
  /** Overrides on top of the environment, e.g. { gateway_url: "http://…" }. */
  envVars?: Record<string, string>;
  /** A Postman globals object (`-g`), below the environment in precedence. */
  globals?: object;
  /** `-d`: one iteration per row; newman takes as many rows as iterations. */
  iterationData?: object[];
  /** `--delay-request`: pause between requests, ms. */
  delayRequestMs?: number;
  /** `--bail`: stop at the first failed test or request error. */
  bail?: boolean;
  /** newman's own output colours (`--verbose`): on, off or auto. */
  color?: 'on' | 'off' | 'auto';
  /** Run only these folders (or requests) by name. */
  folder?: string | string[];
  iterationCount?: number;
  /**
   * Total deadline of each request — connect, headers and the whole body, redirects included —
   * after which it fails as ESOCKETTIMEDOUT; 0 means none.
   */
  timeoutRequestMs?: number;
  /** newman's `--timeout`: the whole run's deadline, ms (0 or absent: none); past it newman ends the run with "callback timed out". newman engine only. */
  runTimeoutMs?: number;
  /** newman's `--timeout-script`: each script's deadline, ms (0 or absent: none). newman engine only (the fast engine runs no scripts). */
  timeoutScriptMs?: number;
  /** newman's `--cookie-jar`: the jar the run starts with, as tough-cookie's serialized JSON text. newman engine only. */
  cookieJar?: string;
  /** What the summary brings back besides the variables: the collection as the run left it, the cookie jar (`--export-collection`, `--export-cookie-jar`). */
  keep?: { collection?: boolean; cookieJar?: boolean };
  /** Follow redirects (default true, as newman); false: a 3xx is the answer (newman's --ignore-redirects). */
  followRedirects?: boolean;
  /** Asked before every request that would leave the machine, redirect hops included: a cap that holds at the server. */
  allowance?: SendAllowance;
  insecure?: boolean;
  /** newman's `--ssl-client-cert*` and `--ssl-extra-ca-certs`, read (postman/client-tls.ts): the client certificate each https URL gets, the CAs trusted besides the default roots. */
  tls?: ClientTls;
  /**
   * newman's own reporters to run beside debug502's (`run -r newman-json`): by newman's name, with
   * their options (`{ export: PATH }`). The run then keeps newman's per-request records, which its
   * reporters read: for one pass, never a ramp. newman engine only.
   */
  newmanReporters?: { name: string; options?: Record<string, unknown> }[];
  /** Let newman print its own CLI output (stdout) — for `--verbose`; other engines ignore it. */
  verbose?: boolean;
  /** Aborting it stops the run and cuts the request in flight (Ctrl-C, a safety stop): no outcome for that one; the run then resolves. */
  signal?: AbortSignal;
}

export interface EngineListener {
  /** A request is about to be sent (for in-flight counting). */
  onRequestStart?(item: string): void;
  /** A request got its response or its transport error; its tests have not run yet. */
  onResponse?(item: string): void;
  /** A request left the machine: once per request, and once more per redirect it followed (`redirect`). */
  onSend?(info: { redirect: boolean }): void;
  /** A request is complete, with its assertions. */
  onOutcome?(outcome: RequestOutcome): void;
}

export interface EngineSummary {
  requests: number;
  failedTests: number;
  /** Errors of the run itself (bad collection, script crash), not request failures. */
  runError?: Error;
  /** Requests that left the machine, redirect hops included (≥ requests, unless a stop cut one). */
  sent?: number;
  /** The allowance refused a request: the run stopped there. */
  refused?: boolean;
  /** The environment and globals as the run left them (its scripts may set variables), as Postman JSON; newman engine only. */
  variables?: FinalVariables;
}

/** A run's variable scopes after its last request: what newman's --export-environment / --export-globals write. */
export interface FinalVariables {
  environment: object;
  globals: object;
  /** With `keep.collection`: the collection that ran, as newman exports it (summary.collection). */
  collection?: object;
  /** With `keep.cookieJar`: the cookie jar, tough-cookie's serialized JSON. */
  cookieJar?: object;
}

/** Runs one virtual user. Rejects only when the engine cannot start at all; a failing request is an outcome. */
export type RunEngine = (input: EngineInput, listener?: EngineListener) => Promise<EngineSummary>;

/** One request sent on demand, for the open (arrival-rate) model: no user, no pass, just the next arrival. */
export interface ArrivalSender {
  /** Requests in one pass of the folder; arrival `n` sends request `n % requestsPerPass`. */
  requestsPerPass: number;
  /**
   * Sends request `index` of the pass and reports it as RunEngine's listener would. Resolves how it
   * ended: answered (an outcome was reported, a transport error included), or without an outcome —
   * cut by the input's stop signal, or refused by its allowance.
   */
  send(index: number, listener: EngineListener): Promise<'answered' | 'stopped' | 'refused'>;
  /** Closes its connections; no send may be in flight. */
  close(): Promise<void>;
}

export interface EngineEntry {
  run: RunEngine;
  /** One line for `--help` and the plan. */
  label: string;
  /** What to know before choosing it (its limit, and the other engine when that limit bites). */
  hint: string;
  /** The load models it can drive; the closed model is every engine's. */
  models: readonly LoadModel[];
  /** Why it cannot drive a model it lacks, for the error a user gets. */
  cannot?: Partial<Record<LoadModel, string>>;
  /** Opens a sender for the open model; present exactly when `models` has 'rate'. */
  openArrivals?(input: EngineInput): Promise<ArrivalSender>;
  /** Worker threads a step uses when --workers is not given; `cores` is os.availableParallelism(). */
  defaultWorkers(cores: number): number;
  /** Called in each thread that ran a step, after it and before the next: frees what its runs left. */
  afterStep?(): Promise<void>;
  /** Sets what a ramp of it needs in this process for as long as the ramp runs; returns how to undo it. */
  duringRamp?(): () => void;
}

export const ENGINES: Readonly<Record<RampEngine, EngineEntry>> = {
  newman: {
    run: async (input, listener) => (await import('./newman.js')).runNewman(input, listener),
    label: "newman: runs the collection's own scripts, exactly as Postman would",
    hint: "~7 ms of CPU a request, so one core sends ~150 req/s: a step's users are spread over worker threads, one per core (--workers)",
    models: ['concurrency'],
    cannot: {
      rate: 'an arrival-rate step starts requests on the clock, and newman can only run a user\'s requests one after another at ~7 ms of CPU each: the arrivals would queue behind newman, not reach the target — ramp --mode rate with --engine fast',
    },
    defaultWorkers: (cores) => cores,
    afterStep: async () => (await import('./release-sandboxes.js')).releaseFinishedSandboxes(),
    // V8 collects before the heap is far above what is live: newman makes garbage fast (heap-growth.ts).
    duringRamp: () => limitHeapGrowth(),
  },
  fast: {
    run: async (input, listener) => (await import('./fast.js')).runFast(input, listener),
    label: "fast: the same requests sent by a lean HTTP/1.1 client, the guide's two tests judged natively",
    hint: "a fraction of newman's CPU a request; other test scripts in the collection are not run",
    models: ['concurrency', 'rate'],
    openArrivals: async (input) => (await import('./fast.js')).openFastArrivals(input),
    defaultWorkers: () => 1,
  },
};

export const ENGINE_NAMES = Object.keys(ENGINES) as RampEngine[];
export const DEFAULT_ENGINE: RampEngine = 'newman';
