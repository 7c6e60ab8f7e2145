import { IMAGE_FORMATS, UpframeError, type ImageFormat, type OptionSchema, type OptionSpec } from '@upframe/core';
import { DEFAULT_LOSSY_QUALITY, TIFF_COMPRESSIONS, TIFF_PREDICTORS, type TiffCompression, type TiffPredictor } from './encoder-settings.js';
import { checkKeys, readBoolean, readChoice, readInteger } from './option-values.js';

/** Options of the `auto` selector. */
export const AUTO_OPTION_KEYS = ['lossy', 'quality', 'perFrame', 'reviewFrames'] as const;

export interface AutoOptions {
  /** Lossy formats may be chosen (also implied by `quality`). Default false: lossless only. */
  readonly lossy: boolean;
  /** Quality for a lossy choice, 1–100. */
  readonly quality: number;
  /** Decide every frame on its own instead of once per sequence. Default false. */
  readonly perFrame: boolean;
  /** Frames after the decision that are analysed anyway, to report whether they agree. Default 8. */
  readonly reviewFrames: number;
}

/** Options each fixed selector accepts: only settings that map onto sharp and stay honest about loss. */
export const FORMAT_OPTION_KEYS = {
  png: ['compressionLevel', 'adaptiveFiltering'],
  webp: ['lossy', 'quality', 'effort'],
  jpeg: ['quality'],
  tiff: ['compression', 'predictor'],
  avif: ['lossy', 'quality', 'effort'],
} as const satisfies Record<ImageFormat, readonly string[]>;

const LOSSY: OptionSpec = { type: 'boolean', default: false, description: 'allow a lossy encoding (implied by quality)' };
const QUALITY: OptionSpec = { type: 'integer', min: 1, max: 100, description: `quality of a lossy encoding; setting it allows loss (default ${DEFAULT_LOSSY_QUALITY} once lossy)` };
const effort = (max: number): OptionSpec => ({ type: 'integer', min: 0, max, description: 'encoder effort: higher is smaller and slower' });

/** What `auto` reads; the bounds here are the ones `parseAutoOptions` enforces. */
export const AUTO_OPTION_SCHEMA = {
  lossy: LOSSY,
  quality: QUALITY,
  perFrame: { type: 'boolean', default: false, description: 'decide every frame on its own instead of once per sequence' },
  reviewFrames: { type: 'integer', min: 0, max: 10_000, default: 8, description: 'frames after the decision analysed anyway, to report whether they agree' },
} satisfies Record<(typeof AUTO_OPTION_KEYS)[number], OptionSpec>;

/** What each fixed selector reads; the bounds here are the ones `parseFormatOptions` enforces. */
export const FORMAT_OPTION_SCHEMAS = {
  png: {
    compressionLevel: { type: 'integer', min: 0, max: 9, default: 6, description: 'zlib level' },
    adaptiveFiltering: { type: 'boolean', default: false, description: 'per-row PNG filters (smaller photographic frames)' },
  },
  webp: { lossy: LOSSY, quality: QUALITY, effort: effort(6) },
  jpeg: { quality: QUALITY },
  tiff: {
    compression: { type: 'enum', values: TIFF_COMPRESSIONS, default: 'deflate', description: 'lossless compression' },
    predictor: { type: 'enum', values: TIFF_PREDICTORS, default: 'horizontal', description: 'horizontal helps photographic content, hurts flat' },
  },
  avif: { lossy: LOSSY, quality: QUALITY, effort: effort(9) },
} satisfies { [F in ImageFormat]: Record<(typeof FORMAT_OPTION_KEYS)[F][number], OptionSpec> & OptionSchema };

/** Bounds of an integer option as its schema declares them. */
function intBounds(spec: OptionSpec): [number, number] {
  return [spec.min ?? Number.MIN_SAFE_INTEGER, spec.max ?? Number.MAX_SAFE_INTEGER];
}

export interface FormatOptions {
  readonly lossy?: boolean;
  readonly quality?: number;
  readonly effort?: number;
  readonly compressionLevel?: number;
  readonly adaptiveFiltering?: boolean;
  readonly compression?: TiffCompression;
  readonly predictor?: TiffPredictor;
}

const LOSSY_HINT = 'Lossless output is the default; allow loss explicitly with --lossy (--format-opt lossy=true) or --quality 90 (--format-opt quality=90).';

/** Validate a format name, listing the allowed ones when it is not one. */
export function parseImageFormat(name: unknown): ImageFormat {
  if (typeof name === 'string' && (IMAGE_FORMATS as readonly string[]).includes(name)) return name as ImageFormat;
  throw new UpframeError('USAGE', `unknown image format ${JSON.stringify(name)}; allowed: ${IMAGE_FORMATS.join(', ')}`);
}

export function parseAutoOptions(raw: Readonly<Record<string, unknown>> = {}): AutoOptions {
  const owner = 'auto';
  checkKeys(owner, raw, AUTO_OPTION_KEYS, LOSSY_HINT);
  const { lossy, quality } = readLossy(owner, raw);
  return {
    lossy: lossy ?? false,
    quality: quality ?? DEFAULT_LOSSY_QUALITY,
    perFrame: readBoolean(owner, 'perFrame', raw.perFrame) ?? false,
    reviewFrames: readInteger(owner, 'reviewFrames', raw.reviewFrames, ...intBounds(AUTO_OPTION_SCHEMA.reviewFrames)) ?? 8,
  };
}

/** Validate the options of the fixed selector for `format`. */
export function parseFormatOptions(format: ImageFormat, raw: Readonly<Record<string, unknown>> = {}): FormatOptions {
  const owner = format;
  const hint = format === 'webp' ? `nearLossless is not offered: it is lossy. ${LOSSY_HINT}` : undefined;
  checkKeys(owner, raw, FORMAT_OPTION_KEYS[format], hint);
  const options: FormatOptions = {
    ...readLossy(owner, raw),
    effort: readInteger(owner, 'effort', raw.effort, ...intBounds(format === 'avif' ? FORMAT_OPTION_SCHEMAS.avif.effort : FORMAT_OPTION_SCHEMAS.webp.effort)),
    compressionLevel: readInteger(owner, 'compressionLevel', raw.compressionLevel, ...intBounds(FORMAT_OPTION_SCHEMAS.png.compressionLevel)),
    adaptiveFiltering: readBoolean(owner, 'adaptiveFiltering', raw.adaptiveFiltering),
    compression: readChoice(owner, 'compression', raw.compression, TIFF_COMPRESSIONS),
    predictor: readChoice(owner, 'predictor', raw.predictor, TIFF_PREDICTORS),
  };
  return Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as FormatOptions;
}

// `quality` alone means "lossy at this quality"; contradicting `lossy: false` is an error, not a guess.
function readLossy(owner: string, raw: Readonly<Record<string, unknown>>): { lossy?: boolean; quality?: number } {
  const quality = readInteger(owner, 'quality', raw.quality, ...intBounds(QUALITY));
  const lossy = readBoolean(owner, 'lossy', raw.lossy);
  if (lossy === false && quality !== undefined) {
    throw new UpframeError('USAGE', `format selector ${owner}: "quality" ${quality} asks for lossy output but "lossy" is false; drop one of them`, { plugin: owner });
  }
  return { lossy: lossy ?? (quality !== undefined ? true : undefined), quality };
}
