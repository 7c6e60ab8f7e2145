import type { SourceInfo } from './contracts/frame-source.js';
import { UpframeError } from './errors.js';

/**
 * The largest input frame read without `--max-pixels`: 40 Mpx holds 8K UHD (33 Mpx) and
 * 36-Mpx camera photos. A frame takes several float copies on its way through a model (tiles,
 * alpha, the upscaled result), so a 16000×16000 "image bomb" (a 31 KB PNG) grew past 5 GB within
 * seconds on a 24 GiB machine with hours of work ahead; 40 Mpx keeps a worst-case run well inside it.
 */
export const DEFAULT_MAX_PIXELS = 40_000_000;

/** Outputs may be this many times the input limit: an x2 model on the largest allowed input. */
export const OUTPUT_PIXEL_FACTOR = 4;

const fmt = (n: number) => (n >= 1e6 ? `${(n / 1e6).toFixed(1)} Mpx` : `${n} px`);

/** Refuse, from the header alone, an input frame over `maxPixels` (before anything is decoded). */
export function checkInputPixels(info: SourceInfo, maxPixels = DEFAULT_MAX_PIXELS): void {
  const pixels = info.width * info.height;
  if (pixels <= maxPixels) return;
  throw new UpframeError('LIMIT_EXCEEDED', `${info.path}: frames are ${info.width}×${info.height} (${fmt(pixels)}), over the ${fmt(maxPixels)} limit for inputs`, {
    file: info.path,
    hint: `If this size is what you meant, raise the limit: --max-pixels ${Math.ceil(pixels / 1e6)}M (memory grows with it). A tiny file that declares a huge size is an "image bomb".`,
  });
}

/** Refuse an upscaled frame over `OUTPUT_PIXEL_FACTOR × maxPixels`, before the model runs. */
export function checkOutputPixels(info: SourceInfo, scale: number, maxPixels = DEFAULT_MAX_PIXELS): void {
  const pixels = info.width * scale * info.height * scale;
  const limit = maxPixels * OUTPUT_PIXEL_FACTOR;
  if (pixels <= limit) return;
  throw new UpframeError('LIMIT_EXCEEDED', `${info.path}: the x${scale} output would be ${info.width * scale}×${info.height * scale} (${fmt(pixels)}), over the ${fmt(limit)} limit for outputs (${OUTPUT_PIXEL_FACTOR} × --max-pixels)`, {
    file: info.path,
    hint: `Use a model with a smaller scale, or raise the limit: --max-pixels ${Math.ceil(pixels / OUTPUT_PIXEL_FACTOR / 1e6)}M.`,
  });
}
