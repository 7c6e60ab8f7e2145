import { IMAGE_FORMATS, TOKENS, resolveWith, silentLogger, type ImageFormat, type Logger } from '@upframe/core';
import type { DependencyContainer } from 'tsyringe';
import { AutoFormatSelector } from './auto-format-selector.js';
import { FixedFormatSelector } from './fixed-format-selector.js';
import { SourceFormatSelector } from './source-format-selector.js';
import { AUTO_OPTION_SCHEMA, FORMAT_OPTION_SCHEMAS, parseFormatOptions } from './format-options.js';

export { AutoFormatSelector } from './auto-format-selector.js';
export { FixedFormatSelector, fixedChoice } from './fixed-format-selector.js';
export { SourceFormatSelector } from './source-format-selector.js';
export { SAME_FORMAT_QUALITY, chooseFormat } from './choose-format.js';
export type { ChoicePolicy } from './choose-format.js';
export { analyseImage, mergeAnalyses, COLOUR_COUNT_CAP } from './frame-analysis.js';
export type { FrameAnalysis } from './frame-analysis.js';
export { CONTENT_CLASSES, classify, describeContent } from './content-class.js';
export type { ContentClass } from './content-class.js';
export { AUTO_OPTION_KEYS, AUTO_OPTION_SCHEMA, FORMAT_OPTION_KEYS, FORMAT_OPTION_SCHEMAS, parseAutoOptions, parseFormatOptions, parseImageFormat } from './format-options.js';
export type { AutoOptions, FormatOptions } from './format-options.js';
export {
  LOSSLESS_FORMATS,
  LOSSY_FORMATS,
  TIFF_COMPRESSIONS,
  TIFF_PREDICTORS,
  LOSSLESS_SETTINGS,
  DEFAULT_LOSSY_QUALITY,
  PNG_BASELINE_OPTIONS,
  WEBP_MAX_DIMENSION,
} from './encoder-settings.js';
export type { LosslessFormat, LossyFormat, TiffCompression, TiffPredictor } from './encoder-settings.js';
export { labelChoice } from './selection-report.js';

const ORIGIN = '@upframe/format-auto';

const FIXED_DESCRIPTIONS: Record<ImageFormat, string> = {
  png: 'PNG, lossless (compressionLevel, adaptiveFiltering)',
  webp: 'WebP, lossless unless --quality N or --lossy',
  jpeg: 'JPEG, lossy (quality); refuses frames that use alpha',
  tiff: 'TIFF, lossless deflate or lzw (compression, predictor)',
  avif: 'AVIF, lossless unless --quality N or --lossy; slow',
};

/** Register `source`, `auto` and one fixed selector per image format (`png`, `webp`, …). */
export function register(container: DependencyContainer): void {
  const registry = container.resolve(TOKENS.FormatSelectors);
  registry.add({
    name: 'auto',
    description: 'content-aware: the smallest lossless format for the sequence, keeps alpha; lossy only when allowed',
    priority: 100,
    origin: ORIGIN,
    options: AUTO_OPTION_SCHEMA,
    create: (c, options) => resolveWith(c, AutoFormatSelector, TOKENS.FormatSelectorOptions, options),
  });
  registry.add({
    name: 'source',
    description: "keeps the source's format (PNG frames stay PNG, a JPEG stays JPEG at its quality); auto for videos or when the output cannot write it",
    priority: 90,
    origin: ORIGIN,
    options: AUTO_OPTION_SCHEMA,
    create: (c, options) => resolveWith(c, SourceFormatSelector, TOKENS.FormatSelectorOptions, options),
  });
  for (const format of IMAGE_FORMATS) {
    registry.add({
      name: format,
      description: FIXED_DESCRIPTIONS[format],
      // PNG is the safe fallback when auto is not wanted; the others are explicit picks.
      priority: format === 'png' ? 50 : 10,
      origin: ORIGIN,
      options: FORMAT_OPTION_SCHEMAS[format],
      create: (c, options) => new FixedFormatSelector(format, parseFormatOptions(format, options), loggerOf(c)),
    });
  }
}

function loggerOf(c: DependencyContainer): Logger {
  return c.isRegistered(TOKENS.Logger, true) ? c.resolve(TOKENS.Logger) : silentLogger;
}
