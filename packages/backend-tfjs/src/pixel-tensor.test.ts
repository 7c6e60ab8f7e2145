import { describe, expect, it } from 'vitest';
import { bytesOf16, isUpframeError, samples16, type Image } from '@upframe/core';
import { checkBatch, inputTable, packBatch, toByte, toByteScale, unpackBatch } from './pixel-tensor.js';

const image = (width: number, height: number, fill: (i: number) => number, channels = 3): Image => ({
  width,
  height,
  channels,
  data: Uint8Array.from({ length: width * height * channels }, (_, i) => fill(i)),
});

describe('pixel tensors', () => {
  it('maps bytes linearly onto the model range', () => {
    expect(Array.from(inputTable([0, 255]).subarray(0, 3))).toEqual([0, 1, 2]);
    const unit = inputTable([0, 1]);
    expect(unit[0]).toBe(0);
    expect(unit[255]).toBe(1);
    expect(unit[51]).toBeCloseTo(0.2, 6);
    expect(inputTable([-1, 1])[255]).toBe(1);
  });

  it('packs a batch image after image, keeping interleaved RGB (NHWC)', () => {
    const a = image(2, 1, (i) => i);
    const b = image(2, 1, (i) => 100 + i);
    expect(Array.from(packBatch([a, b], inputTable([0, 255])))).toEqual([0, 1, 2, 3, 4, 5, 100, 101, 102, 103, 104, 105]);
  });

  it('rounds half up, clamps to 0..255 and turns NaN into 0', () => {
    expect([-3, 0.49, 0.5, 1.5, 254.5, 255.2, 300, Number.NaN].map(toByte)).toEqual([0, 0, 1, 2, 255, 255, 255, 0]);
  });

  it('splits an output batch into images, rescaling from the output range', () => {
    const raw = Float32Array.from([0, 0.5, 1, 1.2, -0.1, 0.25, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6]);
    const [first, second] = unpackBatch(raw, 2, 2, 1, [0, 1]);
    expect(first).toMatchObject({ width: 2, height: 1, channels: 3 });
    expect(Array.from(first!.data)).toEqual([0, 128, 255, 255, 0, 64]);
    expect(Array.from(second!.data)).toEqual([26, 51, 77, 102, 128, 153]);
    expect(Array.from(toByteScale(Float32Array.from([-0.5, 0, 1]), [-1, 1]))).toEqual([63.75, 127.5, 255]);
  });

  it('accepts only RGB batches of one size within the limit', () => {
    expect(checkBatch([image(3, 2, () => 0), image(3, 2, () => 1)], 4)).toEqual({ width: 3, height: 2 });
    const grey = checkBatchError([image(3, 2, () => 0, 1)], 4);
    expect(isUpframeError(grey, 'MODEL_INPUT_MISMATCH')).toBe(true);
    expect((checkBatchError([image(3, 2, () => 0), image(2, 3, () => 0)], 4) as Error).message).toContain('image 1 of the batch is 2×3');
    expect((checkBatchError([], 4) as Error).message).toContain('1..4');
    expect((checkBatchError([image(1, 1, () => 0), image(1, 1, () => 0)], 1) as Error).message).toContain('batch of 2');
  });
});

function checkBatchError(images: Image[], max: number): unknown {
  try {
    checkBatch(images, max);
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('pixel tensors at 16 bits', () => {
  it('packs 16-bit samples onto the model range and unpacks them at 16 bits without rounding to 8', () => {
    const ramp = Uint16Array.from({ length: 3 * 400 }, (_, i) => Math.round((i * 65535) / (3 * 400 - 1)));
    const deep: Image = { width: 400, height: 1, channels: 3, depth: 16, data: bytesOf16(ramp) };
    for (const range of [[0, 1], [0, 255], [-1, 1]] as const) {
      const packed = packBatch([deep], inputTable(range));
      expect(packed[0]).toBeCloseTo(range[0], 6);
      expect(packed[packed.length - 1]).toBeCloseTo(range[1], 4);
      const [back] = unpackBatch(packed, 1, 400, 1, range, 16);
      expect(back!.depth).toBe(16);
      const samples = samples16(back!.data);
      expect(new Set(samples).size).toBe(1200);
      expect(Math.max(...Array.from(samples, (v, i) => Math.abs(v - ramp[i]!)))).toBeLessThanOrEqual(1);
    }
  });

  it('refuses a batch that mixes depths', () => {
    const eight = image(2, 2, () => 1);
    const deep: Image = { ...eight, depth: 16, data: new Uint8Array(24) };
    expect(() => checkBatch([eight, deep], 4)).toThrow(/16-bit, the first is 8-bit/);
  });
});
