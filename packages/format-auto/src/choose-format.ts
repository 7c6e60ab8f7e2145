import { UpframeError, type FormatChoice, type FormatContext, type ImageFormat } from '@upframe/core';
import { classify, describeContent, type ContentClass } from './content-class.js';
import {
  LOSSLESS_FORMATS,
  WEBP_MAX_DIMENSION,
  describeSettings,
  losslessSettings,
  lossySettings,
  type LosslessFormat,
  type LossyFormat,
} from './encoder-settings.js';
import type { FrameAnalysis } from './frame-analysis.js';

export interface ChoicePolicy {
  readonly lossy: boolean;
  readonly quality: number;
  /**
   * The choice must also hold for frames not analysed yet (sequence mode): then an alpha
   * *channel* rules out JPEG even while every alpha value seen so far is 255.
   */
  readonly forUnseenFrames: boolean;
}

/** The format and settings for content like `analysis`, among the formats the output supports. */
export function chooseFormat(analysis: FrameAnalysis, context: FormatContext, policy: ChoicePolicy): FormatChoice {
  const cls = classify(analysis);
  const keepAlpha = policy.forUnseenFrames ? analysis.alphaChannel : analysis.alphaUsed;
  const supported = new Set<ImageFormat>(context.supported);
  const webpLimit = whyWebpCannot(analysis, supported);

  if (policy.lossy) {
    const order: LossyFormat[] = keepAlpha ? ['webp', 'avif'] : lossyOrder(cls, context.sourceBitDepth);
    const format = order.find((f) => supported.has(f) && (f !== 'webp' || webpLimit === undefined));
    if (format) {
      const options = lossySettings(format, policy.quality);
      const why = lossyReason(format, cls, keepAlpha, context.sourceBitDepth);
      return { format, lossless: false, options, reason: `${describeContent(analysis, cls)}; lossy allowed (quality ${policy.quality}): ${format} (${describeSettings(options)}) ${why}` };
    }
  }

  // sharp does not expose libwebp's `exact` flag, so WebP zeroes the colour of fully transparent
  // pixels: invisible, but no longer bit-exact.
  // A deep source goes to a 16-bit format when the output offers one; an output that only writes WebP still gets WebP (the sink warns).
  const deep = context.sourceBitDepth !== undefined && context.sourceBitDepth > 8 && (supported.has('png') || supported.has('tiff'));
  const webpBlocker =
    webpLimit ??
    (deep ? `WebP stores 8 bits per sample and the source is ${context.sourceBitDepth}-bit` : undefined) ??
    (analysis.hiddenColour ? 'fully transparent pixels carry colour that WebP (through sharp) does not keep' : undefined);
  const format = LOSSLESS_FORMATS.find((f) => supported.has(f) && (f !== 'webp' || webpBlocker === undefined));
  if (!format) {
    const same = sameLossyFormat(analysis, context, keepAlpha, policy.lossy);
    if (same) return same;
    throw noLosslessFormat(context, keepAlpha, policy.lossy);
  }
  const options = losslessSettings(format, cls);
  const because = format === 'webp' ? 'the smallest lossless format on every measured content class' : `lossless; not WebP because ${webpBlocker}`;
  return {
    format,
    lossless: true,
    options,
    reason: `${describeContent(analysis, cls)}${alphaNote(analysis)}: ${format} (${describeSettings(options)}), ${because}${depthNote(context.sourceBitDepth, format)}`,
  };
}

/**
 * A lossy source written back to its own lossy format (JPEG → JPEG) at the quality it was encoded
 * at: the output then loses about what the source already lost, so it needs no `lossy` consent.
 */
function sameLossyFormat(analysis: FrameAnalysis, context: FormatContext, keepAlpha: boolean, lossyAllowed: boolean): FormatChoice | undefined {
  const source = context.sourceFormat;
  if (lossyAllowed || keepAlpha || source !== 'jpeg' || !context.supported.includes(source)) return undefined;
  const quality = context.sourceQuality ?? SAME_FORMAT_QUALITY;
  const options = lossySettings(source, quality);
  const from = context.sourceQuality !== undefined ? `the source's estimated quality ${quality}` : `quality ${quality} (the source's could not be estimated)`;
  return {
    format: source,
    lossless: false,
    options,
    reason: `${describeContent(analysis, classify(analysis))}: the source is ${source} and the output can only write ${source}, so ${source} at ${from} (${describeSettings(options)}); --quality N sets another`,
  };
}

/** Quality for JPEG → JPEG when the source's own cannot be read: high enough to add little loss. */
export const SAME_FORMAT_QUALITY = 90;

function whyWebpCannot(analysis: FrameAnalysis, supported: ReadonlySet<ImageFormat>): string | undefined {
  if (!supported.has('webp')) return 'the output cannot write WebP';
  if (analysis.channels !== 3 && analysis.channels !== 4) return `WebP has no ${analysis.channels}-channel layout`;
  if (Math.max(analysis.width, analysis.height) > WEBP_MAX_DIMENSION) return `the frame is larger than WebP's ${WEBP_MAX_DIMENSION} px limit`;
  return undefined;
}

function lossyOrder(cls: ContentClass, sourceBitDepth: number | undefined): LossyFormat[] {
  // AVIF is last: about 200× PNG's encode time here (see encoder-settings.ts).
  if (cls === 'flat' && !(sourceBitDepth !== undefined && sourceBitDepth > 8)) return ['webp', 'jpeg', 'avif'];
  return ['jpeg', 'webp', 'avif'];
}

function lossyReason(format: LossyFormat, cls: ContentClass, keepAlpha: boolean, bits: number | undefined): string {
  if (keepAlpha) return format === 'webp' ? 'keeps the alpha channel losslessly (JPEG cannot store alpha)' : 'keeps the alpha channel (JPEG cannot store alpha)';
  if (bits !== undefined && bits > 8 && format === 'jpeg') return `keeps the gradients of a ${bits}-bit source closer than lossy WebP`;
  if (format === 'webp') return 'is the smaller lossy format on flat content';
  if (format === 'jpeg') return cls === 'noisy' ? 'is the smaller lossy format on noise' : 'holds detail better than lossy WebP at the same quality';
  return 'is the only lossy format this output supports';
}

function alphaNote(analysis: FrameAnalysis): string {
  if (!analysis.alphaChannel) return '';
  return analysis.alphaUsed ? ', alpha in use' : ', alpha channel present but fully opaque';
}

/** PNG and TIFF are written with 16-bit samples for a deep source; the other formats store 8 bits. */
function depthNote(bits: number | undefined, format: ImageFormat): string {
  if (bits === undefined || bits <= 8) return '';
  return format === 'png' || format === 'tiff' ? `; 16-bit ${format} keeps the source's ${bits}-bit depth` : `; ${format} stores 8 bits, so the ${bits}-bit source is rounded`;
}

function noLosslessFormat(context: FormatContext, keepAlpha: boolean, lossy: boolean): UpframeError {
  const offered = context.supported.length ? context.supported.join(', ') : '(none)';
  const wanted: readonly LosslessFormat[] = LOSSLESS_FORMATS;
  const problem = lossy && keepAlpha ? 'none of them keeps the alpha channel' : 'none of them is lossless';
  return new UpframeError('USAGE', `format selector auto: the output can write ${offered}, and ${problem}`, {
    plugin: 'auto',
    hint: lossy
      ? `Write to an output that supports one of: ${wanted.join(', ')}.`
      : `Write to an output that supports one of: ${wanted.join(', ')}, or allow lossy output with --lossy (--format-opt lossy=true) or --quality 90.`,
  });
}
