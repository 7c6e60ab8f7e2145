import { describe, expect, it } from 'vitest';
import { isUpframeError } from '@upframe/core';
import { readNcnnModel } from './ncnn-model.js';
import { ncnnToOnnx } from './ncnn-to-onnx.js';
import { withInput } from './test-support/fixtures.js';
import type { NcnnModelWriter } from './test-support/ncnn-writer.js';

const conv = () => withInput().layer('Convolution', 'conv1', ['data'], ['out'], { 0: 2, 1: 1, 5: 1, 6: 6 }).weights([1, 2, 3, 4, 5, 6], 'fp16').raw([0, 1]);

function failure(run: () => unknown): Error & { code?: string; file?: string } {
  try {
    run();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected an error');
}

const read = (m: NcnnModelWriter, bin = m.bin()) => readNcnnModel(m.param(), bin, 'dir/m.param', 'dir/m.bin');

describe('readNcnnModel', () => {
  it('reads every layer and counts the storage forms', () => {
    const model = read(conv());
    expect(model.param.layers).toHaveLength(2);
    expect(model.storages).toEqual({ fp16: 1, fp32: 1 });
    expect(Array.from(model.weights[1]!.bias!.data)).toEqual([0, 1]);
  });

  it('a truncated .bin is MODEL_INVALID naming the .bin and the layer', () => {
    const m = conv();
    const e = failure(() => read(m, m.bin().subarray(0, m.bin().byteLength - 4)));
    expect(isUpframeError(e, 'MODEL_INVALID')).toBe(true);
    expect(e.message).toMatch(/^dir\/m\.bin: .*layer conv1 bias: needs 8 bytes .* \(truncated\?\)/);
  });

  it('a .bin with trailing bytes is MODEL_INVALID', () => {
    const m = conv().bytes(new Uint8Array(4));
    const e = failure(() => read(m));
    expect(isUpframeError(e, 'MODEL_INVALID')).toBe(true);
    expect(e.message).toMatch(/4 bytes are left after the last layer's weights/);
  });

  it('an unknown op is MODEL_UNSUPPORTED_LAYER naming the layer, the op and the line', () => {
    const m = withInput().layer('Swish', 'act7', ['data'], ['out']);
    const e = failure(() => read(m));
    expect(isUpframeError(e, 'MODEL_UNSUPPORTED_LAYER')).toBe(true);
    expect(e.message).toMatch(/^dir\/m\.param:4: layer act7 is a Swish, which upframe's ncnn importer does not support/);
    expect(e.file).toBe('dir/m.param');
  });

  it('a wrong magic is MODEL_INVALID', () => {
    const m = conv();
    const e = failure(() => readNcnnModel(m.param(7767516), m.bin(), 'dir/m.param'));
    expect(isUpframeError(e, 'MODEL_INVALID')).toBe(true);
    expect(e.message).toMatch(/dir\/m\.param:1: .*magic number 7767517/);
  });

  it('a supported op with a setting the importer does not convert is MODEL_UNSUPPORTED_LAYER', () => {
    const m = withInput().layer('Pooling', 'pool', ['data'], ['out'], { 0: 0, 1: 2, 2: 2 });
    const e = failure(() => ncnnToOnnx(read(m)));
    expect(isUpframeError(e, 'MODEL_UNSUPPORTED_LAYER')).toBe(true);
    expect(e.message).toMatch(/layer pool \(Pooling\): pooling other than global/);
  });

  it('a model with two inputs is refused', () => {
    const m = withInput().layer('Input', 'in2', [], ['data2']).layer('BinaryOp', 'add', ['data', 'data2'], ['out']);
    expect(isUpframeError(failure(() => read(m)), 'MODEL_UNSUPPORTED_LAYER')).toBe(true);
  });

  it('two unused blobs need the output blob named', () => {
    const m = withInput().layer('Split', 'sp', ['data'], ['a', 'b']).layer('ReLU', 'r', ['a'], ['x']).layer('Sigmoid', 's', ['b'], ['y']);
    const e = failure(() => ncnnToOnnx(read(m)));
    expect(e.message).toMatch(/2 blobs are unused \(x, y\)/);
    expect(ncnnToOnnx(read(m), { outputBlob: 'y' }).outputBlob).toBe('y');
  });
});
