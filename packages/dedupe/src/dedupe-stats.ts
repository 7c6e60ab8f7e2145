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
}

/** Implemented by every strategy in this package; the report reads it after `end()`. */
export interface DedupeStatsSource {
  stats(): BuiltInDedupeStats;
}
