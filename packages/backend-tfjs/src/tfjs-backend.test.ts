import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LazyBackend, TOKENS, createUpframeContainer, isUpframeError, nvidiaDriverPresent, silentLogger, type Image, type InferenceBackend } from '@upframe/core';
import { register } from './index.js';
import { TfjsBackend } from './tfjs-backend.js';
import { realCrop } from './test-support/real-images.js';

const container = createUpframeContainer({ logger: silentLogger });
register(container);
const create = (options: Partial<{ model: string; device: string; extra: Record<string, unknown> }> = {}) =>
  container.resolve(TOKENS.Backends).create(container, 'tfjs', { model: 'esrgan-slim-x2', device: 'auto', ...options } as never);

let backend: InferenceBackend;
let crops: Image[];

beforeAll(async () => {
  backend = create();
  await backend.initialize();
  crops = await Promise.all([
    realCrop({ width: 24, height: 16, left: 10, top: 70 }),
    realCrop({ width: 24, height: 16, left: 80, top: 20 }),
    realCrop({ width: 24, height: 16, left: 40, top: 100 }),
  ]);
});

afterAll(() => backend.dispose());

describe('tfjs backend', () => {
  it('registers as tfjs and reports the runtime it took, with reasons for the ones it skipped', () => {
    const entry = container.resolve(TOKENS.Backends).get('tfjs');
    expect(entry).toMatchObject({ origin: '@upframe/backend-tfjs' });
    // The registry hands out a LazyBackend; TensorFlow.js was imported only by initialize().
    expect(backend).toBeInstanceOf(LazyBackend);
    expect((backend as LazyBackend).inner).toBeInstanceOf(TfjsBackend);
    const info = backend.info();
    expect(info).toMatchObject({ provider: 'wasm-simd', device: 'cpu', model: { id: 'esrgan-slim-x2', scale: 2 } });
    // Without an NVIDIA driver a missing tfjs-node-gpu is normal and goes unmentioned; with one, it is a hint worth giving.
    const gpuHint = 'tfjs-node-gpu: not installed (npm i @tensorflow/tfjs-node-gpu@4.22.0, see docs/gpu.md)';
    const expected = [...(nvidiaDriverPresent() ? [gpuHint] : []), 'tfjs-node: not installed (npm i @tensorflow/tfjs-node@4.22.0, see docs/gpu.md)'];
    expect(info.warnings.slice(0, expected.length)).toEqual(expected);
    expect(info.warnings.includes(gpuHint)).toBe(nvidiaDriverPresent());
    expect(info.bytesPerInputPixel).toBeGreaterThan(256);
    expect(backend.scale).toBe(2);
  });

  it('runs a batch in one call with the same result per image as one at a time', async () => {
    const batch = await backend.run(crops);
    expect(batch.map((im) => [im.width, im.height, im.channels])).toEqual([[48, 32, 3], [48, 32, 3], [48, 32, 3]]);
    for (let i = 0; i < crops.length; i++) {
      const [alone] = await backend.run([crops[i]!]);
      let worst = 0;
      for (let p = 0; p < alone!.data.length; p++) worst = Math.max(worst, Math.abs(alone!.data[p]! - batch[i]!.data[p]!));
      expect(worst).toBeLessThanOrEqual(1);
    }
    // Different inputs give different outputs: the batch was not collapsed onto one image.
    expect(Buffer.from(batch[0]!.data).equals(Buffer.from(batch[1]!.data))).toBe(false);
  });

  it('leaves no tensors behind after any batch', async () => {
    const baseline = tf.memory().numTensors;
    for (const size of [1, 3, 2]) {
      await backend.run(crops.slice(0, size));
      expect(tf.memory().numTensors).toBe(baseline);
    }
    await ((backend as LazyBackend<TfjsBackend>).inner as TfjsBackend).runFloat(crops);
    expect(tf.memory().numTensors).toBe(baseline);
    await expect(backend.run([crops[0]!, { ...crops[1]!, width: 12, height: 32 }])).rejects.toThrow(/one size/);
    expect(tf.memory().numTensors).toBe(baseline);
  });

  it('gives the same pixels on the plain cpu runtime (and switches tfjs between them)', async () => {
    const cpu = create({ extra: { runtime: 'cpu' } });
    await cpu.initialize();
    const small = await realCrop({ width: 8, height: 6, left: 64, top: 64 });
    try {
      expect(cpu.info().provider).toBe('cpu');
      const [a] = await cpu.run([small]);
      const [b] = await backend.run([small]);
      expect(tf.getBackend()).toBe('wasm');
      let worst = 0;
      for (let p = 0; p < a!.data.length; p++) worst = Math.max(worst, Math.abs(a!.data[p]! - b!.data[p]!));
      expect(worst).toBeLessThanOrEqual(1);
    } finally {
      await cpu.dispose();
    }
  });

  it('refuses ONNX models, pointing at the onnx backend', async () => {
    const error = await create({ model: '/models/x4plus.onnx' }).initialize().catch((e: unknown) => e);
    expect(isUpframeError(error, 'MODEL_INVALID')).toBe(true);
    expect((error as Error).message).toMatch(/x4plus\.onnx is an ONNX model/);
    expect((error as { hint?: string }).hint).toMatch(/--backend onnx/);
  });

  it('fails cuda with DEVICE_UNAVAILABLE naming tfjs-node-gpu and its install command', async () => {
    const error = await create({ device: 'cuda' }).initialize().catch((e: unknown) => e);
    expect(isUpframeError(error, 'DEVICE_UNAVAILABLE')).toBe(true);
    expect((error as Error).message).toContain('@tensorflow/tfjs-node-gpu');
    expect((error as { hint?: string }).hint).toContain('npm i @tensorflow/tfjs-node-gpu');
    const ordinal = await create({ device: 'cuda:1' }).initialize().catch((e: unknown) => e);
    expect((ordinal as { hint?: string }).hint).toContain('CUDA_VISIBLE_DEVICES=1');
  });

  it('rejects an unknown runtime pin and stops on an aborted signal', async () => {
    const pinned = await create({ extra: { runtime: 'webgpu' } }).initialize().catch((e: unknown) => e);
    expect(isUpframeError(pinned, 'USAGE')).toBe(true);
    expect((pinned as Error).message).toContain('tfjs-node-gpu, tfjs-node, wasm, cpu');
    const controller = new AbortController();
    controller.abort(new Error('user pressed Ctrl-C'));
    const cancelled = await backend.run(crops, controller.signal).catch((e: unknown) => e);
    expect(isUpframeError(cancelled, 'CANCELLED')).toBe(true);
  });
});
