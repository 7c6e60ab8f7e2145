import { bytesOf16, samples16, type Image, type SampleDepth, type TensorLayout } from '@upframe/core';
import { float16BitsToFloat32, float32ToFloat16Bits } from './float16.js';

export type TensorDtype = 'float32' | 'float16';
export type TensorData = Float32Array | Uint16Array;

/**
 * Moves pixels between interleaved RGB images (8-bit, or 16-bit little-endian samples) and a
 * model's input/output tensors. 16-bit images map 0..65535 onto the model's range, so levels
 * between 8-bit steps reach the model and come back without rounding to 8 bits.
 */
export interface PixelCodec {
  readonly layout: TensorLayout;
  /** Writes a batch of same-size, same-depth RGB images into `out` (length batch × 3 × h × w). */
  encode(images: readonly Image[], out: TensorData): void;
  /**
   * Reads a batch tensor back into new RGB images at `depth` (default 8), values clamped to the
   * depth's range (0..255 or 0..65535) and rounded half up (`Math.round`).
   */
  decode(data: TensorData, batch: number, height: number, width: number, depth?: SampleDepth): Image[];
}

type Range = readonly [number, number];

/** 0..max → model value, as float32 or as float16 bits: one table entry per possible sample. */
function inputTable(range: Range, dtype: TensorDtype, max: number): TensorData {
  const table = dtype === 'float32' ? new Float32Array(max + 1) : new Uint16Array(max + 1);
  for (let u = 0; u <= max; u++) {
    const v = range[0] + (u * (range[1] - range[0])) / max;
    table[u] = dtype === 'float32' ? v : float32ToFloat16Bits(v);
  }
  return table;
}

/** Model value (already scaled to 0..max) → sample. Math.round semantics (half up); NaN becomes 0. */
function toSample(v: number, max: number): number {
  return v < 0 ? 0 : v > max ? max : (v + 0.5) | 0;
}

/** Every float16 bit pattern → sample, so float16 outputs decode with one lookup per value. */
function float16Table(range: Range, max: number): Uint8Array | Uint16Array {
  const table = max === 255 ? new Uint8Array(65536) : new Uint16Array(65536);
  const k = max / (range[1] - range[0]);
  for (let bits = 0; bits < 65536; bits++) table[bits] = toSample((float16BitsToFloat32(bits) - range[0]) * k, max);
  return table;
}

export function createPixelCodec(layout: TensorLayout, inputDtype: TensorDtype, outputDtype: TensorDtype, inputRange: Range, outputRange: Range): PixelCodec {
  const lut = inputTable(inputRange, inputDtype, 255);
  let lut16: TensorData | undefined;
  const offset = outputRange[0];
  const halves = new Map<number, Uint8Array | Uint16Array>();

  return {
    layout,
    encode(images, out) {
      for (let b = 0; b < images.length; b++) {
        const image = images[b]!;
        const wide = image.depth === 16;
        const src = wide ? samples16(image.data) : image.data;
        const table = wide ? (lut16 ??= inputTable(inputRange, inputDtype, 65535)) : lut;
        const plane = image.width * image.height;
        const base = b * 3 * plane;
        if (layout === 'nhwc') {
          for (let p = 0; p < 3 * plane; p++) out[base + p] = table[src[p]!]!;
          continue;
        }
        for (let i = 0, p = 0; i < plane; i++, p += 3) {
          out[base + i] = table[src[p]!]!;
          out[base + plane + i] = table[src[p + 1]!]!;
          out[base + 2 * plane + i] = table[src[p + 2]!]!;
        }
      }
    },
    decode(data, batch, height, width, depth = 8) {
      const max = depth === 16 ? 65535 : 255;
      const plane = height * width;
      let table: Uint8Array | Uint16Array | undefined;
      if (outputDtype === 'float16') {
        table = halves.get(max) ?? float16Table(outputRange, max);
        halves.set(max, table);
      }
      const k = max / (outputRange[1] - outputRange[0]);
      const sample = table ? (v: number) => table[v]! : (v: number) => toSample((v - offset) * k, max);
      const images: Image[] = [];
      for (let b = 0; b < batch; b++) {
        const dst = depth === 16 ? new Uint16Array(plane * 3) : new Uint8Array(plane * 3);
        const base = b * 3 * plane;
        if (layout === 'nhwc') {
          for (let p = 0; p < 3 * plane; p++) dst[p] = sample(data[base + p]!);
        } else {
          for (let i = 0, p = 0; i < plane; i++, p += 3) {
            dst[p] = sample(data[base + i]!);
            dst[p + 1] = sample(data[base + plane + i]!);
            dst[p + 2] = sample(data[base + 2 * plane + i]!);
          }
        }
        images.push(dst instanceof Uint16Array ? { width, height, channels: 3, depth: 16, data: bytesOf16(dst) } : { width, height, channels: 3, data: dst });
      }
      return images;
    },
  };
}
