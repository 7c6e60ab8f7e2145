import type { DedupeStats } from '@upframe/core';

/** What happened to the on-disk cache when the run began. */
export const CACHE_STATES = ['disabled', 'missing', 'loaded', 'stale', 'unreadable'] as const;
export type CacheState = (typeof CACHE_STATES)[number];

/** `DedupeStats` as every strategy in this package fills it: all counters present, for the run report. */
export interface BuiltInDedupeStats extends DedupeStats {
  /** Decisions answered from the on-disk cache without looking at pixels. */
  readonly cacheHits: number;
  /** Frames inferred only because a run of duplicates reached `maxRunFrames`/`maxRunSeconds`. */
  readonly forced: number;
  readonly cache: CacheState;
  /** Milliseconds spent hashing or comparing pixels (cache hits cost none). */
  readonly workMs: number;
  /** `near` only: how many frames were inferred for each reason (`block`, `spread`, …). */
  readonly reasons?: Readonly<Record<string, number>>;
  /**
   * `near` only, when the run's model judged frames just under the fidelity floor: how many were
   * upscaled to learn the clip's lift (`samples`), the lift learned (dB, output PSNR minus input
   * PSNR, the smallest seen), and how many frames it let through without inference (`reused`).
   */
  readonly outputCheck?: { readonly samples: number; readonly liftDb: number | null; readonly reused: number };
}

/** Implemented by every strategy in this package; the report reads it after `end()`. */
export interface DedupeStatsSource {
  stats(): BuiltInDedupeStats;
}
