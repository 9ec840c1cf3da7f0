/**
 * The fast engine: the requests of a collection sent with undici instead of newman, with the
 * guide's two tests evaluated natively. Same contract as runNewman, so a ramp step can take either.
 *
 * Why: a newman run spends about 7 ms of CPU per request in its sandbox and runtime, so however
 * many virtual users a step starts, only 3–4 requests are really in flight on average (a peak of C,
 * an average far below): the client is the bottleneck long before any real target is. undici
 * spends a small fraction of that, so C users keep about C requests in flight.
 *
 * Semantics kept from newman: one call is one virtual user — its passes run one after another,
 * each request waiting for the one before; variables resolved with newman's precedence; redirects
 * followed (up to 10); keep-alive connections.
 * Connections: each call (one user) opens one connection per origin, keeps it alive for all its
 * requests and closes it at its end — so a ramp step opens C new connections. newman differs:
 * postman-runtime reuses idle keep-alive connections even across runs in one process, so a target
 * (nginx, a backend) may see fewer new connections, and fewer closes, under newman than here.
 * Differences: no scripts run — of the test scripts only the guide's "No 502 errors" and
 * "Response under N seconds" are evaluated (other tests, e.g. "Status is 201", are not); no cookie
 * jar; bodies are read and dropped, never decompressed or kept.
 * Bounds (src/engines/request-guard.ts): --timeout-request is a total deadline per request —
 * connect, headers, the whole body and its redirects — kept by a timer of our own and an
 * AbortSignal per request (undici's headers/body timers are per wait and fire up to a second
 * late: 100 ms fired after ~1 s); the stop signal cuts the request in flight; every hop that
 * leaves the machine is counted (redirects too) and asked of the send allowance first.
 */
import { Agent, interceptors, type Dispatcher } from 'undici';
import { NO_502_TEST, latencyTestName, type RequestOutcome, type TestOutcome } from '../model.js';
import { toTransportFailure, type TransportFailure } from './fast-errors.js';
import { DEFAULT_MAX_RESPONSE_TIME_MS, parseTarget, prepareRequests, renderTemplate, type PreparedRequest } from './fast-requests.js';
import type { NewmanListener, NewmanRunInput, NewmanRunSummary } from './newman.js';
import { RequestDeadlineError, RunStoppedError, SendRefusedError } from './request-guard.js';

/** postman-request's default redirect limit. */
const MAX_REDIRECTS = 10;

/**
 * Sends the requests of `input.folder` (all when absent) `iterationCount` times, one after another,
 * reporting each through the listener: onRequestStart before it is sent, onResponse when its whole
 * answer (or its transport error) is in, onOutcome with status or error code, latency and tests.
 * `signal` stops it and cuts the request in flight (no outcome for that one); `allowance` is asked
 * before every request and redirect hop, and a refusal stops the run (`refused` in the summary).
 * Rejects before sending anything when the collection cannot be sent faithfully (InputError,
 * RuntimeError); never for a request's failure, which is an outcome. `verbose` is ignored.
 */
export async function runFast(input: NewmanRunInput, listener: NewmanListener = {}): Promise<NewmanRunSummary> {
  const run = prepareRequests(input);
  const timeoutMs = input.timeoutRequestMs ?? 0;
  // One connection per origin: a user has one request in flight. Without the cap undici opens a
  // second one when the next request comes while the last answer's bookkeeping is still under way.
  // The deadline is our own timer (below): undici's headers/body timers are off.
  const agent = new Agent({
    connections: 1,
    headersTimeout: 0,
    bodyTimeout: 0,
    connect: { timeout: timeoutMs, rejectUnauthorized: !input.insecure },
  });
  let sent = 0;
  let refused = false;
  let hops = 0;
  let current: AbortController | undefined;
  /** The request in flight reached a socket: a deadline now is a read timeout, not a connect timeout. */
  let connected = false;
  // Sees every hop the redirect interceptor makes (it wraps this one): counted, and asked of the allowance.
  const countSends: Dispatcher.DispatcherComposeInterceptor = (dispatch) => (options, handler) => {
    if (input.allowance && !input.allowance.take()) {
      refused = true;
      current?.abort(new SendRefusedError());
    } else {
      hops += 1;
      sent += 1;
      listener.onSend?.({ redirect: hops > 1 });
    }
    return dispatch(options, watchConnect(handler, () => (connected = true)));
  };
  const dispatcher =
    input.followRedirects === false ? agent.compose(countSends) : agent.compose(countSends, interceptors.redirect({ maxRedirections: MAX_REDIRECTS }));
  const iterations = input.iterationCount ?? 1;
  let requests = 0;
  let failedTests = 0;
  const summary = () => ({ requests, failedTests, sent, refused });
  try {
    for (let pass = 0; pass < iterations; pass++) {
      for (const request of run.requests) {
        if (input.signal?.aborted || refused) return summary();
        listener.onRequestStart?.(request.item);
        const startedAt = performance.now();
        const controller = new AbortController();
        const stop = () => controller.abort(new RunStoppedError());
        input.signal?.addEventListener('abort', stop, { once: true });
        const timer = timeoutMs > 0 ? setTimeout(() => controller.abort(new RequestDeadlineError(timeoutMs)), timeoutMs) : undefined;
        [hops, current, connected] = [0, controller, false];
        let answer = await sendRequest(dispatcher, request, controller.signal);
        clearTimeout(timer);
        input.signal?.removeEventListener('abort', stop);
        const reason: unknown = controller.signal.reason;
        // Cut by a stop, or never sent (the cap is reached): not an outcome of the target.
        if (reason instanceof RunStoppedError || reason instanceof SendRefusedError) return summary();
        // newman's words: ETIMEDOUT while still connecting, ESOCKETTIMEDOUT once connected.
        if (reason instanceof RequestDeadlineError) answer = { failure: connected ? { code: reason.code, message: reason.message } : { code: 'ETIMEDOUT', message: 'ETIMEDOUT' } };
        const latencyMs = Math.round(performance.now() - startedAt);
        requests += 1;
        listener.onResponse?.(request.item);
        const tests = evaluateGuideTests(answer.status, latencyMs, run.maxResponseTimeMs);
        failedTests += tests.filter((test) => !test.passed).length;
        const outcome: RequestOutcome = { route: request.route, item: request.item, itemId: request.itemId, request: request.request, latencyMs, tests };
        if (answer.status !== undefined) outcome.status = answer.status;
        else [outcome.error, outcome.errorMessage] = [answer.failure!.code, answer.failure!.message];
        listener.onOutcome?.(outcome);
      }
    }
    return summary();
  } finally {
    await agent.close();
  }
}

/**
 * `handler` with `onConnected` called when undici puts the request on a connected socket (its
 * onConnect / onRequestStart); every other method passes through untouched, and a method the
 * handler lacks stays absent (undici tells handler APIs apart by which methods exist).
 */
function watchConnect(handler: Dispatcher.DispatchHandler, onConnected: () => void): Dispatcher.DispatchHandler {
  return new Proxy(handler, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if ((property === 'onConnect' || property === 'onRequestStart') && typeof value === 'function') {
        return (...args: unknown[]) => {
          onConnected();
          return value.apply(target, args);
        };
      }
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

interface Answer {
  status?: number;
  failure?: TransportFailure;
}

/** One request, its body read to the end (and dropped) so the connection can serve the next one. */
async function sendRequest(dispatcher: Dispatcher, request: PreparedRequest, signal: AbortSignal): Promise<Answer> {
  try {
    const target = request.target ?? parseTarget(renderTemplate(request.url));
    const response = await dispatcher.request({
      origin: target.origin,
      path: target.path,
      method: request.method as Dispatcher.HttpMethod,
      headers: request.headers.map(renderTemplate),
      body: request.body ? renderTemplate(request.body) : undefined,
      signal,
    });
    for await (const _chunk of response.body) {
      // drained, not kept
    }
    return { status: response.statusCode };
  } catch (error) {
    return { failure: toTransportFailure(error) };
  }
}

/** What the generated test script says when no response came back (templates/generate/request-tests.js.hbs). */
export const NO_RESPONSE_MESSAGE = 'no response: the request failed before any answer (connection refused, DNS, reset, timeout)';

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
