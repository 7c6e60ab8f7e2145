import { frameBytes, OrderViolationError, ptsToSeconds, UpframeError } from '@upframe/core';
import type { DedupeContext, DedupeDecision, DedupeStrategy, Frame, Logger, PixelLayout } from '@upframe/core';
import { CacheSession, type ReplayCache } from './cache-session.js';
import type { BuiltInDedupeStats, DedupeStatsSource } from './dedupe-stats.js';
import { DecisionLog } from './decision-log.js';

const INFER: DedupeDecision = Object.freeze({});
const NO_LIMIT: RunLimit = Object.freeze({ frames: Infinity, seconds: Infinity });

/** How long a run of duplicates may last before the next frame is inferred regardless. */
export interface RunLimit {
  readonly frames: number;
  readonly seconds: number;
}

/**
 * The machinery shared by `exact` and `near`: the current reference (the last inferred frame),
 * run limits, frame-order checks, the on-disk decision cache and the counters. A subclass only
 * says how to measure a frame, whether the measured frame matches the reference, and how to
 * make it the new reference.
 */
export abstract class ReferenceDedupe implements DedupeStrategy, DedupeStatsSource {
  /** 16-bit frames are taken as they are: `exact` hashes every byte (all 16 bits), `near` measures their 8-bit rounding. */
  readonly sampleDepths = [8, 16] as const;
  abstract readonly name: string;
  /** Set by subclasses that cap runs of near-duplicates; exact duplicates never need a cap. */
  protected runLimit: RunLimit = NO_LIMIT;

  private next = 0;
  private refIndex = -1;
  private refSeconds = 0;
  private refWidth = 0;
  private refHeight = 0;
  private refLayout: PixelLayout | undefined;
  /** False when the reference was replayed from the cache without measuring its pixels. */
  private refReady = false;
  /** Every duplicate of one reference shares a single decision object. */
  private duplicateDecision: DedupeDecision | undefined;
  private log = new DecisionLog(0);
  private cache = CacheSession.disabled();
  private counts = { duplicates: 0, cacheHits: 0, forced: 0, fresh: 0, workMs: 0 };

  protected constructor(protected readonly logger: Logger) {}

  /** Canonical description of everything that changes decisions, for the cache key. */
  protected abstract settings(): string;
  /** Digest words recorded per frame in the cache (0 when decisions are all that is kept). */
  protected abstract readonly wordsPerFrame: number;
  /** Reads the frame's pixels into the strategy's scratch state. */
  protected abstract measure(frame: Frame): void;
  /** Whether the last measured frame may reuse the reference's output (a promise when it asks the model). */
  protected abstract matchesReference(): boolean | Promise<boolean>;
  /** Makes the last measured frame the reference. */
  protected abstract adopt(): void;
  /** The last measured frame's digest (`wordsPerFrame` words). */
  protected digest(): Uint32Array | undefined {
    return undefined;
  }
  /** Prepares a reference replayed from the cache so fresh frames after it can be compared. */
  protected prime(frame: Frame, _cachedWords: Uint32Array): void {
    this.measure(frame);
    this.adopt();
  }
  /** Index of the current reference (the last inferred frame); -1 before the first. */
  protected get referenceIndex(): number {
    return this.refIndex;
  }
  protected extraStats(): Pick<BuiltInDedupeStats, 'reasons' | 'outputCheck'> {
    return {};
  }

  async begin(context: DedupeContext): Promise<void> {
    this.reset();
    this.cache = await CacheSession.open(context, this.name, this.settings(), this.wordsPerFrame, this.logger);
  }

  decide(frame: Frame): DedupeDecision | Promise<DedupeDecision> {
    const index = frame.index;
    if (index !== this.next) {
      throw new OrderViolationError(`dedupe "${this.name}" needs frames in index order: got ${index}, expected ${this.next}`, index);
    }
    this.next = index + 1;
    const cached = this.cache.replay;
    if (cached && index < cached.count) return this.replay(frame, cached);
    this.counts.fresh++;
    const started = performance.now();
    const duplicate = this.decideFresh(frame);
    // Only a strategy that asks the model waits; every other decision stays synchronous.
    return typeof duplicate === 'boolean' ? this.record(frame, duplicate, started) : duplicate.then((d) => this.record(frame, d, started));
  }

  private record(frame: Frame, duplicate: boolean, started: number): DedupeDecision {
    this.counts.workMs += performance.now() - started;
    this.log.push(duplicate, this.digest());
    return this.conclude(frame, duplicate);
  }

  async end(): Promise<void> {
    // A run answered entirely from the cache has nothing new to write.
    if (this.counts.fresh > 0) await this.cache.save(this.log.snapshot(), this.logger);
  }

  async dispose(): Promise<void> {
    this.cache = CacheSession.disabled();
    this.log = new DecisionLog(0);
  }

  stats(): BuiltInDedupeStats {
    const { duplicates, cacheHits, forced, workMs } = this.counts;
    return { strategy: this.name, frames: this.next, duplicates, cacheHits, forced, cache: this.cache.state, workMs, ...this.extraStats() };
  }

  private reset(): void {
    this.next = 0;
    this.refIndex = -1;
    this.refReady = false;
    this.refLayout = undefined;
    this.duplicateDecision = undefined;
    this.cache = CacheSession.disabled();
    this.counts = { duplicates: 0, cacheHits: 0, forced: 0, fresh: 0, workMs: 0 };
    this.log = new DecisionLog(this.wordsPerFrame);
  }

  private decideFresh(frame: Frame): boolean | Promise<boolean> {
    const expected = frameBytes(frame.width, frame.height, frame.layout);
    if (frame.data.length < expected) {
      throw new UpframeError('INPUT_INVALID', `frame ${describeFrame(frame)} has ${frame.data.length} bytes, expected ${expected} for ${frame.width}x${frame.height} ${frame.layout}`, { plugin: this.name });
    }
    this.measure(frame);
    const comparable = this.refReady && this.refLayout === frame.layout && this.refWidth === frame.width && this.refHeight === frame.height;
    if (comparable) {
      const limit = this.runLimit;
      const seconds = secondsOf(frame);
      if (frame.index - this.refIndex > limit.frames || seconds - this.refSeconds > limit.seconds) {
        this.counts.forced++;
      } else {
        const match = this.matchesReference();
        if (match === true) return true;
        if (match !== false) return match.then((m) => m || this.becomeReference());
      }
    }
    return this.becomeReference();
  }

  private becomeReference(): false {
    this.adopt();
    this.refReady = true;
    return false;
  }

  private replay(frame: Frame, cached: ReplayCache): DedupeDecision {
    const index = frame.index;
    this.counts.cacheHits++;
    const duplicate = cached.duplicate[index] === 1;
    const words = cached.words.subarray(index * this.wordsPerFrame, (index + 1) * this.wordsPerFrame);
    this.log.push(duplicate, words);
    if (!duplicate) {
      // Only the last cached reference can be compared against fresh frames, and only if the
      // cache may end before the input does; measuring it is the one pixel read a replay makes.
      this.refReady = index === cached.lastInferred && !cached.complete;
      if (this.refReady) {
        const started = performance.now();
        this.prime(frame, words);
        this.counts.workMs += performance.now() - started;
      }
    }
    return this.conclude(frame, duplicate);
  }

  private conclude(frame: Frame, duplicate: boolean): DedupeDecision {
    if (duplicate) {
      this.counts.duplicates++;
      return (this.duplicateDecision ??= Object.freeze({ duplicateOf: this.refIndex }));
    }
    this.refIndex = frame.index;
    this.refSeconds = secondsOf(frame);
    this.refWidth = frame.width;
    this.refHeight = frame.height;
    this.refLayout = frame.layout;
    this.duplicateDecision = undefined;
    return INFER;
  }
}

const describeFrame = (frame: Frame) => (frame.sourceName ? `${frame.index} (${frame.sourceName})` : String(frame.index));

/** Presentation time in seconds; NaN timestamps never trigger the time limit. */
function secondsOf(frame: Frame): number {
  const s = ptsToSeconds(frame.pts, frame.timeBase);
  return Number.isFinite(s) ? s : 0;
}
