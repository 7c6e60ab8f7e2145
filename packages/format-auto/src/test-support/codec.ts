import type { FormatChoice, Image } from '@upframe/core';
import sharp from 'sharp';

/** Encode `image` the way a sink would: sharp, the chosen format, the chosen options verbatim. */
export async function encode(image: Image, choice: Pick<FormatChoice, 'format' | 'options'>): Promise<Buffer> {
  const pipeline = sharp(image.data, { raw: { width: image.width, height: image.height, channels: image.channels as 1 | 2 | 3 | 4 } });
  return pipeline.toFormat(choice.format, choice.options).toBuffer();
}

/**
 * Decode to interleaved 8-bit pixels with `channels` channels. An encoder may store a fully
 * opaque alpha channel as no alpha (WebP does); ensureAlpha puts the 255s back so the bytes compare.
 */
export async function decode(buffer: Buffer, channels: number): Promise<{ data: Buffer; width: number; height: number; channels: number }> {
  let pipeline = sharp(buffer);
  if (channels === 4) pipeline = pipeline.ensureAlpha();
  const { data, info } = await pipeline.raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: info.channels };
}

/** The alpha plane of interleaved RGBA pixels. */
export function alphaPlane(data: Uint8Array): Uint8Array {
  const out = new Uint8Array(data.length / 4);
  for (let i = 0; i < out.length; i++) out[i] = data[i * 4 + 3];
  return out;
}

/** Number of bytes that differ; 0 means bit-exact. */
export function differingBytes(a: Uint8Array, b: Uint8Array): number {
  if (a.length !== b.length) return Math.max(a.length, b.length);
  let n = 0;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) n++;
  return n;
}
