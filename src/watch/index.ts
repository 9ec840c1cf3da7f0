export { watchCommand, WATCH_COMMAND_DEFAULTS, type WatchCommandOptions } from './watch-command.js';
export { runWatch, MAX_IN_FLIGHT, type WatchInput, type WatchDeps } from './run-watch.js';
export { resolveWatchOptions, parseRatePerSec, WATCH_DEFAULTS, WATCH_TARGETS, WATCH_ARRIVALS, type RawWatchOptions } from './options.js';
export { planArrivals, seededRandom } from './schedule.js';
export { createWatchTimeline, percentile, type WatchOutcome } from './timeline.js';
export { judgeWatch } from './verdict.js';
