import { describe, expect, it } from 'vitest';
import { float16BitsToFloat32, float32ToFloat16Bits } from './float16.js';
import { bytesOf16, samples16 } from '@upframe/core';
import { createPixelCodec } from './pixel-codec.js';

const image = { width: 2, height: 1, channels: 3, data: Uint8Array.from([0, 51, 255, 10, 20, 30]) };

describe('pixel codec', () => {
  it('writes NCHW planes in the model input range', () => {
    const out = new Float32Array(6);
    createPixelCodec('nchw', 'float32', 'float32', [0, 255], [0, 255]).encode([image], out);
    expect(Array.from(out)).toEqual([0, 10, 51, 20, 255, 30]);
    createPixelCodec('nchw', 'float32', 'float32', [0, 1], [0, 1]).encode([image], out);
    expect(out[2]).toBeCloseTo(0.2, 6);
    expect(out[4]).toBe(1);
  });

  it('writes NHWC interleaved, batches one after another', () => {
    const out = new Float32Array(12);
    createPixelCodec('nhwc', 'float32', 'float32', [-1, 1], [0, 1]).encode([image, image], out);
    expect(out[0]).toBe(-1);
    expect(out[2]).toBe(1);
    expect(out[8]).toBe(1);
  });

  it('clamps to 0..255 and rounds half up like Math.round', () => {
    const codec = createPixelCodec('nhwc', 'float32', 'float32', [0, 255], [0, 255]);
    const [out] = codec.decode(Float32Array.from([-3, 0.49, 0.5, 127.5, 254.5, 300, NaN, 1.5, 2.5]), 1, 1, 3);
    expect(Array.from(out!.data)).toEqual([0, 0, 1, 128, 255, 255, 0, 2, 3]);
  });

  it('maps a 0..1 output range and reorders NCHW back to RGB', () => {
    const codec = createPixelCodec('nchw', 'float32', 'float32', [0, 1], [0, 1]);
    const [out] = codec.decode(Float32Array.from([0, 1, 0.5, 0.25, 2, -1]), 1, 1, 2);
    expect(Array.from(out!.data)).toEqual([0, 128, 255, 255, 64, 0]);
  });

  it('encodes and decodes float16 tensors', () => {
    const codec = createPixelCodec('nchw', 'float16', 'float16', [0, 1], [0, 1]);
    const bits = new Uint16Array(6);
    codec.encode([image], bits);
    expect(float16BitsToFloat32(bits[2]!)).toBeCloseTo(0.2, 3);
    const [out] = codec.decode(bits, 1, 1, 2);
    expect(Array.from(out!.data)).toEqual(Array.from(image.data));
  });
});

describe('float16', () => {
  it('encodes known values, rounding ties to even', () => {
    const cases: [number, number][] = [
      [1, 0x3c00], [-2, 0xc000], [65504, 0x7bff], [65520, 0x7c00], [Infinity, 0x7c00], [-Infinity, 0xfc00],
      [2 ** -24, 0x0001], [2 ** -25, 0x0000], [3 * 2 ** -25, 0x0002], [2 ** -14, 0x0400], [0.1, 0x2e66],
      [1 + 2 ** -11, 0x3c00], [1 + 3 * 2 ** -11, 0x3c02], [-0, 0x8000],
    ];
    for (const [value, bits] of cases) expect(float32ToFloat16Bits(value), String(value)).toBe(bits);
    expect(float32ToFloat16Bits(NaN) & 0x7e00).toBe(0x7e00);
  });

  it('round-trips every finite half exactly', () => {
    const wrong: number[] = [];
    for (let bits = 0; bits < 0x10000; bits++) {
      if ((bits & 0x7c00) !== 0x7c00 && float32ToFloat16Bits(float16BitsToFloat32(bits)) !== bits) wrong.push(bits);
    }
    expect(wrong).toEqual([]);
  });
});

describe('pixel codec at 16 bits', () => {
  const ramp = new Uint16Array(3 * 300);
  for (let i = 0; i < ramp.length; i++) ramp[i] = Math.round((i * 65535) / (ramp.length - 1));
  const deep = { width: 300, height: 1, channels: 3, depth: 16 as const, data: bytesOf16(ramp) };

  for (const [dtype, range] of [['float32', [0, 1]], ['float16', [0, 1]], ['float32', [-1, 1]]] as const) {
    it(`carries every 16-bit level through a ${dtype} ${range.join('..')} tensor without rounding to 8 bits`, () => {
      const codec = createPixelCodec('nchw', dtype, dtype, range, range);
      const tensor = dtype === 'float32' ? new Float32Array(ramp.length) : new Uint16Array(ramp.length);
      codec.encode([deep], tensor);
      const [out] = codec.decode(tensor, 1, 1, 300, 16);
      expect(out!.depth).toBe(16);
      const back = samples16(out!.data);
      const levels = new Set(back).size;
      // 900 distinct inputs; 8 bits would leave at most 256, float16 keeps about 2048 levels in 0..1.
      expect(levels).toBeGreaterThan(dtype === 'float32' ? 899 : 700);
      const worst = Math.max(...Array.from(back, (v, i) => Math.abs(v - ramp[i]!)));
      expect(worst).toBeLessThanOrEqual(dtype === 'float32' ? 1 : 40);
    });
  }

  it('decodes at 8 bits by default, as before', () => {
    const [out] = createPixelCodec('nhwc', 'float32', 'float32', [0, 1], [0, 1]).decode(Float32Array.from([0, 0.5, 1]), 1, 1, 1);
    expect(out!.depth).toBeUndefined();
    expect(Array.from(out!.data)).toEqual([0, 128, 255]);
  });
});
