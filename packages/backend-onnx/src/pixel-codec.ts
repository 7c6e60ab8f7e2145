import type { Image, TensorLayout } from '@upframe/core';
import { float16BitsToFloat32, float32ToFloat16Bits } from './float16.js';

export type TensorDtype = 'float32' | 'float16';
export type TensorData = Float32Array | Uint16Array;

/** Moves pixels between interleaved RGB uint8 images and a model's input/output tensors. */
export interface PixelCodec {
  readonly layout: TensorLayout;
  /** Writes a batch of same-size RGB images into `out` (length batch × 3 × h × w). */
  encode(images: readonly Image[], out: TensorData): void;
  /** Reads a batch tensor back into new RGB images, values clamped to 0..255 and rounded half up (`Math.round`). */
  decode(data: TensorData, batch: number, height: number, width: number): Image[];
}

type Range = readonly [number, number];

/** 0..255 → model value, as float32 or as float16 bits: inputs are bytes, so a 256-entry table covers them. */
function inputTable(range: Range, dtype: TensorDtype): TensorData {
  const table = dtype === 'float32' ? new Float32Array(256) : new Uint16Array(256);
  for (let u = 0; u < 256; u++) {
    const v = range[0] + (u * (range[1] - range[0])) / 255;
    table[u] = dtype === 'float32' ? v : float32ToFloat16Bits(v);
  }
  return table;
}

/** Model value → byte. Math.round semantics (half up); NaN becomes 0. */
function toByte(v: number): number {
  return v < 0 ? 0 : v > 255 ? 255 : (v + 0.5) | 0;
}

/** Every float16 bit pattern → byte, so float16 outputs decode with one lookup per value. */
function float16Table(range: Range): Uint8Array {
  const table = new Uint8Array(65536);
  const k = 255 / (range[1] - range[0]);
  for (let bits = 0; bits < 65536; bits++) table[bits] = toByte((float16BitsToFloat32(bits) - range[0]) * k);
  return table;
}

export function createPixelCodec(layout: TensorLayout, inputDtype: TensorDtype, outputDtype: TensorDtype, inputRange: Range, outputRange: Range): PixelCodec {
  const lut = inputTable(inputRange, inputDtype);
  const offset = outputRange[0];
  const k = 255 / (outputRange[1] - outputRange[0]);
  let half: Uint8Array | undefined;

  return {
    layout,
    encode(images, out) {
      for (let b = 0; b < images.length; b++) {
        const src = images[b]!.data;
        const plane = images[b]!.width * images[b]!.height;
        const base = b * 3 * plane;
        if (layout === 'nhwc') {
          for (let p = 0; p < 3 * plane; p++) out[base + p] = lut[src[p]!]!;
          continue;
        }
        for (let i = 0, p = 0; i < plane; i++, p += 3) {
          out[base + i] = lut[src[p]!]!;
          out[base + plane + i] = lut[src[p + 1]!]!;
          out[base + 2 * plane + i] = lut[src[p + 2]!]!;
        }
      }
    },
    decode(data, batch, height, width) {
      const plane = height * width;
      const table = outputDtype === 'float16' ? (half ??= float16Table(outputRange)) : undefined;
      const byte = table ? (v: number) => table[v]! : (v: number) => toByte((v - offset) * k);
      const images: Image[] = [];
      for (let b = 0; b < batch; b++) {
        const dst = new Uint8Array(plane * 3);
        const base = b * 3 * plane;
        if (layout === 'nhwc') {
          for (let p = 0; p < 3 * plane; p++) dst[p] = byte(data[base + p]!);
        } else {
          for (let i = 0, p = 0; i < plane; i++, p += 3) {
            dst[p] = byte(data[base + i]!);
            dst[p + 1] = byte(data[base + plane + i]!);
            dst[p + 2] = byte(data[base + 2 * plane + i]!);
          }
        }
        images.push({ width, height, channels: 3, data: dst });
      }
      return images;
    },
  };
}
