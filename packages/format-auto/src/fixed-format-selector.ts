import { UpframeError, silentLogger, type FormatChoice, type FormatContext, type FormatSelector, type Image, type ImageFormat, type Logger } from '@upframe/core';
import { DEFAULT_LOSSY_QUALITY, LOSSLESS_SETTINGS, lossySettings } from './encoder-settings.js';
import type { FormatOptions } from './format-options.js';
import { scanAlpha } from './frame-analysis.js';
import { labelChoice } from './selection-report.js';

/**
 * Always the same format, with settings from the options or measured defaults. Lossless unless
 * the format is JPEG or the options ask for loss; a frame whose alpha JPEG would drop is an error.
 * Built by the registry factory rather than the container: its only inputs are the format name
 * fixed at registration and the validated options.
 */
export class FixedFormatSelector implements FormatSelector {
  readonly name: ImageFormat;
  readonly choice: FormatChoice;
  private frames = 0;
  private warnedHiddenColour = false;

  constructor(
    readonly format: ImageFormat,
    options: FormatOptions = {},
    private readonly logger: Logger = silentLogger,
  ) {
    this.name = format;
    this.choice = fixedChoice(format, options);
  }

  select(image: Image, index: number, context: FormatContext): FormatChoice {
    if (!context.supported.includes(this.format)) {
      throw new UpframeError('USAGE', `format selector ${this.format}: this output cannot write ${this.format}; it supports ${context.supported.join(', ') || '(none)'}`, {
        plugin: this.name,
        hint: `Pick one of: ${context.supported.join(', ')}, or auto.`,
      });
    }
    const hasAlpha = image.channels === 2 || image.channels === 4;
    if (hasAlpha && this.format === 'jpeg' && scanAlpha(image.data, image.channels).used) {
      throw new UpframeError('USAGE', `format selector jpeg: frame ${index} uses transparency, which JPEG cannot store`, {
        plugin: this.name,
        hint: 'Pick png, webp, tiff or avif (or auto) to keep the alpha channel.',
      });
    }
    // sharp does not expose libwebp's `exact` flag: colour under alpha 0 is stored as black.
    if (hasAlpha && this.format === 'webp' && this.choice.lossless && !this.warnedHiddenColour && scanAlpha(image.data, image.channels).hidden) {
      this.warnedHiddenColour = true;
      this.logger.warn(`format selector webp: frame ${index} has colour under fully transparent pixels, which lossless WebP stores as transparent black; use png to keep it bit-exact.`);
    }
    this.frames++;
    return this.choice;
  }

  /** The choice never changes: the resumed frames only count. */
  resume(choices: readonly FormatChoice[]): void {
    this.frames += choices.length;
  }

  summary(): string | undefined {
    if (this.frames === 0) return undefined;
    return `${this.format} (fixed): ${labelChoice(this.choice)} for ${this.frames} frames.`;
  }

  /** Holds nothing but counters: nothing to release. */
  async dispose(): Promise<void> {}
}

/** The choice a fixed selector returns for `format` with `options`. */
export function fixedChoice(format: ImageFormat, options: FormatOptions): FormatChoice {
  const quality = options.quality ?? DEFAULT_LOSSY_QUALITY;
  const lossyRequested = options.lossy === true;
  switch (format) {
    case 'png':
      return lossless(format, {
        compressionLevel: options.compressionLevel ?? 6,
        adaptiveFiltering: options.adaptiveFiltering ?? false,
        palette: false,
      });
    case 'tiff':
      return lossless(format, { compression: options.compression ?? 'deflate', predictor: options.predictor ?? 'horizontal' });
    case 'jpeg':
      return { format, lossless: false, options: lossySettings('jpeg', quality), reason: `JPEG requested (lossy, quality ${quality})` };
    case 'webp':
    case 'avif': {
      if (lossyRequested) {
        const settings = { ...lossySettings(format, quality), ...(options.effort === undefined ? {} : { effort: options.effort }) };
        return { format, lossless: false, options: settings, reason: `${format} requested, lossy at quality ${quality}` };
      }
      const base = LOSSLESS_SETTINGS[format].photographic;
      return lossless(format, options.effort === undefined ? base : { ...base, effort: options.effort });
    }
  }
}

function lossless(format: ImageFormat, options: Readonly<Record<string, unknown>>): FormatChoice {
  return { format, lossless: true, options, reason: `${format} requested (lossless)` };
}
