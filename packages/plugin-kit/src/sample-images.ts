import { bytesOf16, channelsOf, type Frame, type Image, type PixelLayout } from '@upframe/core/plugin';

// Synthetic test content. Everything is derived from a seed, so a failing check fails the same
// way on every machine and every run.

export interface Size {
  readonly width: number;
  readonly height: number;
}

/** mulberry32: small, fast, and good enough to make every seed's picture distinct. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A smooth gradient plus noise, different for every seed. Gradients keep real super-resolution
 * models in their normal range; the noise makes two seeds easy to tell apart after upscaling.
 */
export function sampleImage(size: Size, seed: number, channels = 3): Image {
  const rand = prng(seed * 7919 + 17);
  const data = new Uint8Array(size.width * size.height * channels);
  const phase = (seed * 53) % 256;
  for (let y = 0; y < size.height; y++) {
    for (let x = 0; x < size.width; x++) {
      const p = (y * size.width + x) * channels;
      for (let c = 0; c < channels; c++) {
        const base = (phase + (x * 255) / size.width + (c * 85 + (y * 255) / size.height) * (c + 1)) % 256;
        data[p + c] = c === 3 ? 255 : Math.min(255, Math.round(base * 0.7 + rand() * 76));
      }
    }
  }
  return { width: size.width, height: size.height, channels, data };
}

/** A 16-bit RGB gradient whose samples sit between 8-bit levels (none is a multiple of 257). */
export function deepImage(size: Size): Image {
  const samples = new Uint16Array(size.width * size.height * 3);
  for (let i = 0; i < samples.length; i++) {
    const v = 20000 + ((i * 97) % 20000);
    samples[i] = v % 257 === 0 ? v + 1 : v;
  }
  return { width: size.width, height: size.height, channels: 3, depth: 16, data: bytesOf16(samples) };
}

/** One colour everywhere: what a model must map to (nearly) the same colour. */
export function flatImage(size: Size, rgb: readonly [number, number, number]): Image {
  const data = new Uint8Array(size.width * size.height * 3);
  for (let i = 0; i < data.length; i++) data[i] = rgb[i % 3]!;
  return { width: size.width, height: size.height, channels: 3, data };
}

export function sampleFrame(index: number, size: Size, layout: PixelLayout, seed: number): Frame {
  const image = sampleImage(size, seed, channelsOf(layout));
  return { index, pts: index, timeBase: { num: 1, den: 25 }, width: size.width, height: size.height, layout, data: image.data };
}

export function copyImage(image: Image): Image {
  return { ...image, data: Uint8Array.from(image.data) };
}

export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.from(a.buffer, a.byteOffset, a.length).equals(Buffer.from(b.buffer, b.byteOffset, b.length));
}

/** Largest difference of any byte; Infinity when the lengths differ. */
export function maxAbsDiff(a: Uint8Array, b: Uint8Array): number {
  if (a.length !== b.length) return Infinity;
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  return max;
}

/** Mean difference per byte; Infinity when the lengths differ. */
export function meanAbsDiff(a: Uint8Array, b: Uint8Array): number {
  if (a.length !== b.length || a.length === 0) return Infinity;
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i]! - b[i]!);
  return sum / a.length;
}

/** Mean of each of the first three channels of an interleaved image. */
export function channelMeans(image: Image): [number, number, number] {
  const sums = [0, 0, 0];
  const pixels = image.width * image.height;
  for (let p = 0; p < pixels; p++) for (let c = 0; c < 3; c++) sums[c]! += image.data[p * image.channels + c]!;
  return sums.map((s) => Math.round(s / Math.max(1, pixels))) as [number, number, number];
}

/** True for any Uint8Array, Buffer included, from any realm; false for clamped or float arrays. */
export function isUint8Array(value: unknown): value is Uint8Array {
  return Object.prototype.toString.call(value) === '[object Uint8Array]';
}

export const sizeLabel = (s: Size) => `${s.width}×${s.height}`;
