import { inject, injectable } from 'tsyringe';
import { frameBytes, TOKENS } from '@upframe/core';
import type { DedupeContext, DedupeOptions, Frame, Logger } from '@upframe/core';
import { BlockDifference, DIFFERENCE_REASONS, meanShift, type DifferenceReason } from './block-difference.js';
import type { BuiltInDedupeStats } from './dedupe-stats.js';
import { FadeSteps } from './fade-steps.js';
import { FrameSignature } from './frame-signature.js';
import { OutputFidelity } from './output-fidelity.js';
import { parseNearOptions, type NearOptions } from './near-options.js';
import { ReferenceDedupe } from './reference-dedupe.js';
import { ReferencePixels } from './reference-pixels.js';

/**
 * Finds frames that look the same as the current reference (the last inferred frame) despite
 * codec noise, in the spirit of ffmpeg's mpdecimate: 8×8 luma blocks compared by sum of absolute
 * differences, plus block means (soft motion), a colour check and a global brightness check
 * (fades), with the SAD and block-mean thresholds raised by the comparison's measured noise floor;
 * see block-difference.ts and the README for the rules and thresholds. A frame that passes them
 * all is reused only if its pixels are within `psnr` dB of the reference's: noise that the rules
 * forgive must not make a reused output visibly differ from the frame's own. Because every frame
 * is compared with the reference, not the previous frame, slow change accumulates until it is
 * caught; `maxRunFrames`/`maxRunSeconds` bound what is left.
 */
@injectable()
export class NearDedupe extends ReferenceDedupe {
  readonly name = 'near';
  readonly options: NearOptions;
  /** The fade-step history after each decision (fade-steps.ts), so a partial cache resumes exactly. */
  protected readonly wordsPerFrame = 2;
  private current = new FrameSignature();
  private reference = new FrameSignature();
  private readonly difference = new BlockDifference();
  private readonly referencePixels = new ReferencePixels();
  /** The measured frame's pixels, valid during decide(); kept only when it becomes the reference. */
  private pixels: Uint8Array = new Uint8Array(0);
  private pixelBytes = 0;
  private reasons = zeroReasons();
  private readonly fadeSteps = new FadeSteps();
  private index = 0;
  /** Total luma of the frame before the measured one (NaN when there was none). */
  private previousLuma = Number.NaN;
  private currentLuma = Number.NaN;
  private readonly words = new Uint32Array(2);
  /** Judges frames just under the fidelity floor by the run's model, when it has one (output-fidelity.ts). */
  private outputs: OutputFidelity | undefined;
  /** The model behind `outputs`: decisions that asked it are cached for that model only. */
  private modelKey = '';
  private frameLayout = '';

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
    this.fadeSteps.reset();
    this.previousLuma = Number.NaN;
    const o = this.options;
    this.outputs = context.infer && o.outputSamples > 0 && o.psnr > 0 ? new OutputFidelity(context.infer, { psnr: o.psnr, samples: o.outputSamples, liftMax: o.outputLiftMax }) : undefined;
    this.modelKey = this.outputs ? (context.model ?? 'unnamed model') : '';
    await super.begin(context);
  }

  protected settings(): string {
    const o = this.options;
    const outputs = this.outputs ? `;outputs ${o.outputSamples},${o.outputLiftMax} by ${this.modelKey}` : '';
    return `near/4:${o.hi},${o.lo},${o.frac},${o.dc},${o.dcFrac},${o.chroma},${o.shift},${o.shiftRatio},${o.shiftMax},${o.shiftSpan},${o.hiNoise},${o.dcNoise},${o.hiMax},${o.psnr},${o.maxRunFrames},${o.maxRunSeconds}${outputs}`;
  }

  protected measure(frame: Frame): void {
    this.index = frame.index;
    this.current.compute(frame);
    this.previousLuma = this.currentLuma;
    this.currentLuma = this.current.lumaTotal;
    this.pixels = frame.data;
    this.pixelBytes = frameBytes(frame.width, frame.height, frame.layout);
    this.frameLayout = frame.layout;
  }

  protected matchesReference(): boolean | Promise<boolean> {
    const shift = this.fadeSteps.allowance(this.index, this.options);
    const reason = this.difference.compare(this.current, this.reference, this.options, shift);
    if (reason !== 'same') return this.differs(reason, shift);
    const pixels = this.pixels.subarray(0, this.pixelBytes);
    if (this.referencePixels.within(pixels, this.options.psnr)) return true;
    const verdict = this.judgeByOutputs(pixels);
    if (verdict === undefined) return this.differs('fidelity', shift);
    return typeof verdict === 'boolean' ? verdict || this.differs('fidelity', shift) : verdict.then((ok) => ok || this.differs('fidelity', shift));
  }

  /** Frames just under the floor, asked of the run's model (8-bit RGB frames only). */
  private judgeByOutputs(pixels: Uint8Array): boolean | Promise<boolean> | undefined {
    if (!this.outputs || this.frameLayout !== 'rgb24') return undefined;
    const size = { width: this.current.width, height: this.current.height };
    return this.outputs.judge(this.referencePixels.psnr(pixels), { index: this.referenceIndex, ...size, data: this.referencePixels.data8 }, { index: this.index, ...size, data: pixels });
  }

  /** Records why the frame is inferred (and its step, for fades). */
  private differs(reason: Exclude<DifferenceReason, 'same'>, shift: number): false {
    this.reasons[reason]++;
    // The step is measured against the previous frame, not the reference: a step that was missed
    // must not make the next one look twice as large.
    const step = Number.isNaN(this.previousLuma) ? meanShift(this.current, this.reference) : (this.currentLuma - this.previousLuma) / (this.current.width * this.current.height);
    this.fadeSteps.record(this.index, step, shift);
    return false;
  }

  protected adopt(): void {
    // The fidelity check compares pixels, so the reference keeps a copy (the source may reuse its buffer).
    if (this.options.psnr > 0) this.referencePixels.keep(this.pixels, this.pixelBytes);
    // Swap rather than copy: the old reference's buffers become the next frame's scratch.
    [this.current, this.reference] = [this.reference, this.current];
  }

  protected override digest(): Uint32Array {
    this.fadeSteps.save(this.index, this.words);
    return this.words;
  }

  protected override prime(frame: Frame, cachedWords: Uint32Array): void {
    super.prime(frame, cachedWords);
    this.fadeSteps.load(frame.index, cachedWords);
  }

  protected override extraStats(): Pick<BuiltInDedupeStats, 'reasons' | 'outputCheck'> {
    return { reasons: { ...this.reasons }, ...(this.outputs ? { outputCheck: this.outputs.stats() } : {}) };
  }

  override async dispose(): Promise<void> {
    this.current = new FrameSignature();
    this.reference = new FrameSignature();
    this.referencePixels.clear();
    this.pixels = new Uint8Array(0);
    await super.dispose();
  }
}

function zeroReasons(): Record<Exclude<DifferenceReason, 'same'>, number> {
  const reasons = {} as Record<Exclude<DifferenceReason, 'same'>, number>;
  for (const r of DIFFERENCE_REASONS) if (r !== 'same') reasons[r] = 0;
  return reasons;
}
