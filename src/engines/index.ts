/** The engines a ramp step can send its requests with: the contract and registry (engine.ts), and each engine. */
export { DEFAULT_ENGINE, ENGINE_NAMES, ENGINES, type ArrivalSender, type EngineEntry, type EngineInput, type EngineListener, type EngineSummary, type RunEngine } from './engine.js';
export { openFastArrivals, runFast } from './fast.js';
export { runNewman } from './newman.js';
