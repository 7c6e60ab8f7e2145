import { bytesOf16, samples16, UpframeError, type Image, type SampleDepth } from '@upframe/core';
import type { ValueRange } from '@upframe/models';

/** Byte value → model input value, for all 256 bytes. */
export function inputTable(range: ValueRange): Float32Array {
  const table = new Float32Array(256);
  for (let u = 0; u < 256; u++) table[u] = range[0] + (u * (range[1] - range[0])) / 255;
  return table;
}

/** Checks a batch the backend contract allows: 1..maxBatch RGB images of one size. */
export function checkBatch(images: readonly Image[], maxBatch: number, backend = 'tfjs'): { width: number; height: number } {
  if (images.length === 0 || images.length > maxBatch) {
    throw new UpframeError('INTERNAL', `${backend} backend got a batch of ${images.length} images; it takes 1..${maxBatch}`);
  }
  const { width, height } = images[0]!;
  images.forEach((im, i) => {
    if (im.channels !== 3) throw new UpframeError('MODEL_INPUT_MISMATCH', `${backend} backend: image ${i} of the batch has ${im.channels} channels; models take RGB (3)`);
    if (im.width !== width || im.height !== height) {
      throw new UpframeError('INTERNAL', `${backend} backend: image ${i} of the batch is ${im.width}×${im.height}, the first is ${width}×${height}; a batch is one size`);
    }
    if ((im.depth ?? 8) !== (images[0]!.depth ?? 8)) throw new UpframeError('INTERNAL', `${backend} backend: image ${i} of the batch is ${im.depth ?? 8}-bit, the first is ${images[0]!.depth ?? 8}-bit; a batch is one depth`);
    const bytes = width * height * 3 * (im.depth === 16 ? 2 : 1);
    if (im.data.length < bytes) throw new UpframeError('INTERNAL', `${backend} backend: image ${i} holds ${im.data.length} bytes, fewer than ${width}×${height}×3${im.depth === 16 ? '×2 (16-bit)' : ''}`);
  });
  return { width, height };
}

/**
 * Interleaved RGB samples of every image, mapped through `table` (8-bit), in one NHWC buffer.
 * 16-bit images map 0..65535 linearly onto the same range (`table[0]`..`table[255]`), so levels
 * between 8-bit steps reach the model.
 */
export function packBatch(images: readonly Image[], table: Float32Array): Float32Array {
  const size = images[0]!.width * images[0]!.height * 3;
  const out = new Float32Array(images.length * size);
  const lo = table[0]!;
  const k = (table[255]! - lo) / 65535;
  images.forEach((im, b) => {
    const base = b * size;
    if (im.depth === 16) {
      const src = samples16(im.data);
      for (let p = 0; p < size; p++) out[base + p] = lo + src[p]! * k;
      return;
    }
    const src = im.data;
    for (let p = 0; p < size; p++) out[base + p] = table[src[p]!]!;
  });
  return out;
}

/** Model output values → the 0..255 scale, unrounded and unclamped (for parity checks). */
export function toByteScale(raw: Float32Array, range: ValueRange): Float32Array {
  const k = 255 / (range[1] - range[0]);
  const out = new Float32Array(raw.length);
  for (let i = 0; i < raw.length; i++) out[i] = (raw[i]! - range[0]) * k;
  return out;
}

/** Rounds half up and clamps to 0..255; NaN becomes 0. */
export function toByte(v: number): number {
  return v < 0 ? 0 : v > 255 ? 255 : (v + 0.5) | 0;
}

/** Splits an NHWC output buffer into `count` RGB images at `depth`, rounded half up and clamped to 0..255 (or 0..65535 at 16 bits). */
export function unpackBatch(raw: Float32Array, count: number, width: number, height: number, range: ValueRange, depth: SampleDepth = 8): Image[] {
  const size = width * height * 3;
  const offset = range[0];
  const max = depth === 16 ? 65535 : 255;
  const k = max / (range[1] - range[0]);
  const images: Image[] = [];
  for (let b = 0; b < count; b++) {
    const base = b * size;
    if (depth === 16) {
      const data = new Uint16Array(size);
      for (let p = 0; p < size; p++) {
        const v = (raw[base + p]! - offset) * k;
        data[p] = v < 0 ? 0 : v > 65535 ? 65535 : (v + 0.5) | 0;
      }
      images.push({ width, height, channels: 3, depth: 16, data: bytesOf16(data) });
      continue;
    }
    const data = new Uint8Array(size);
    for (let p = 0; p < size; p++) data[p] = toByte((raw[base + p]! - offset) * k);
    images.push({ width, height, channels: 3, data });
  }
  return images;
}
