import type { Frame } from '../frame.js';
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
}

/**
 * Decides, frame by frame in index order, whether a frame can reuse the previous
 * reference's upscaled output. Called sequentially; may keep state between calls.
 */
export interface DedupeStrategy extends Lifecycle {
  readonly name: string;
  begin?(context: DedupeContext): Promise<void>;
  decide(frame: Frame): DedupeDecision | Promise<DedupeDecision>;
  /** Called once after the last frame; persist caches here. */
  end?(): Promise<void>;
  /** Counters for the run report (duplicates, cache hits, forced inferences, …). */
  stats?(): object;
}
