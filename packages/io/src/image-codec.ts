import { loadSharp } from './sharp-module.js';
import { channelsOf, sampleDepthOf, samples16, toDepth8, UpframeError, type FormatChoice, type Image, type ImageFormat, type PixelLayout } from '@upframe/core';
import { explainWriteError } from './write-errors.js';

/** A decoded image: interleaved RGB, or RGBA when the file has alpha; 16-bit little-endian samples for `rgb48`/`rgba64`. */
export interface DecodedImage {
  readonly width: number;
  readonly height: number;
  readonly layout: PixelLayout;
  readonly data: Buffer;
}

/** Header facts, read without decoding pixels; width/height already account for EXIF orientation. */
export interface ImageHeader {
  readonly width: number;
  readonly height: number;
  readonly hasAlpha: boolean;
  readonly format: string;
  readonly bitDepth: number;
}

const BIT_DEPTH: Readonly<Record<string, number>> = { uchar: 8, char: 8, ushort: 16, short: 16, uint: 32, int: 32, float: 32, double: 64 };

export async function readImageHeader(file: string): Promise<ImageHeader> {
  try {
    const meta = await loadSharp()(file).metadata();
    return {
      width: meta.autoOrient?.width ?? meta.width,
      height: meta.autoOrient?.height ?? meta.height,
      hasAlpha: meta.hasAlpha ?? false,
      format: meta.format,
      bitDepth: BIT_DEPTH[meta.depth] ?? 8,
    };
  } catch (error) {
    throw new UpframeError('INPUT_INVALID', `${file} is not an image sharp can read: ${(error as Error).message}`, { file, cause: error });
  }
}

/**
 * Decode to sRGB(A), upright per EXIF; `layout` forces RGB or RGBA and the depth (a sequence uses one
 * layout throughout): 16-bit layouts decode through sharp's `rgb16` so no level is rounded to 8 bits.
 */
export async function decodeImage(file: string, layout?: PixelLayout): Promise<DecodedImage> {
  try {
    const meta = layout ? undefined : await loadSharp()(file).metadata();
    const wanted: PixelLayout = layout ?? (meta?.hasAlpha ? 'rgba' : 'rgb24');
    const deep = sampleDepthOf(wanted) === 16;
    let pipeline = loadSharp()(file, { autoOrient: true, failOn: 'error' }).toColourspace(deep ? 'rgb16' : 'srgb');
    pipeline = channelsOf(wanted) === 4 ? pipeline.ensureAlpha() : pipeline.removeAlpha();
    const { data, info } = await pipeline.raw({ depth: deep ? 'ushort' : 'uchar' }).toBuffer({ resolveWithObject: true });
    return { width: info.width, height: info.height, layout: wanted, data };
  } catch (error) {
    throw new UpframeError('INPUT_INVALID', `cannot decode image ${file}: ${(error as Error).message}`, { file, cause: error });
  }
}

export interface EncodeOptions {
  /** Flatten alpha onto this colour when the format has no alpha (JPEG); without it, RGBA into JPEG is refused. */
  readonly flattenAlpha?: string;
  /** The path to name in write errors when `file` is a temporary (the final output's path). */
  readonly reportAs?: string;
}

/** Image formats this package writes with 16 bits per sample (sharp's prebuilt AVIF, WebP and JPEG store 8). */
export const DEEP_IMAGE_FORMATS: readonly ImageFormat[] = ['png', 'tiff'];

export function formatKeeps16Bits(format: ImageFormat): boolean {
  return DEEP_IMAGE_FORMATS.includes(format);
}

/** Encoder settings: the choice's own options over defaults that honour `lossless`. */
function encoderOptions(choice: FormatChoice): Record<string, unknown> {
  const defaults: Record<ImageFormat, Record<string, unknown>> = {
    png: {},
    jpeg: {},
    webp: choice.lossless ? { lossless: true } : {},
    avif: choice.lossless ? { lossless: true } : {},
    // sharp's TIFF default is JPEG compression: lossy, and unable to hold alpha.
    tiff: { compression: 'lzw' },
  };
  return { ...defaults[choice.format], ...choice.options };
}

/**
 * Write `image` to `file` as `choice` says. RGBA into JPEG is refused unless `flattenAlpha` names a
 * background: transparency must never disappear without the user asking for it.
 */
export async function encodeImage(image: Image, choice: FormatChoice, file: string, options: EncodeOptions = {}): Promise<string | undefined> {
  const channels = image.channels as 1 | 2 | 3 | 4;
  // sharp takes the sample depth from the array type; formats that store 8 bits get the rounded image.
  const deep = image.depth === 16 && formatKeeps16Bits(choice.format);
  const pixels = deep ? samples16(image.data) : toDepth8(image).data;
  let pipeline = loadSharp()(deep ? pixels : Buffer.from(pixels.buffer, pixels.byteOffset, pixels.byteLength), { raw: { width: image.width, height: image.height, channels } });
  if (deep) pipeline = pipeline.toColourspace('rgb16');
  let note: string | undefined;
  if (channels === 4 && choice.format === 'jpeg') {
    if (!options.flattenAlpha) {
      throw new UpframeError('USAGE', `cannot write ${file}: the image has transparency and JPEG cannot store it`, {
        file,
        hint: 'Write .png, .webp, .tiff or .avif to keep it, or pass --alpha drop to flatten it onto --background (default #ffffff).',
      });
    }
    pipeline = pipeline.flatten({ background: options.flattenAlpha });
    note = `alpha flattened onto ${options.flattenAlpha} for JPEG`;
  }
  try {
    await pipeline.toFormat(choice.format, encoderOptions(choice)).toFile(file);
  } catch (error) {
    // sharp's own words for a full disk or read-only mount do not say so; explainWriteError does.
    throw await explainWriteError(error, options.reportAs ?? file);
  }
  return note;
}
