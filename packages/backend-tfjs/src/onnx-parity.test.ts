import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { loadLayersModel } from '@tensorflow/tfjs-layers';
import { afterAll, describe, expect, it } from 'vitest';
import { register as registerOnnx } from '@upframe/backend-onnx';
import { TOKENS, createUpframeContainer, silentLogger, type Image, type InferenceBackend, type LazyBackend } from '@upframe/core';
import { requireInstalledModel } from '@upframe/models';
import { fileModelHandler } from './file-io-handler.js';
import { register as registerTfjs } from './register.js';
import { TfjsBackend } from './tfjs-backend.js';
import { realCrop } from './test-support/real-images.js';

const container = createUpframeContainer({ logger: silentLogger });
registerOnnx(container);
registerTfjs(container);
const cacheDir = mkdtempSync(join(tmpdir(), 'upframe-tfjs-parity-'));
const open: InferenceBackend[] = [];

async function backend(name: string, model: string): Promise<InferenceBackend> {
  const b = container.resolve(TOKENS.Backends).create(container, name, { model, device: 'cpu', cacheDir });
  open.push(b);
  await b.initialize();
  return b;
}

/** The same model through tfjs-layers alone: predict on the same float pixels, nothing else. */
async function pureTfjs(model: string, image: Image): Promise<Float32Array> {
  const layers = await loadLayersModel(fileModelHandler(requireInstalledModel(model).paths.modelJson));
  try {
    return tf.tidy(() => (layers.predict(tf.tensor4d(Float32Array.from(image.data), [1, image.height, image.width, 3])) as tf.Tensor).dataSync() as Float32Array);
  } finally {
    layers.dispose();
  }
}

afterAll(async () => {
  for (const b of open) await b.dispose();
});

// A crop of the packages' own fixture photo; 40×32 keeps x4 on single-threaded wasm quick.
describe.each(['esrgan-slim-x2', 'esrgan-slim-x3', 'esrgan-slim-x4'])('%s: tfjs vs onnx on a real crop', (model) => {
  it('matches onnx within 1 level after rounding, and tfjs-layers itself exactly before it', async () => {
    const image = await realCrop({ width: 40, height: 32, left: 44, top: 52 });
    // The registry hands out a LazyBackend so TensorFlow.js loads only when chosen; unwrap it.
    const tfjs = ((await backend('tfjs', model)) as LazyBackend<TfjsBackend>).inner as TfjsBackend;
    const onnx = await backend('onnx', model);
    const float = await tfjs.runFloat([image]);
    const [mine] = await tfjs.run([image]);
    const [theirs] = await onnx.run([image]);
    expect(theirs!.data.length).toBe(mine!.data.length);

    let rounded = 0;
    let beyondHalf = 0;
    let differing = 0;
    for (let i = 0; i < mine!.data.length; i++) {
      rounded = Math.max(rounded, Math.abs(mine!.data[i]! - theirs!.data[i]!));
      if (mine!.data[i] !== theirs!.data[i]) differing++;
      // If onnx's float is within 1e-3 of ours, its rounded byte is within 0.5 + 1e-3 of our float.
      beyondHalf = Math.max(beyondHalf, Math.abs(Math.min(255, Math.max(0, float[i]!)) - theirs!.data[i]!));
    }
    expect(rounded).toBeLessThanOrEqual(1);
    expect(beyondHalf).toBeLessThanOrEqual(0.5 + 1e-3);
    expect(differing / mine!.data.length).toBeLessThan(0.01);

    const reference = await pureTfjs(model, image);
    let floatDiff = 0;
    for (let i = 0; i < reference.length; i++) floatDiff = Math.max(floatDiff, Math.abs(reference[i]! - float[i]!));
    expect(reference.length).toBe(float.length);
    expect(floatDiff).toBeLessThanOrEqual(1e-3);
  });
});
