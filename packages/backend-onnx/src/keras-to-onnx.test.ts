import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isUpframeError } from '@upframe/core';
import { getModel, listModels, readLayersModel, readLayersModelJson } from '@upframe/models';
import { beforeAll, describe, expect, it } from 'vitest';
import { kerasToOnnx } from './keras-to-onnx.js';
import { readRgb, toFloatHwc } from './test-support/images.js';
import { maxAbsDiff, runConverted } from './test-support/onnx-runner.js';
import { conv, writeLayersModel, type SyntheticLayer } from './test-support/synthetic-layers-model.js';
import { loadTfjsReference } from './test-support/tfjs-reference.js';

const SIZE = 32;
let crop: Float32Array;

beforeAll(async () => {
  const fixture = getModel('esrgan-slim-x2').paths!.fixture!;
  crop = toFloatHwc(await readRgb(fixture, { left: 48, top: 40, width: SIZE, height: SIZE }), [0, 255]);
});

async function parity(modelJson: string, input: Float32Array, size: number, layout: 'nchw' | 'nhwc' = 'nchw') {
  const converted = kerasToOnnx(await readLayersModel(modelJson), { layout });
  const reference = await loadTfjsReference(modelJson);
  const expected = reference.predict(input, size, size);
  reference.dispose();
  const actual = await runConverted(converted, input, size, size);
  expect([actual.height, actual.width]).toEqual([expected.height, expected.width]);
  // A parity check on a near-constant output would prove little.
  const spread = expected.data.reduce((m, v) => Math.max(m, v), -Infinity) - expected.data.reduce((m, v) => Math.min(m, v), Infinity);
  return { converted, diff: maxAbsDiff(actual.data, expected.data), spread };
}

describe('kerasToOnnx on the catalog models', () => {
  const installed = listModels().filter((m) => m.installed);

  it('has the slim and medium models to test', () => {
    expect(installed.map((m) => m.id)).toEqual(expect.arrayContaining(['esrgan-slim-x2', 'esrgan-slim-x3', 'esrgan-slim-x4', 'esrgan-medium-x2', 'esrgan-medium-x3', 'esrgan-medium-x4']));
  });

  it.each(installed.map((m) => [m.id, m] as const))('%s matches TensorFlow.js within 1e-3 on the 0-255 scale', async (_id, model) => {
    const { converted, diff, spread } = await parity(model.paths!.modelJson, crop, SIZE);
    expect(converted.scale).toBe(model.scale);
    expect(spread).toBeGreaterThan(100);
    expect(diff).toBeLessThan(1e-3);
  });

  it('matches with the NHWC graph input/output too', async () => {
    const { converted, diff } = await parity(getModel('esrgan-slim-x3').paths!.modelJson, crop, SIZE, 'nhwc');
    expect(converted.model.graph.nodes.filter((n) => n.opType === 'Transpose')).toHaveLength(2);
    expect(diff).toBeLessThan(1e-3);
  });

  it('counts 2·k·k·Cin·Cout FLOPs per output pixel of each conv', async () => {
    const modelJson = getModel('esrgan-slim-x2').paths!.modelJson;
    const json = await readLayersModelJson(modelJson);
    let expected = 0;
    for (const w of json.weightGroups.flatMap((g) => g.weights)) {
      if (!w.name.endsWith('/kernel')) continue;
      const [kh, kw, cin, cout] = w.shape as number[];
      expected += 2 * kh! * kw! * cin! * cout! * (w.name.startsWith('SR/') ? 4 : 1);
    }
    const { stats } = kerasToOnnx(await readLayersModel(modelJson));
    expect(stats.flopsPerInputPixel).toBe(expected);
    expect(stats.peakActivationBytesPerInputPixel).toBeGreaterThan(64 * 4 * 2);
  });
});

describe('kerasToOnnx on synthetic models', () => {
  const input01 = () => crop.map((v) => v / 255);

  it('maps the thick custom layers (MultiplyBeta, PixelShuffle2x) like tfjs', async () => {
    const layers: SyntheticLayer[] = [
      conv('Pre', 8, 3, 'input', 3),
      conv('F1', 4, 3, 'Pre', 8),
      { name: 'F1_Relu', className: 'Activation', config: { activation: 'relu' }, inbound: ['F1'] },
      { name: 'Cat', className: 'Concatenate', config: { axis: 3 }, inbound: ['Pre', 'F1_Relu'] },
      conv('LFF', 8, 1, 'Cat', 12, { padding: 'valid' }),
      { name: 'multiply_beta', className: 'MultiplyBeta', config: { beta: 0.2 }, inbound: ['LFF'] },
      { name: 'LRL', className: 'Add', inbound: ['Pre', 'multiply_beta'] },
      conv('PreShuffle', 12, 3, 'LRL', 8),
      { name: 'shuffle', className: 'PixelShuffle2x', inbound: ['PreShuffle'] },
      conv('SR', 3, 3, 'shuffle', 3),
    ];
    const file = await writeLayersModel(await mkdtemp(join(tmpdir(), 'upframe-thick-')), layers, 7);
    const { converted, diff, spread } = await parity(file, input01(), SIZE);
    expect(converted.scale).toBe(2);
    expect(spread).toBeGreaterThan(0.1);
    expect(converted.model.graph.nodes.map((n) => n.opType)).toEqual(expect.arrayContaining(['DepthToSpace', 'Mul', 'Add', 'Concat']));
    expect(diff * 255).toBeLessThan(1e-3);
  });

  it('maps the other supported layers and activations like tfjs', async () => {
    const layers: SyntheticLayer[] = [
      conv('c1', 8, 3, 'input', 3, { dilation_rate: [2, 2], activation: 'relu' }),
      { name: 'lrelu', className: 'LeakyReLU', config: { alpha: 0.1 }, inbound: ['c1'] },
      { name: 'dw', className: 'DepthwiseConv2D', inbound: ['lrelu'], config: { kernel_size: [3, 3], strides: [1, 1], padding: 'same', depth_multiplier: 2, data_format: 'channels_last', dilation_rate: [1, 1], activation: 'linear', use_bias: true }, weights: { depthwise_kernel: [3, 3, 8, 2], bias: [16] } },
      { name: 'prelu', className: 'PReLU', config: { shared_axes: [1, 2] }, inbound: ['dw'], weights: { alpha: [1, 1, 16] } },
      conv('down', 8, 3, 'prelu', 16, { strides: [2, 2], activation: 'swish' }),
      { name: 'up', className: 'UpSampling2D', config: { size: [2, 2], data_format: 'channels_last', interpolation: 'bilinear' }, inbound: ['down'] },
      conv('c2', 8, 1, 'prelu', 16, { padding: 'valid', activation: 'sigmoid' }),
      { name: 'mul', className: 'Multiply', inbound: ['up', 'c2'] },
      { name: 'min', className: 'Minimum', inbound: ['up', 'c2'] },
      { name: 'drop', className: 'Dropout', config: { rate: 0.5 }, inbound: ['min'] },
      { name: 'max', className: 'Maximum', inbound: ['mul', 'drop', 'c2'] },
      { name: 'avg', className: 'Average', inbound: ['max', 'up'] },
      { name: 'relu6', className: 'ReLU', config: { max_value: 6 }, inbound: ['avg'] },
      { name: 'elu', className: 'ELU', config: { alpha: 1 }, inbound: ['relu6'] },
      { name: 'tanh', className: 'Activation', config: { activation: 'tanh' }, inbound: ['elu'] },
      conv('hs', 12, 3, 'tanh', 8, { activation: 'hard_sigmoid' }),
      { name: 'shuffle', className: 'PixelShuffle2x', inbound: ['hs'] },
      { name: 'nn', className: 'UpSampling2D', config: { size: [2, 2], data_format: 'channels_last', interpolation: 'nearest' }, inbound: ['input'] },
      { name: 'sum', className: 'Add', inbound: ['shuffle', 'nn'] },
      conv('SR', 3, 3, 'sum', 3, { activation: 'elu' }),
    ];
    const file = await writeLayersModel(await mkdtemp(join(tmpdir(), 'upframe-zoo-')), layers, 11);
    const { converted, diff, spread } = await parity(file, input01(), SIZE);
    expect(converted.scale).toBe(2);
    expect(spread).toBeGreaterThan(0.1);
    expect(diff).toBeLessThan(1e-4);
  });

  it('rejects an unmapped layer with MODEL_UNSUPPORTED_LAYER naming it and its class', async () => {
    const layers: SyntheticLayer[] = [conv('c1', 3, 3, 'input', 3), { name: 'norm', className: 'BatchNormalization', inbound: ['c1'] }];
    const file = await writeLayersModel(await mkdtemp(join(tmpdir(), 'upframe-bad-')), layers);
    const error = await readLayersModel(file).then((m) => kerasToOnnx(m)).catch((e: unknown) => e);
    expect(isUpframeError(error, 'MODEL_UNSUPPORTED_LAYER')).toBe(true);
    expect((error as Error).message).toMatch(/layer "norm" \(class BatchNormalization\)/);
    expect((error as Error).message).toContain(file);
  });

  it('rejects an unmapped activation the same way', async () => {
    const file = await writeLayersModel(await mkdtemp(join(tmpdir(), 'upframe-bad-')), [conv('c1', 3, 3, 'input', 3, { activation: 'gelu' })]);
    const error = await readLayersModel(file).then((m) => kerasToOnnx(m)).catch((e: unknown) => e);
    expect(isUpframeError(error, 'MODEL_UNSUPPORTED_LAYER')).toBe(true);
    expect((error as Error).message).toMatch(/layer "c1" \(class Conv2D\).*activation "gelu"/);
  });
});
