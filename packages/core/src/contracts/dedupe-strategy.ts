import type { Frame, Image, SampleDepth } from '../frame.js';
import type { SourceInfo } from './frame-source.js';
import type { Lifecycle } from './lifecycle.js';

/** The decision for one frame. */
export interface DedupeDecision {
  /**
   * Index of the frame whose upscaled output this frame reuses, or undefined to infer it.
   * Must be the most recent frame that was itself inferred (the current reference): the
   * pipeline keeps only that one output, so memory does not grow with the video.
   */
  readonly duplicateOf?: number;
}

export interface DedupeContext {
  readonly source: SourceInfo;
  /** Directory for on-disk caches, if the caller allows caching. */
  readonly cacheDir?: string;
  /**
   * The run's own model, for a strategy that judges a candidate by the outputs it would produce
   * (how much the model attenuates or amplifies this clip's noise): `images` (8-bit RGB, one
   * size) upscaled as the pipeline does it (same backend, batching, tiling), `indices` naming
   * the frames they are, for messages. These calls are the strategy's own, on top of the frames
   * the pipeline infers: keep them to a few per run. Absent when there is no model (benchmarks
   * and tests of a strategy alone); a strategy must then decide without it.
   */
  readonly infer?: (images: readonly Image[], indices: readonly number[]) => Promise<Image[]>;
  /**
   * Identity of the model and backend settings behind `infer` (a strategy whose decisions depend
   * on the outputs must key its caches on it).
   */
  readonly model?: string;
}

/** Options a dedupe strategy is created with (config file, `--dedupe-opt`); each strategy validates its own keys. */
export type DedupeOptions = Readonly<Record<string, unknown>>;

/**
 * Counters a strategy reports through `stats()`; the run report carries them as `details.dedupe`.
 * The named fields mean the same for every strategy; anything else is the strategy's own and must
 * be JSON-serialisable.
 */
export interface DedupeStats {
  /** The strategy's name. */
  readonly strategy: string;
  /** Frames passed to `decide()`. */
  readonly frames: number;
  /** Frames marked as a duplicate of the current reference. */
  readonly duplicates: number;
  /** Decisions answered from an on-disk cache without looking at pixels. */
  readonly cacheHits?: number;
  /** Frames inferred only because a run of duplicates reached the strategy's limit. */
  readonly forced?: number;
  /** What happened to the on-disk cache when the run began (`disabled`, `loaded`, …). */
  readonly cache?: string;
  /** Milliseconds spent comparing frames. */
  readonly workMs?: number;
  readonly [extra: string]: unknown;
}

/**
 * Decides, frame by frame in index order, whether a frame can reuse the previous
 * reference's upscaled output. Called sequentially; may keep state between calls.
 */
export interface DedupeStrategy extends Lifecycle {
  readonly name: string;
  /**
   * Sample depths `decide()` takes (default `[8]`). A strategy that lists 16 sees 16-bit frames
   * (`rgb48`/`rgba64`) as they are, and an exact strategy must then compare all 16 bits; one that
   * does not is given an 8-bit copy of each 16-bit frame.
   */
  readonly sampleDepths?: readonly SampleDepth[];
  begin?(context: DedupeContext): Promise<void>;
  decide(frame: Frame): DedupeDecision | Promise<DedupeDecision>;
  /** Called once after the last frame; persist caches here. */
  end?(): Promise<void>;
  /** Counters for the run report; read once, after `end()`. */
  stats?(): DedupeStats;
}
