import { TOKENS, silentLogger, type FormatChoice, type FormatContext, type FormatSelector, type FormatSelectorOptions, type Image, type Logger } from '@upframe/core';
import { inject, injectable } from 'tsyringe';
import { AutoFormatSelector } from './auto-format-selector.js';

/**
 * Keeps the source's format family: PNG frames in, PNG frames out; a JPEG in, a JPEG out at the
 * source's quality. Downstream tools that expect `frame_%04d.png` keep working. Where the source
 * is not a still image (a video) or the output cannot write its format, it chooses as `auto` does;
 * within the kept format `auto` still picks the settings (compression, palette) by content.
 */
@injectable()
export class SourceFormatSelector implements FormatSelector {
  readonly name = 'source';
  private readonly auto: AutoFormatSelector;

  constructor(
    @inject(TOKENS.FormatSelectorOptions) options: FormatSelectorOptions = {},
    @inject(TOKENS.Logger) logger: Logger = silentLogger,
  ) {
    this.auto = new AutoFormatSelector(options, logger);
  }

  select(image: Image, index: number, context: FormatContext): FormatChoice {
    return this.auto.select(image, index, keepSource(context, this.auto.options.lossy));
  }

  /** Decide a whole sequence from sample frames, as `auto` does, within the source's format when kept. */
  prime(samples: readonly Image[], context: FormatContext): FormatChoice {
    return this.auto.prime(samples, keepSource(context, this.auto.options.lossy));
  }

  resume(choices: readonly FormatChoice[]): void {
    this.auto.resume(choices);
  }

  summary(): string | undefined {
    const summary = this.auto.summary();
    return summary?.replace(/^auto:/, 'source:');
  }

  async dispose(): Promise<void> {
    await this.auto.dispose();
  }
}

/**
 * The context narrowed to the source's format when the output can write it. With `lossy` allowed,
 * JPEG frames may still become whatever `auto` finds smallest, so a lossy run keeps the full choice.
 */
function keepSource(context: FormatContext, lossy: boolean): FormatContext {
  const source = context.sourceFormat;
  if (!source || !context.supported.includes(source) || (lossy && source === 'jpeg')) return context;
  return { ...context, supported: [source] };
}
