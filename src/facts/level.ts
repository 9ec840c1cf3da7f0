/**
 * A load level in either model, for decisions and for words: a step or level summary of the open
 * model carries its offered `rate`, of the closed one only its `concurrency`. Pure.
 */
import type { LoadModel } from '../model.js';

export interface HasLevel {
  concurrency: number;
  rate?: number;
}

/** A step's (or level summary's) load level: its offered rate in the open model, its concurrency in the closed one. */
export function levelOf(step: HasLevel): number {
  return step.rate ?? step.concurrency;
}

/** "concurrency 9" or "400 req/s": a level as sentences say it. */
export function nameLevel(step: HasLevel): string {
  return step.rate !== undefined ? `${step.rate} req/s` : `concurrency ${step.concurrency}`;
}

/** "concurrency 9" or "400 req/s" for a bare level of `mode`. */
export function nameLevelIn(mode: LoadModel | undefined, level: number): string {
  return mode === 'rate' ? `${level} req/s` : `concurrency ${level}`;
}

/** The highest level the ramp of `options` plans: --max-rate in the open model, --max in the closed one. */
export function topLevelOf(options: { mode?: LoadModel; max: number; maxRate?: number }): number {
  return options.mode === 'rate' ? options.maxRate ?? options.max : options.max;
}
