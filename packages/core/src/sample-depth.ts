import type { Image, SampleDepth } from './frame.js';

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Bits per sample of an image (`depth`, 8 when absent). */
export function depthOf(image: Pick<Image, 'depth'>): SampleDepth {
  return image.depth === 16 ? 16 : 8;
}

/** Bytes per sample of an image: 2 at 16 bits, else 1. */
export function sampleBytes(image: Pick<Image, 'depth'>): 1 | 2 {
  return image.depth === 16 ? 2 : 1;
}

/**
 * The 16-bit samples of little-endian pixel bytes: a view when the bytes are aligned on a
 * little-endian host (no copy), else a copy. Writes to a view land in `data`.
 */
export function samples16(data: Uint8Array): Uint16Array {
  if (LITTLE_ENDIAN && data.byteOffset % 2 === 0) return new Uint16Array(data.buffer, data.byteOffset, data.byteLength >> 1);
  const out = new Uint16Array(data.byteLength >> 1);
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  for (let i = 0; i < out.length; i++) out[i] = view.getUint16(i * 2, true);
  return out;
}

/** Little-endian bytes of 16-bit samples: a view on a little-endian host, else a copy. */
export function bytesOf16(samples: Uint16Array): Uint8Array {
  if (LITTLE_ENDIAN) return new Uint8Array(samples.buffer, samples.byteOffset, samples.byteLength);
  const out = new Uint8Array(samples.byteLength);
  const view = new DataView(out.buffer);
  for (let i = 0; i < samples.length; i++) view.setUint16(i * 2, samples[i], true);
  return out;
}

/** A 16-bit image rounded to 8 bits (v / 257, nearest); an 8-bit image is returned as is. */
export function toDepth8(image: Image): Image {
  if (depthOf(image) === 8) return image;
  const src = samples16(image.data);
  const out = new Uint8Array(src.length);
  for (let i = 0; i < src.length; i++) out[i] = ((src[i] + 128) / 257) | 0;
  return { width: image.width, height: image.height, channels: image.channels, data: out };
}

/** An 8-bit image widened to 16 bits exactly (v × 257, so 255 → 65535); a 16-bit image is returned as is. */
export function toDepth16(image: Image): Image {
  if (depthOf(image) === 16) return image;
  const src = image.data;
  const out = new Uint16Array(src.length);
  for (let i = 0; i < src.length; i++) out[i] = src[i] * 257;
  return { width: image.width, height: image.height, channels: image.channels, depth: 16, data: bytesOf16(out) };
}

/** The image at the given depth (converted only when it differs). */
export function toDepth(image: Image, depth: SampleDepth): Image {
  return depth === 16 ? toDepth16(image) : toDepth8(image);
}
