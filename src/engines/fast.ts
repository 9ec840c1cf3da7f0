/**
 * The fast engine: the requests of a collection sent by its own HTTP/1.1 client (fast-http1.ts)
 * instead of newman, with the guide's two tests evaluated natively. Same contract as runNewman, so
 * a ramp step can take either.
 *
 * Why: a newman run spends about 7 ms of CPU per request in its sandbox and runtime, so however
 * many virtual users a step starts, only 3–4 requests are really in flight on average (a peak of C,
 * an average far below): the client is the bottleneck long before any real target is. This
 * engine spends about 0.02 ms, so C users keep about C requests in flight.
 *
 * Semantics kept from newman: one call is one virtual user — its passes run one after another,
 * each request waiting for the one before; variables resolved with newman's precedence; redirects
 * followed by its rules (fast-redirects.ts); keep-alive connections.
 * Connections: each call (one user) opens one connection per origin, keeps it alive for all its
 * requests and closes it at its end — so a ramp step opens C new connections. newman differs:
 * postman-runtime reuses idle keep-alive connections even across runs in one process, so a target
 * (nginx, a backend) may see fewer new connections, and fewer closes, under newman than here.
 * The bytes are newman's too: bodies pruned as postman-runtime prunes them (the postman room's
 * descriptions), nothing written that Node's client would refuse (fast-encode.ts), malformed
 * answers read as llhttp reads them (fast-connection.ts), and a status outside 100–599 or a 101
 * nobody asked for is a failure, HPE_INVALID_STATUS, as the newman adapter reports it.
 * Differences: no scripts run — of the test scripts only the guide's "No 502 errors" and
 * "Response under N seconds" are evaluated (other tests, e.g. "Status is 201", are not); no cookie
 * jar; bodies are read and dropped, never decompressed or kept.
 * Bounds (src/engines/request-guard.ts): --timeout-request is a total deadline per request —
 * connect, headers, the whole body and its redirects — kept by one timer per request, which
 * aborts the hop in flight (per-wait socket timers would let a trickling body run on); the stop
 * signal cuts the request in flight; every hop that leaves the machine is counted (redirects too)
 * and asked of the send allowance first.
 */
import { INVALID_STATUS_CODE, NO_502_TEST, describeInvalidStatus, latencyTestName, type RequestOutcome, type TestOutcome } from '../model.js';
import type { ArrivalSender, EngineInput, EngineListener, EngineSummary } from './engine.js';
import { toTransportFailure, type TransportFailure } from './fast-errors.js';
import { encodeRequest } from './fast-encode.js';
import { FastAgents } from './fast-agents.js';
import type { Exchange, ExchangeListener, Http1Agent } from './fast-http1.js';
import { MAX_REDIRECTS, nextHop, redirectLocation, tooManyRedirects, type Hop } from './fast-redirects.js';
import { DEFAULT_MAX_RESPONSE_TIME_MS, prepareRequests, renderRequest, type PreparedRequest } from './fast-requests.js';
import { RequestDeadlineError, RunStoppedError, SendRefusedError, type SendAllowance } from './request-guard.js';

/** The connections of one user, or of a step's arrivals (fast-http1.ts), per client certificate (fast-agents.ts). */
function openAgent(input: EngineInput): FastAgents {
  return new FastAgents(input);
}

/** What bounds one send: the total deadline, the stop signal, the send allowance, and who counts the hops. */
interface SendBounds {
  timeoutMs: number;
  followRedirects: boolean;
  /** Calls `cut` when the run is stopped while this send is under way; returns how to stop watching. */
  watchStop(cut: () => void): () => void;
  allowance?: SendAllowance;
  /** A hop left the machine: the request itself, or a redirect it followed. */
  onSend(redirect: boolean): void;
}

const NO_STOP_WATCH = () => () => {};

/**
 * A stop watch for sends on the signal: one listener per send, for arrivals, which overlap.
 * A user's sends go one at a time and share one listener instead (watchUserStop): adding and
 * removing a listener on an AbortSignal for every request was a measurable share of the engine's CPU.
 */
function watchEachSend(signal: AbortSignal | undefined): SendBounds['watchStop'] {
  if (!signal) return NO_STOP_WATCH;
  return (cut) => {
    signal.addEventListener('abort', cut, { once: true });
    return () => signal.removeEventListener('abort', cut);
  };
}

/** One listener on the signal for a user's whole run, cutting whichever send is under way; `release` removes it. */
function watchUserStop(signal: AbortSignal | undefined): { watchStop: SendBounds['watchStop']; release(): void } {
  if (!signal) return { watchStop: NO_STOP_WATCH, release: () => {} };
  let current: (() => void) | undefined;
  const onAbort = () => current?.();
  signal.addEventListener('abort', onAbort, { once: true });
  return {
    watchStop: (cut) => {
      current = cut;
      return () => {
        if (current === cut) current = undefined;
      };
    },
    release: () => signal.removeEventListener('abort', onAbort),
  };
}

function boundsOf(input: EngineInput, listener: EngineListener, watchStop: SendBounds['watchStop'], count: () => void = () => {}): SendBounds {
  return {
    timeoutMs: input.timeoutRequestMs ?? 0,
    followRedirects: input.followRedirects !== false,
    watchStop,
    allowance: input.allowance,
    onSend: (redirect) => {
      count();
      listener.onSend?.({ redirect });
    },
  };
}

/**
 * Sends one prepared request and reports it: onRequestStart before it is sent, onResponse when its
 * whole answer (or its transport error) is in, onOutcome with status or error code, latency and
 * tests. Returns how many of its tests failed — or, when a stop cut it or the allowance refused it,
 * why there is no outcome (it is not an answer of the target).
 */
async function sendAndReport(
  agent: FastAgents,
  request: PreparedRequest,
  judge: GuideJudge,
  listener: EngineListener,
  bounds: SendBounds,
): Promise<number | 'stopped' | 'refused'> {
  listener.onRequestStart?.(request.item);
  const startedAt = performance.now();
  const answer = await sendRequest(agent, request, bounds);
  if (answer.cut instanceof RunStoppedError) return 'stopped';
  if (answer.cut instanceof SendRefusedError) return 'refused';
  const latencyMs = Math.round(performance.now() - startedAt);
  listener.onResponse?.(request.item);
  const tests = judge(answer.status ?? answer.judgedStatus, latencyMs);
  const outcome: RequestOutcome = { route: request.route, item: request.item, itemId: request.itemId, request: request.request, latencyMs, tests };
  if (answer.status !== undefined) outcome.status = answer.status;
  else [outcome.error, outcome.errorMessage] = [answer.failure!.code, answer.failure!.message];
  listener.onOutcome?.(outcome);
  return (tests[0].passed ? 0 : 1) + (tests[1].passed ? 0 : 1);
}

/**
 * Sends the requests of `input.folder` (all when absent) `iterationCount` times, one after another,
 * reporting each through the listener (see sendAndReport).
 * `signal` stops it and cuts the request in flight (no outcome for that one); `allowance` is asked
 * before every request and redirect hop, and a refusal stops the run (`refused` in the summary).
 * Rejects before sending anything when the collection cannot be sent faithfully (InputError, listing
 * every request and why); never for a request's failure, which is an outcome. `verbose` is ignored.
 */
export async function runFast(input: EngineInput, listener: EngineListener = {}): Promise<EngineSummary> {
  const run = prepareRequests(input);
  const agent = openAgent(input);
  const iterations = input.iterationCount ?? 1;
  let requests = 0;
  let failedTests = 0;
  let sent = 0;
  let refused = false;
  const stopWatch = watchUserStop(input.signal);
  const bounds = boundsOf(input, listener, stopWatch.watchStop, () => (sent += 1));
  const judge = guideJudge(run.maxResponseTimeMs);
  const summary = () => ({ requests, failedTests, sent, refused });
  try {
    for (let pass = 0; pass < iterations; pass++) {
      for (const request of run.requests) {
        if (input.signal?.aborted) return summary();
        const result = await sendAndReport(agent, request, judge, listener, bounds);
        if (result === 'stopped') return summary();
        if (result === 'refused') {
          refused = true;
          return summary();
        }
        failedTests += result;
        requests += 1;
      }
    }
    return summary();
  } finally {
    stopWatch.release();
    await agent.close();
  }
}

/**
 * The open model's sender: the folder's requests prepared once, sent on demand over one shared
 * pool of keep-alive connections (as many as are in flight). Rejects as runFast does when the
 * collection cannot be sent faithfully, before anything is sent.
 */
export async function openFastArrivals(input: EngineInput): Promise<ArrivalSender> {
  const run = prepareRequests(input);
  if (run.requests.length === 0) throw new TypeError('the folder has no requests');
  const agent = openAgent(input);
  const judge = guideJudge(run.maxResponseTimeMs);
  const watchStop = watchEachSend(input.signal);
  return {
    requestsPerPass: run.requests.length,
    send: async (index, listener) => {
      const end = await sendAndReport(agent, run.requests[index % run.requests.length], judge, listener, boundsOf(input, listener, watchStop));
      return typeof end === 'number' ? 'answered' : end;
    },
    close: () => agent.close(),
  };
}

interface Answer {
  status?: number;
  failure?: TransportFailure;
  /** A status that is no HTTP status (000, 999): a failure, but the guide's tests judge it as newman's script does, seeing the status. */
  judgedStatus?: number;
  /** We ended it: the deadline, a stop, or the allowance refused a hop. */
  cut?: Error;
}

/**
 * One request, its body read to the end and dropped so the connection can serve the next one, and
 * its redirects followed (fast-redirects.ts) unless `followRedirects` is off.
 * Bounds: the allowance is asked before the request and before each redirect hop; the deadline
 * timer (one for all hops) and the stop signal abort the hop in flight, connecting or connected.
 * newman's words for a deadline: ETIMEDOUT while still connecting, ESOCKETTIMEDOUT once connected.
 */
function sendRequest(agents: FastAgents, request: PreparedRequest, bounds: SendBounds): Promise<Answer> {
  if (bounds.allowance && !bounds.allowance.take()) return Promise.resolve({ cut: new SendRefusedError() });
  bounds.onSend(false);
  return new Promise((resolve) => {
    let hop: Hop;
    let agent: Http1Agent;
    let exchange: Exchange | undefined;
    let redirects = 0;
    let cut: Error | undefined;
    /** Whether the hop was connected when we cut it: a deadline then is a read timeout, not a connect timeout. */
    let cutConnected = false;
    const cutWith = (reason: Error) => {
      if (cut) return;
      [cut, cutConnected] = [reason, exchange?.connected ?? false];
      exchange?.abort(reason);
    };
    const timer = bounds.timeoutMs > 0 ? setTimeout(() => cutWith(new RequestDeadlineError(bounds.timeoutMs)), bounds.timeoutMs) : undefined;
    const unwatchStop = bounds.watchStop(() => cutWith(new RunStoppedError()));
    const finish = (answer: Answer) => {
      clearTimeout(timer);
      unwatchStop();
      resolve(answer);
    };
    const send = (bytes: Buffer) => {
      exchange = agent.send(hop.target.origin, bytes, hop.method, bounds.followRedirects, listener);
    };
    const followRedirect = (status: number, location: string) => {
      if (redirects >= MAX_REDIRECTS) return finish({ failure: toTransportFailure(tooManyRedirects(hop)) });
      if (bounds.allowance && !bounds.allowance.take()) return finish({ cut: new SendRefusedError() });
      hop = nextHop(hop, status, location);
      redirects += 1;
      bounds.onSend(true);
      send(encodeRequest(hop));
    };
    const listener: ExchangeListener = {
      onAnswer: (status, rawLocation) => {
        if (cut) return finish(answerOfCut(cut, cutConnected));
        const invalid = describeInvalidStatus(status);
        if (invalid) return finish({ failure: { code: INVALID_STATUS_CODE, message: invalid }, ...(status === 101 ? {} : { judgedStatus: status }) });
        const location = redirectLocation(status, rawLocation);
        if (location === undefined) return finish({ status });
        try {
          followRedirect(status, location);
        } catch (error) {
          finish({ failure: toTransportFailure(error) });
        }
      },
      onFailure: (error) => finish(cut ? answerOfCut(cut, cutConnected) : { failure: toTransportFailure(error) }),
    };
    try {
      const rendered = renderRequest(request);
      agent = agents.pick(rendered.target.origin + rendered.target.path);
      hop = { target: rendered.target, method: request.method, headers: rendered.headers, body: rendered.body };
      send(rendered.bytes ?? encodeRequest(hop));
    } catch (error) {
      finish({ failure: toTransportFailure(error) });
    }
  });
}

/** A request we ended: a deadline is the target's answer (a timeout); a stop or a refusal is not. */
function answerOfCut(cut: Error, connected: boolean): Answer {
  if (!(cut instanceof RequestDeadlineError)) return { cut };
  return { failure: connected ? { code: cut.code, message: cut.message } : { code: 'ETIMEDOUT', message: 'ETIMEDOUT' } };
}

/** What the generated test script says when no response came back (templates/generate/request-tests.js.hbs). */
export const NO_RESPONSE_MESSAGE = 'no response: the request failed before any answer (connection refused, DNS, reset, timeout)';

/** The guide's two tests judged for one answer (a status, or none) and its latency. */
type GuideJudge = (status: number | undefined, latencyMs: number) => TestOutcome[];

/**
 * evaluateGuideTests for one run's limit, with the answer that passes both (nearly every one) given
 * one shared pair instead of two new objects and a test name formatted per request. Outcomes'
 * tests are read, never changed (run/aggregate.ts copies what it keeps); the pair is frozen so a
 * change would throw rather than alter every other outcome.
 */
function guideJudge(maxResponseTimeMs: number): GuideJudge {
  const bothPassed = Object.freeze(evaluateGuideTests(200, 0, maxResponseTimeMs).map((test) => Object.freeze(test))) as TestOutcome[];
  const canPass = bothPassed.every((test) => test.passed);
  return (status, latencyMs) =>
    canPass && status !== undefined && status !== 502 && latencyMs < maxResponseTimeMs ? bothPassed : evaluateGuideTests(status, latencyMs, maxResponseTimeMs);
}

/**
 * The guide's two tests, as the generated test script words and judges them: `No 502 errors`
 * passes unless the status is 502 (no response has no status: it passes, as in the script);
 * `Response under N seconds` needs a response faster than `max_response_time_ms` (NaN: the
 * variable is set to something not above 0, and the test fails as the script's does).
 */
export function evaluateGuideTests(status: number | undefined, latencyMs: number, maxResponseTimeMs: number): TestOutcome[] {
  const no502: TestOutcome = status === 502 ? { name: NO_502_TEST, passed: false, message: 'expected 502 to not equal 502' } : { name: NO_502_TEST, passed: true };
  const valid = maxResponseTimeMs > 0;
  const latency: TestOutcome = { name: latencyTestName(valid ? maxResponseTimeMs : DEFAULT_MAX_RESPONSE_TIME_MS), passed: false };
  if (!valid) latency.message = 'variable max_response_time_ms: expected a number above 0';
  else if (status === undefined) latency.message = NO_RESPONSE_MESSAGE;
  else if (latencyMs >= maxResponseTimeMs) latency.message = `expected ${latencyMs} to be below ${maxResponseTimeMs}`;
  else latency.passed = true;
  return [no502, latency];
}
