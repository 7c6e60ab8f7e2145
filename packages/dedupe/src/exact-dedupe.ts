import { inject, injectable } from 'tsyringe';
import { frameBytes, TOKENS } from '@upframe/core';
import type { DedupeOptions, Frame, Logger } from '@upframe/core';
import { parseExactOptions, type ExactOptions } from './exact-options.js';
import { DIGEST_WORDS, digestInto } from './frame-hasher.js';
import { ReferenceDedupe } from './reference-dedupe.js';

/**
 * A frame is a duplicate when its decoded pixels hash (and byte length) equal the current
 * reference's. Only bit-identical frames qualify: right for lossless sources, frame sequences
 * and synthetic content, useless for held drawings in lossy video (use `near` there).
 */
@injectable()
export class ExactDedupe extends ReferenceDedupe {
  readonly name = 'exact';
  readonly options: ExactOptions;
  protected readonly wordsPerFrame: number;
  private readonly current: Uint32Array;
  private readonly reference: Uint32Array;
  private currentLength = 0;
  private referenceLength = -1;
  private measured: Uint8Array = new Uint8Array(0);
  private referenceBytes: Uint8Array = new Uint8Array(0);

  constructor(
    @inject(TOKENS.DedupeOptions) options: DedupeOptions,
    @inject(TOKENS.Logger) logger: Logger,
  ) {
    super(logger);
    this.options = parseExactOptions(options);
    this.wordsPerFrame = DIGEST_WORDS[this.options.hash];
    this.current = new Uint32Array(this.wordsPerFrame);
    this.reference = new Uint32Array(this.wordsPerFrame);
  }

  protected settings(): string {
    // `verify` is part of the key so a verified run never replays an unverified (colliding) match.
    return `exact/1:${this.options.hash}:${this.options.verify ? 'verify' : 'hash'}`;
  }

  protected measure(frame: Frame): void {
    this.currentLength = frameBytes(frame.width, frame.height, frame.layout);
    this.measured = frame.data.subarray(0, this.currentLength);
    digestInto(this.options.hash, this.measured, this.current);
  }

  protected matchesReference(): boolean {
    if (this.currentLength !== this.referenceLength) return false;
    for (let k = 0; k < this.wordsPerFrame; k++) if (this.current[k] !== this.reference[k]) return false;
    return !this.options.verify || bytesEqual(this.measured, this.referenceBytes.subarray(0, this.referenceLength));
  }

  protected adopt(): void {
    this.reference.set(this.current);
    this.referenceLength = this.currentLength;
    if (this.options.verify) {
      // Frames may live in pooled buffers that the source reuses, so the reference is copied.
      if (this.referenceBytes.length < this.currentLength) this.referenceBytes = new Uint8Array(this.currentLength);
      this.referenceBytes.set(this.measured);
    }
  }

  protected override digest(): Uint32Array {
    return this.current;
  }

  protected override prime(frame: Frame, cachedWords: Uint32Array): void {
    if (this.options.verify) return super.prime(frame, cachedWords);
    // The cached digest is all a later comparison needs: no pixel is read.
    this.reference.set(cachedWords);
    this.referenceLength = frameBytes(frame.width, frame.height, frame.layout);
  }

  override async dispose(): Promise<void> {
    this.measured = new Uint8Array(0);
    this.referenceBytes = new Uint8Array(0);
    await super.dispose();
  }
}

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.from(a.buffer, a.byteOffset, a.length).equals(Buffer.from(b.buffer, b.byteOffset, b.length));
}
