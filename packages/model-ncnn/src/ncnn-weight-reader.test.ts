import { describe, expect, it } from 'vitest';
import { isUpframeError } from '@upframe/core';
import { NcnnWeightReader } from './ncnn-weight-reader.js';
import { NcnnModelWriter } from './test-support/ncnn-writer.js';

const values = [0.5, -1.25, 3, 0.125, -0.0625];

function reader(build: (w: NcnnModelWriter) => void): NcnnWeightReader {
  const w = new NcnnModelWriter();
  build(w);
  return new NcnnWeightReader(w.bin(), 'm.bin');
}

describe('NcnnWeightReader', () => {
  it.each(['fp32', 'fp32Scaled', 'fp16', 'table'] as const)('reads %s buffers (with 4-byte alignment) and the raw buffer after them', (storage) => {
    const r = reader((w) => w.weights(values, storage).raw([7, 8]));
    const weights = r.load(values.length, 0, 'w');
    expect(Array.from(weights.data)).toEqual(values);
    expect(weights.storage).toBe(storage === 'fp32Scaled' ? 'fp32' : storage);
    expect(Array.from(r.load(2, 1, 'bias').data)).toEqual([7, 8]);
    r.finish();
  });

  it('keeps fp16 bits for an fp16 graph', () => {
    const r = reader((w) => w.weights([1, -2], 'fp16'));
    expect(Array.from(r.load(2, 0, 'w').fp16!)).toEqual([0x3c00, 0xc000]);
  });

  it('reads int8 buffers as their integers, padded to 4 bytes', () => {
    const r = reader((w) => w.weights([-128, 5, 127], 'int8').raw([1]));
    const weights = r.load(3, 0, 'w');
    expect(weights.storage).toBe('int8');
    expect(Array.from(weights.data)).toEqual([-128, 5, 127]);
    expect(Array.from(r.load(1, 1, 'scale').data)).toEqual([1]);
    r.finish();
  });

  it('throws MODEL_INVALID naming the buffer when the file is truncated', () => {
    const w = new NcnnModelWriter().weights(values);
    const r = new NcnnWeightReader(w.bin().subarray(0, 12), 'm.bin');
    expect(() => r.load(values.length, 0, 'layer conv weight')).toThrow(/m\.bin: .*layer conv weight: needs 20 bytes at offset 4 but the file ends at 12/);
    expect(() => new NcnnWeightReader(new Uint8Array(2), 'm.bin').load(1, 0, 'w')).toThrow(/flag word/);
  });

  it('finish() reports bytes left over', () => {
    const r = reader((w) => w.weights([1]).bytes(new Uint8Array(8)));
    r.load(1, 0, 'w');
    let error: unknown;
    try {
      r.finish();
    } catch (e) {
      error = e;
    }
    expect(isUpframeError(error, 'MODEL_INVALID')).toBe(true);
    expect((error as Error).message).toMatch(/8 bytes are left after the last layer's weights \(read 8 of 16\)/);
  });
});
