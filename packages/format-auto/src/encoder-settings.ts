import type { ImageFormat } from '@upframe/core';
import type { ContentClass } from './content-class.js';

/** Formats `auto` may write without loss, in the order it prefers them (smallest first, as measured). */
export const LOSSLESS_FORMATS = ['webp', 'png', 'tiff', 'avif'] as const satisfies readonly ImageFormat[];
export type LosslessFormat = (typeof LOSSLESS_FORMATS)[number];

/** Formats that can be asked for lossy output. */
export const LOSSY_FORMATS = ['webp', 'jpeg', 'avif'] as const satisfies readonly ImageFormat[];
export type LossyFormat = (typeof LOSSY_FORMATS)[number];

export const TIFF_COMPRESSIONS = ['deflate', 'lzw'] as const;
export type TiffCompression = (typeof TIFF_COMPRESSIONS)[number];
export const TIFF_PREDICTORS = ['horizontal', 'none'] as const;
export type TiffPredictor = (typeof TIFF_PREDICTORS)[number];

/** Quality used when lossy output is allowed (`{ lossy: true }`) without a number. */
export const DEFAULT_LOSSY_QUALITY = 90;
/** libwebp cannot encode a side longer than this. */
export const WEBP_MAX_DIMENSION = 16383;

/** The benchmark's baseline: sharp's `png()` with no options (compressionLevel 6, no filtering). */
export const PNG_BASELINE_OPTIONS = {} as const;

type Settings = Readonly<Record<string, unknown>>;

// Every number below comes from bench/settings-sweep.mjs on the 2-core dev box (sharp 0.34.5:
// libvips 8.17, libwebp 1.6, zlib-ng), 512×288 frames, sizes relative to the PNG baseline:
//
// webp: effort 0 is fast but 230–285% of PNG on flat animation, so a sequence locked on a
//   photographic first frame would blow up if the content turned flat; effort 1 is 31–66% of PNG
//   on every class and effort 2–6 buy under 1% more for 1.2–10× the time. In lossless mode
//   libwebp's `quality` is compression effort, not fidelity: above 25 it searches a longer LZ77
//   window (flat 58% → 48%, 16-bit gradients 50% → 38% of PNG, ~1.3× the time), which noise
//   cannot use (noisy: 65.9% vs 65.8% for 35% more time).
// png: with adaptive filtering at level 6 photographic frames drop to 46% (noisy 69%, gradients
//   58%); on flat frames filtering is useless (96–99%) and level 8 without it gives 79% at 1.6×
//   PNG's time (level 9: 77% at 2.3×). Both settings stay at or under 100% on every class, so a
//   locked PNG setting cannot lose to the baseline when the content changes.
// tiff: deflate beats lzw everywhere (lzw 136% on flat); the horizontal predictor helps
//   photographic content (55% vs 100%) and hurts flat content (110% vs 96%).
// avif: lossless is bit-exact but 112–115% of PNG at ~200× its time: last resort only.
export const LOSSLESS_SETTINGS = {
  webp: {
    flat: { lossless: true, effort: 1, quality: 50 },
    photographic: { lossless: true, effort: 1, quality: 50 },
    noisy: { lossless: true, effort: 1, quality: 1 },
  },
  png: {
    flat: { compressionLevel: 8, adaptiveFiltering: false, palette: false },
    photographic: { compressionLevel: 6, adaptiveFiltering: true, palette: false },
    noisy: { compressionLevel: 6, adaptiveFiltering: true, palette: false },
  },
  tiff: {
    flat: { compression: 'deflate', predictor: 'none' },
    photographic: { compression: 'deflate', predictor: 'horizontal' },
    noisy: { compression: 'deflate', predictor: 'horizontal' },
  },
  avif: {
    flat: { lossless: true, effort: 4 },
    photographic: { lossless: true, effort: 4 },
    noisy: { lossless: true, effort: 4 },
  },
} as const satisfies Record<LosslessFormat, Record<ContentClass, Settings>>;

// Lossy, at quality 90 (bench/settings-sweep.mjs --lossy): on flat animation WebP is 57% of JPEG's
// size at higher PSNR; on noise JPEG is 72% of WebP's size at the same PSNR; on gradients from a
// 16-bit source JPEG's worst error is 3 levels against WebP's 5 (less visible banding).
// `alphaQuality: 100` keeps alpha lossless inside lossy WebP.
export function lossySettings(format: LossyFormat, quality: number): Settings {
  if (format === 'webp') return { quality, alphaQuality: 100, effort: 4 };
  if (format === 'jpeg') return { quality, mozjpeg: true };
  return { quality, effort: 4 };
}

export function losslessSettings(format: LosslessFormat, cls: ContentClass): Settings {
  return LOSSLESS_SETTINGS[format][cls];
}

/** Settings as `key value, …` for reasons and the report. */
export function describeSettings(options: Settings): string {
  return Object.entries(options)
    .map(([k, v]) => `${k} ${String(v)}`)
    .join(', ');
}
