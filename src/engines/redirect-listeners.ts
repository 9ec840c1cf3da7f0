/**
 * newman without a leak warning on redirect chains.
 *
 * Why: postman-request adds a 'pipe' listener to a request each time it initialises it — once,
 * and again for every redirect it follows (lib/redirect.js calls `request.init`) — so a chain of
 * the 10 redirects postman-runtime allows puts 11 on one emitter and Node prints a
 * MaxListenersExceededWarning in the middle of a run. The listeners are bounded by the redirect
 * limit and go with the request: no leak, only the warning.
 * How: a request that re-initialises for a redirect gets room for one listener per redirect its
 * limit allows, in postman-request's instance that postman-runtime loads. Idempotent.
 */
import { requireFromRuntime } from './newman-require.js';

interface RedirectingRequest {
  _redirect?: { redirectsFollowed?: number; maxRedirects?: number };
  getMaxListeners(): number;
  setMaxListeners(n: number): unknown;
}
type Init = (this: RedirectingRequest, ...args: unknown[]) => unknown;

const ROOMY = Symbol.for('debug502.roomyRedirects');

/** Gives postman-request's requests room for their redirect listeners (see above). */
export function quietRedirectListeners(): void {
  const { Request } = requireFromRuntime()('postman-request') as { Request: { prototype: { init: Init; [ROOMY]?: true } } };
  const prototype = Request.prototype;
  if (prototype[ROOMY]) return;
  const init = prototype.init;
  prototype.init = function (this: RedirectingRequest, ...args: unknown[]) {
    const redirect = this._redirect;
    if (redirect && (redirect.redirectsFollowed ?? 0) > 0) this.setMaxListeners(Math.max(this.getMaxListeners(), (redirect.maxRedirects ?? 10) + 1));
    return init.apply(this, args);
  };
  prototype[ROOMY] = true;
}
