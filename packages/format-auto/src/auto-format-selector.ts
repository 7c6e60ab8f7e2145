import {
  TOKENS,
  UpframeError,
  silentLogger,
  type FormatChoice,
  type FormatContext,
  type FormatSelector,
  type FormatSelectorOptions,
  type Image,
  type Logger,
} from '@upframe/core';
import { inject, injectable } from 'tsyringe';
import { chooseFormat, type ChoicePolicy } from './choose-format.js';
import { parseAutoOptions, type AutoOptions } from './format-options.js';
import { analyseImage, mergeAnalyses, scanAlpha, type FrameAnalysis } from './frame-analysis.js';
import { SelectionReport } from './selection-report.js';

interface Decision {
  readonly choice: FormatChoice;
  /** Absent for a decision an interrupted run made (see `resume()`): its frames are not seen again. */
  readonly analysis?: FrameAnalysis;
  /** Index of the frame it was made on; -1 when made by `prime()` before the run. */
  readonly index: number;
  readonly samples: number;
}

/**
 * Picks the output format from the content, once per sequence (or per frame with `perFrame`).
 *
 * Why the sequence decision is made on the first frame: `select()` for frame 0 must answer
 * before frame 1 exists (the sink writes frame 0 straight away), so any later "better" decision
 * would leave a folder of mixed formats. The first choice is therefore made to be safe for
 * whatever follows — lossless WebP/PNG settings that never lose to the PNG baseline on any
 * measured class, and alpha capability whenever the stream has an alpha channel — and the next
 * `reviewFrames` frames are analysed only to report whether they agree. A caller that can show
 * frames ahead of time (a video's frames spread over its length) calls `prime()` instead.
 */
@injectable()
export class AutoFormatSelector implements FormatSelector {
  readonly name = 'auto';
  readonly options: AutoOptions;
  private decision?: Decision;
  private readonly report = new SelectionReport();

  constructor(
    @inject(TOKENS.FormatSelectorOptions) options: FormatSelectorOptions = {},
    @inject(TOKENS.Logger) private readonly logger: Logger = silentLogger,
  ) {
    this.options = parseAutoOptions(options);
  }

  select(image: Image, index: number, context: FormatContext): FormatChoice {
    if (this.options.perFrame) {
      const choice = chooseFormat(analyseImage(image), context, this.policy(false));
      this.report.count(choice);
      return choice;
    }
    const decision = this.decision ?? this.decide([analyseImage(image)], index, context);
    if (index !== decision.index) this.check(image, index, context, decision);
    this.report.count(decision.choice);
    return decision.choice;
  }

  /** Decide the whole sequence from sample frames before the first `select()`; returns the choice. */
  prime(samples: readonly Image[], context: FormatContext): FormatChoice {
    if (this.options.perFrame) throw new UpframeError('USAGE', 'format selector auto: prime() decides a whole sequence, but this selector decides per frame (--format-opt perFrame=true)', { plugin: this.name });
    if (this.decision) throw new UpframeError('USAGE', `format selector auto: prime() after the format was already decided at frame ${this.decision.index}`, { plugin: this.name });
    if (samples.length === 0) throw new UpframeError('USAGE', 'format selector auto: prime() needs at least one sample frame', { plugin: this.name });
    return this.decide(samples.map(analyseImage), -1, context).choice;
  }

  /**
   * A resumed run keeps the interrupted run's decision (made on its frame 0), so every frame of the
   * folder shares one format; deciding again on the first new frame could pick another.
   */
  resume(choices: readonly FormatChoice[]): void {
    if (choices.length === 0) return;
    for (const choice of choices) this.report.count(choice);
    if (!this.options.perFrame && !this.decision) this.decision = { choice: choices[0], index: 0, samples: 1 };
  }

  summary(): string | undefined {
    if (this.report.framesSelected === 0 && !this.decision) return undefined;
    if (this.options.perFrame) return this.report.perFrame();
    const d = this.decision!;
    return this.report.sequence(d.choice, d.index < 0 ? `from ${d.samples} sample frames before the run` : `at frame ${d.index}`);
  }

  /** Holds nothing but counters: nothing to release. */
  async dispose(): Promise<void> {}

  private policy(forUnseenFrames: boolean): ChoicePolicy {
    return { lossy: this.options.lossy, quality: this.options.quality, forUnseenFrames };
  }

  private decide(analyses: readonly FrameAnalysis[], index: number, context: FormatContext): Decision {
    const analysis = mergeAnalyses(analyses);
    // A single image has no unseen frames, so an opaque alpha channel need not rule out JPEG.
    const choice = chooseFormat(analysis, context, this.policy(context.frameCount !== 1));
    this.decision = { choice, analysis, index, samples: analyses.length };
    this.logger.debug(`format selector auto: ${choice.format} for the sequence: ${choice.reason}`);
    return this.decision;
  }

  private check(image: Image, index: number, context: FormatContext, decision: Decision): void {
    if (decision.analysis && image.channels !== decision.analysis.channels) {
      throw new UpframeError(
        'SEQUENCE_INVALID',
        `format selector auto: frame ${index} has ${image.channels} channels, but the sequence was decided for ${decision.analysis.channels}`,
        { plugin: this.name, hint: 'Every frame of a sequence must share one pixel layout; pass --format-opt perFrame=true to decide each frame alone.' },
      );
    }
    let hidden: boolean | undefined;
    if (index - decision.index <= this.options.reviewFrames) {
      const analysis = analyseImage(image);
      this.report.review(index, chooseFormat(analysis, context, this.policy(true)), decision.choice);
      hidden = analysis.hiddenColour;
    }
    // Lossless WebP was only chosen because no analysed frame had colour under alpha 0; a later
    // frame can still bring some. The format cannot change now, so say so instead of staying silent.
    const guard = decision.choice.format === 'webp' && decision.choice.lossless && image.channels === 4 && !this.report.sawHiddenColour;
    if (!guard) return;
    hidden ??= scanAlpha(image.data, image.channels).hidden;
    if (hidden) {
      this.report.hiddenColour(index);
      this.logger.warn(
        `format selector auto: frame ${index} has colour under fully transparent pixels; the sequence is written as lossless WebP, ` +
          'which stores those pixels as transparent black (visible pixels and alpha stay exact). Use the png format to keep them bit-exact.',
      );
    }
  }
}
