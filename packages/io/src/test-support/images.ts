import sharp from 'sharp';
import type { FormatChoice, FormatSelector, ImageFormat } from '@upframe/core';

/** A smooth colour gradient (compresses well, so lossy formats stay close); alpha ramps when `alpha`. */
export function gradient(width: number, height: number, alpha = false, seed = 0): Buffer {
  const channels = alpha ? 4 : 3;
  const data = Buffer.alloc(width * height * channels);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * channels;
      data[i] = (x * 255) / (width - 1);
      data[i + 1] = (y * 255) / (height - 1);
      data[i + 2] = (seed * 37) % 256;
      if (alpha) data[i + 3] = 64 + ((x + y) * 128) / (width + height - 2);
    }
  return data;
}

export async function writeImage(path: string, width: number, height: number, options: { alpha?: boolean; seed?: number; format?: keyof sharp.FormatEnum } = {}): Promise<Buffer> {
  const data = gradient(width, height, options.alpha, options.seed);
  await sharp(data, { raw: { width, height, channels: options.alpha ? 4 : 3 } }).toFormat(options.format ?? 'png').toFile(path);
  return data;
}

/** A selector that always answers `format`, recording the contexts it was asked in. */
export function fixedSelector(format: ImageFormat, lossless = true): FormatSelector & { calls: { index: number; supported: readonly ImageFormat[] }[] } {
  const calls: { index: number; supported: readonly ImageFormat[] }[] = [];
  return {
    name: `always-${format}`,
    calls,
    select(_image, index, context): FormatChoice {
      calls.push({ index, supported: context.supported });
      return { format, lossless, options: {}, reason: `test selector says ${format}` };
    },
    summary: () => `always ${format}`,
    dispose: async () => {},
  };
}
