import { isUpframeError } from '@upframe/core';
import { describe, expect, it } from 'vitest';
import { decodeWeightGroup } from './weights-decoder.js';

const bytesOf = (view: ArrayBufferView) => new Uint8Array(view.buffer, view.byteOffset, view.byteLength);

describe('decodeWeightGroup', () => {
  it('decodes float32, float16- and uint8-quantized weights laid out back to back', () => {
    const f32 = new Float32Array([1.5, -2]);
    const f16 = new Uint16Array([0x3c00, 0xc000, 0x3555]); // 1, -2, ~0.3333
    const u8 = new Uint8Array([0, 10, 255]);
    const data = new Uint8Array([...bytesOf(f32), ...bytesOf(f16), ...u8]);
    const tensors = decodeWeightGroup(
      {
        paths: ['w.bin'],
        weights: [
          { name: 'a/kernel', shape: [2], dtype: 'float32' },
          { name: 'b/kernel', shape: [3], dtype: 'float32', quantization: { dtype: 'float16' } },
          { name: 'c/bias', shape: [1, 3], dtype: 'float32', quantization: { dtype: 'uint8', scale: 0.5, min: -1 } },
        ],
      },
      data,
      'm.json',
    );
    expect(Array.from(tensors[0]!.data)).toEqual([1.5, -2]);
    expect(tensors[1]!.data[0]).toBe(1);
    expect(tensors[1]!.data[1]).toBe(-2);
    expect(tensors[1]!.data[2]).toBeCloseTo(1 / 3, 3);
    expect(Array.from(tensors[2]!.data)).toEqual([-1, 4, 126.5]);
    expect(tensors[2]!.shape).toEqual([1, 3]);
  });

  it('throws MODEL_INVALID naming the file and shards when the data is too short', () => {
    try {
      decodeWeightGroup({ paths: ['a.bin', 'b.bin'], weights: [{ name: 'k', shape: [4], dtype: 'float32' }] }, new Uint8Array(12), '/m/model.json');
      expect.unreachable();
    } catch (error) {
      expect(isUpframeError(error, 'MODEL_INVALID')).toBe(true);
      expect((error as Error).message).toMatch(/\/m\/model.json: weight shards a.bin, b.bin hold 12 bytes.*"k"/);
    }
  });
});
