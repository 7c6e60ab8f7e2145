import type { CachedDecisions } from './dedupe-cache.js';

/** The decisions (and digests) of a run so far, in growable typed arrays, for the cache. */
export class DecisionLog {
  private duplicate = new Uint8Array(1024);
  private words: Uint32Array;
  private count = 0;

  constructor(private readonly wordsPerFrame: number) {
    this.words = new Uint32Array(1024 * wordsPerFrame);
  }

  push(duplicate: boolean, digest: Uint32Array | undefined): void {
    if (this.count === this.duplicate.length) {
      // Doubling keeps appends amortised O(1) without a per-frame allocation.
      this.duplicate = grow(this.duplicate, this.count * 2);
      this.words = grow(this.words, this.count * 2 * this.wordsPerFrame);
    }
    this.duplicate[this.count] = duplicate ? 1 : 0;
    if (digest && this.wordsPerFrame > 0) this.words.set(digest.subarray(0, this.wordsPerFrame), this.count * this.wordsPerFrame);
    this.count++;
  }

  snapshot(): CachedDecisions {
    return {
      count: this.count,
      duplicate: this.duplicate.subarray(0, this.count),
      words: this.words.subarray(0, this.count * this.wordsPerFrame),
    };
  }
}

function grow<T extends Uint8Array | Uint32Array>(array: T, length: number): T {
  const bigger = new (array.constructor as new (n: number) => T)(length);
  bigger.set(array);
  return bigger;
}
