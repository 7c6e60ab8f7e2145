import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isUpframeError, type Image } from '@upframe/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { createBackend } from './test-support/backend-harness.js';
import * as models from './test-support/onnx-test-models.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'upframe-user-onnx-'));
});

function testImage(width: number, height: number, seed = 0): Image {
  const data = new Uint8Array(width * height * 3);
  for (let i = 0; i < data.length; i++) data[i] = (i * 53 + seed * 17) % 256;
  return { width, height, channels: 3, data };
}

/** Expected output of an upscaler that maps input pixel value u (channel c) at sub-pixel (i, j) to f(u, c, i, j). */
function expected(image: Image, s: number, f: (u: number, c: number, i: number, j: number) => number): Uint8Array {
  const out = new Uint8Array(image.width * s * image.height * s * 3);
  for (let y = 0; y < image.height * s; y++)
    for (let x = 0; x < image.width * s; x++)
      for (let c = 0; c < 3; c++) {
        const u = image.data[(Math.floor(y / s) * image.width + Math.floor(x / s)) * 3 + c]!;
        out[(y * image.width * s + x) * 3 + c] = Math.round(Math.min(255, Math.max(0, f(u, c, y % s, x % s))));
      }
  return out;
}

async function load(name: string, bytes: Uint8Array, extra?: Record<string, unknown>) {
  const file = await models.writeModel(dir, name, bytes);
  const { backend } = createBackend({ model: file, extra });
  await backend.initialize();
  return backend;
}

describe('user .onnx models', () => {
  it('runs an NCHW model with PRelu and DepthToSpace, finding layout and scale itself', async () => {
    const backend = await load('prelu-shuffle', models.preluShuffle());
    expect(backend.info().model).toEqual({ id: 'prelu-shuffle.onnx', scale: 2 });
    const image = testImage(5, 4);
    const [out] = await backend.run([image]);
    const x = (u: number) => u / 255;
    const want = expected(image, 2, (u, c, i, j) => {
      const k = 2 * i + j;
      const v = k === 0 ? 0.5 + (x(u) >= 0.5 ? x(u) - 0.5 : models.PRELU_SLOPES[c]! * (x(u) - 0.5)) : k === 1 ? x(u) : k === 2 ? 1 - x(u) : 0.2 * x(u);
      return v * 255;
    });
    expect([out!.width, out!.height]).toEqual([10, 8]);
    expect(Array.from(out!.data)).toEqual(Array.from(want));
    await backend.dispose();
  });

  it('feeds and reads float16 models', async () => {
    const backend = await load('fp16', models.float16Columns());
    const image = testImage(6, 3, 1);
    const [out] = await backend.run([image]);
    expect(Array.from(out!.data)).toEqual(Array.from(expected(image, 2, (u, _c, _i, j) => (j === 0 ? u : 255 - u))));
    await backend.dispose();
  });

  it('detects NHWC and a 3x scale', async () => {
    const backend = await load('nhwc', models.nhwcNearest3x());
    expect(backend.scale).toBe(3);
    const images = [testImage(4, 3, 2), testImage(4, 3, 3)];
    const out = await backend.run(images);
    out.forEach((o, b) => expect(Array.from(o.data)).toEqual(Array.from(expected(images[b]!, 3, (u) => u))));
    await backend.dispose();
  });

  it('takes the range from options, a fixed size and batch from the shapes, and rounds half up', async () => {
    const backend = await load('fixed', models.fixedHalf(), { range: [0, 255] });
    expect(backend.capabilities().maxBatch).toBe(1);
    const image = testImage(8, 8, 4);
    const [out] = await backend.run([image]);
    // u · 0.5 is exact in float32, so odd u land on .5 and Math.round takes them up.
    expect(Array.from(out!.data)).toEqual(Array.from(expected(image, 2, (u) => u / 2)));
    const error = await backend.run([testImage(9, 8)]).catch((e: unknown) => e);
    expect(isUpframeError(error, 'MODEL_INPUT_MISMATCH')).toBe(true);
    expect((error as Error).message).toContain('only takes 8×8');
    await backend.dispose();
  });

  it('needs a sidecar descriptor when the shape does not tell the layout', async () => {
    const bytes = models.symbolicNearest2x();
    const error = await load('symbolic', bytes).catch((e: unknown) => e);
    expect(isUpframeError(error, 'MODEL_INPUT_MISMATCH')).toBe(true);
    expect((error as Error).message).toMatch(/cannot tell NCHW from NHWC/);
    await writeFile(join(dir, 'symbolic.json'), JSON.stringify({ layout: 'nchw', range: [0, 1] }));
    const backend = await load('symbolic', bytes);
    const image = testImage(3, 2, 5);
    const [out] = await backend.run([image]);
    expect(Array.from(out!.data)).toEqual(Array.from(expected(image, 2, (u) => u)));
    await backend.dispose();
  });

  it('rejects a descriptor with a bad value, listing what is allowed', async () => {
    const file = await models.writeModel(dir, 'bad-sidecar', models.symbolicNearest2x());
    await writeFile(`${file}.json`, JSON.stringify({ layout: 'nwhc' }));
    const { backend } = createBackend({ model: file });
    const error = await backend.initialize().catch((e: unknown) => e);
    expect(isUpframeError(error, 'MODEL_INVALID')).toBe(true);
    expect((error as Error).message).toMatch(/"layout" must be one of nchw, nhwc/);
  });

  it('rejects inputs it cannot feed with MODEL_INPUT_MISMATCH', async () => {
    const error = await load('uint8', models.uint8Input()).catch((e: unknown) => e);
    expect(isUpframeError(error, 'MODEL_INPUT_MISMATCH')).toBe(true);
    expect((error as Error).message).toMatch(/is uint8; upframe feeds float32 or float16/);
  });

  it('reports a scale the model does not deliver', async () => {
    const backend = await load('wrong-scale', models.nhwcNearest3x(), { scale: 2 });
    const error = await backend.run([testImage(2, 2)]).catch((e: unknown) => e);
    expect(isUpframeError(error, 'MODEL_INPUT_MISMATCH')).toBe(true);
    await backend.dispose();
  });

  it('names a missing model file', async () => {
    const { backend } = createBackend({ model: join(dir, 'nope.onnx') });
    const error = await backend.initialize().catch((e: unknown) => e);
    expect(isUpframeError(error, 'MODEL_NOT_FOUND')).toBe(true);
    expect((error as Error).message).toContain('nope.onnx');
  });
});
