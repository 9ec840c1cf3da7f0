/**
 * What the parent and a step worker say to each other (worker_threads messages, structured-cloned).
 * A worker streams AGGREGATES, never per-request objects: counts, one HDR histogram per step, and
 * the start/end times of its requests as a flat Float64Array (two numbers a request), from which
 * the parent merges the step's in-flight peak and average across workers.
 */
import type { SharedAllowanceState } from '../../engines/request-guard.js';
import type { ClientTls } from '../../postman/client-tls.js';
import type { RampEngine } from '../../model.js';

/** Sent once, at the worker's start (workerData). */
export interface WorkerSetup {
  engine: RampEngine;
}

/** Parent → worker: run these users now. */
export interface StepRequest {
  type: 'step';
  stepId: number;
  input: {
    collection: object;
    environment?: object;
    envVars?: Record<string, string>;
    globals?: object;
    folder: string;
    timeoutRequestMs: number;
    followRedirects?: boolean;
    insecure?: boolean;
    /** Plain data (PEM text, paths): each worker builds its own TLS contexts from it. */
    tls?: ClientTls;
    cookieJar?: string;
  };
  /** `-d` rows: each of this worker's users cycles through them from the first, as in one thread. */
  iterationData?: object[];
  /** The ramp's --max-requests allowance, in shared memory: every hop is taken from it. */
  allowance?: SharedAllowanceState;
  /** Passes of each of this worker's virtual users. */
  passes: number[];
  failOn: number[];
  /** `--fail-on slow`: an answer over this many ms fails. */
  slowAboveMs?: number;
}

/** Parent → worker: stop (Ctrl-C, --max-duration, --max-requests); the requests in flight are cut. */
export interface StopRequest {
  type: 'stop';
  stepId: number;
}

export type ParentMessage = StepRequest | StopRequest;

/** Counts since the worker's last batch, and the times of the requests that ended in it. */
export interface BatchCounts {
  done: number;
  answered: number;
  failures: number;
  count502: number;
  slow: number;
  status: Record<string, number>;
  transportErrors: Record<string, number>;
  /** Hops that left the machine (requests and the redirects they followed), and the redirects alone. */
  sent: number;
  redirects: number;
  /** start₀, end₀, start₁, end₁, … on the shared clock (performance.timeOrigin + performance.now()). */
  intervals: Float64Array;
}

/** Worker → parent, while the step runs (every BATCH_MS or BATCH_REQUESTS). */
export interface BatchMessage extends BatchCounts {
  type: 'batch';
  stepId: number;
}

/**
 * Worker → parent, once per finished request: the progress listener (and a stop decided on it)
 * sees each request as it ends, as in one thread — the aggregates still come in batches.
 */
export interface TickMessage {
  type: 'tick';
  stepId: number;
  failed: boolean;
  is502: boolean;
}

/** Worker → parent: its users are done; the last counts and the step's latency histogram. */
export interface DoneMessage extends BatchCounts {
  type: 'done';
  stepId: number;
  /** encodeIntoCompressedBase64 of the worker's latency histogram for this step. */
  histogram: string;
  /** Start time (shared clock) of its first failed request, or null. */
  firstFailureStart: number | null;
  /** The allowance refused one of its users a send: the step was cut at --max-requests. */
  refused: boolean;
}

/** Worker → parent, at once: the allowance refused a send, so the ramp stops as it would in one thread. */
export interface RefusedMessage {
  type: 'refused';
  stepId: number;
}

/** Worker → parent: the engine could not run the users at all. */
export interface ErrorMessage {
  type: 'error';
  stepId: number;
  error: { name: string; message: string; problems?: string[]; hint?: string };
}

/** Worker → parent: loaded and ready for steps. */
export interface ReadyMessage {
  type: 'ready';
}

export type WorkerMessage = BatchMessage | TickMessage | DoneMessage | RefusedMessage | ErrorMessage | ReadyMessage;
