// Real images for tests: PNG files through sharp, as the backend's RGB `Image`s.
import type { Image } from '@upframe/core';
import sharp from 'sharp';

export async function readRgb(file: string, crop?: { left: number; top: number; width: number; height: number }): Promise<Image> {
  let pipeline = sharp(file).removeAlpha();
  if (crop) pipeline = pipeline.extract(crop);
  const { data, info } = await pipeline.raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, channels: 3, data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) };
}

export async function resize(image: Image, width: number, height: number, kernel: 'cubic' | 'nearest' = 'cubic'): Promise<Image> {
  const data = await sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } })
    .resize(width, height, { kernel, fit: 'fill' })
    .raw()
    .toBuffer();
  return { width, height, channels: 3, data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) };
}

/** Peak signal-to-noise ratio of two same-size 8-bit images, in dB. */
export function psnr(a: Image, b: Image): number {
  if (a.width !== b.width || a.height !== b.height) throw new Error(`size ${a.width}x${a.height} vs ${b.width}x${b.height}`);
  let sum = 0;
  for (let i = 0; i < a.width * a.height * 3; i++) sum += (a.data[i]! - b.data[i]!) ** 2;
  const mse = sum / (a.width * a.height * 3);
  return mse === 0 ? Infinity : 10 * Math.log10((255 * 255) / mse);
}

/** HWC uint8 → HWC float in `range` (what tfjs models are fed). */
export function toFloatHwc(image: Image, range: readonly [number, number]): Float32Array {
  return Float32Array.from(image.data.subarray(0, image.width * image.height * 3), (u) => range[0] + (u * (range[1] - range[0])) / 255);
}
