import { inject, injectable } from 'tsyringe';
import { TOKENS } from '@upframe/core';
import type { DedupeContext, DedupeOptions, Frame, Logger } from '@upframe/core';
import { BlockDifference, DIFFERENCE_REASONS, type DifferenceReason } from './block-difference.js';
import type { BuiltInDedupeStats } from './dedupe-stats.js';
import { FrameSignature } from './frame-signature.js';
import { parseNearOptions, type NearOptions } from './near-options.js';
import { ReferenceDedupe } from './reference-dedupe.js';

/**
 * Finds frames that look the same as the current reference (the last inferred frame) despite
 * codec noise, in the spirit of ffmpeg's mpdecimate: 8×8 luma blocks compared by sum of absolute
 * differences, plus block means (soft motion), a colour check and a global brightness check
 * (fades); see block-difference.ts and the README for the rules and thresholds. Because every frame
 * is compared with the reference, not the previous frame, slow change accumulates until it is
 * caught; `maxRunFrames`/`maxRunSeconds` bound what is left.
 */
@injectable()
export class NearDedupe extends ReferenceDedupe {
  readonly name = 'near';
  readonly options: NearOptions;
  protected readonly wordsPerFrame = 0;
  private current = new FrameSignature();
  private reference = new FrameSignature();
  private readonly difference = new BlockDifference();
  private reasons = zeroReasons();

  constructor(
    @inject(TOKENS.DedupeOptions) options: DedupeOptions,
    @inject(TOKENS.Logger) logger: Logger,
  ) {
    super(logger);
    this.options = parseNearOptions(options);
    this.runLimit = { frames: this.options.maxRunFrames, seconds: this.options.maxRunSeconds };
  }

  override async begin(context: DedupeContext): Promise<void> {
    this.reasons = zeroReasons();
    await super.begin(context);
  }

  protected settings(): string {
    const o = this.options;
    return `near/1:${o.hi},${o.lo},${o.frac},${o.dc},${o.dcFrac},${o.chroma},${o.shift},${o.maxRunFrames},${o.maxRunSeconds}`;
  }

  protected measure(frame: Frame): void {
    this.current.compute(frame);
  }

  protected matchesReference(): boolean {
    const reason = this.difference.compare(this.current, this.reference, this.options);
    if (reason === 'same') return true;
    this.reasons[reason]++;
    return false;
  }

  protected adopt(): void {
    // Swap rather than copy: the old reference's buffers become the next frame's scratch.
    [this.current, this.reference] = [this.reference, this.current];
  }

  protected override extraStats(): Pick<BuiltInDedupeStats, 'reasons'> {
    return { reasons: { ...this.reasons } };
  }

  override async dispose(): Promise<void> {
    this.current = new FrameSignature();
    this.reference = new FrameSignature();
    await super.dispose();
  }
}

function zeroReasons(): Record<Exclude<DifferenceReason, 'same'>, number> {
  const reasons = {} as Record<Exclude<DifferenceReason, 'same'>, number>;
  for (const r of DIFFERENCE_REASONS) if (r !== 'same') reasons[r] = 0;
  return reasons;
}
