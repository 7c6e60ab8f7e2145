import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { isUpframeError, silentLogger, type Image } from '@upframe/core';
import { DEFAULT_BETA, PixelShuffle3x } from './custom-layers.js';
import { toByte } from './pixel-tensor.js';
import { TfjsBackend } from './tfjs-backend.js';
import { realCrop } from './test-support/real-images.js';
import { buildShuffleModel, expectedShuffle } from './test-support/synthetic-model.js';

/** esrgan-thick's convention: pixels 0..1 in and out. */
const thickRanges = { inputRange: [0, 1], outputRange: [0, 1] };
const backends: TfjsBackend[] = [];

async function open(file: string): Promise<TfjsBackend> {
  const backend = new TfjsBackend({ model: file, device: 'auto', extra: thickRanges }, silentLogger);
  backends.push(backend);
  await backend.initialize();
  return backend;
}

function rewrite(file: string, edit: (layers: { class_name: string; config: Record<string, unknown> }[]) => void): void {
  const json = JSON.parse(readFileSync(file, 'utf8'));
  edit(json.modelTopology.model_config.config.layers);
  writeFileSync(file, JSON.stringify(json));
}

const unit = (image: Image) => Float32Array.from(image.data, (v) => v / 255);

afterAll(async () => {
  for (const b of backends) await b.dispose();
});

describe('MultiplyBeta and PixelShuffle layers', () => {
  it.each([2, 3, 4] as const)('compute conv·beta then depth-to-space with block %i, on 0..1 pixels', async (scale) => {
    const { file, weights } = await buildShuffleModel(scale);
    const backend = await open(file);
    expect(backend.scale).toBe(scale);
    const image = await realCrop({ width: 7, height: 5, left: 60, top: 30 });
    const expected = expectedShuffle(unit(image), 7, 5, scale, weights, DEFAULT_BETA).map((v) => v * 255);
    const got = await backend.runFloat([image]);
    expect(got.length).toBe(expected.length);
    let worst = 0;
    for (let i = 0; i < got.length; i++) worst = Math.max(worst, Math.abs(got[i]! - expected[i]!));
    expect(worst).toBeLessThan(1e-3);
    // The weights push values past both ends, so run() must clamp as well as round.
    expect(expected.some((v) => v > 255) && expected.some((v) => v < 0)).toBe(true);
    const [out] = await backend.run([image]);
    expect(out!.width).toBe(7 * scale);
    expect(Array.from(out!.data)).toEqual(Array.from(expected, toByte));
  });

  it('writes beta and scale_factor into model.json the way the Keras originals do', async () => {
    const { file } = await buildShuffleModel(2);
    const layers = JSON.parse(readFileSync(file, 'utf8')).modelTopology.model_config.config.layers;
    expect(layers.find((l: { class_name: string }) => l.class_name === 'MultiplyBeta').config.beta).toBe(0.2);
    expect(layers.find((l: { class_name: string }) => l.class_name === 'PixelShuffle2x').config.scale_factor).toBe(2);
  });

  it('loads upscalerjs-style configs without beta or scale_factor (beta 0.2), and honours a beta that is given', async () => {
    const image = await realCrop({ width: 4, height: 4 });
    const { file, weights } = await buildShuffleModel(2);
    rewrite(file, (layers) => layers.forEach((l) => (delete l.config.beta, delete l.config.scale_factor)));
    const plain = await (await open(file)).runFloat([image]);
    expect(plain[5]).toBeCloseTo(expectedShuffle(unit(image), 4, 4, 2, weights, 0.2)[5]! * 255, 3);
    rewrite(file, (layers) => layers.filter((l) => l.class_name === 'MultiplyBeta').forEach((l) => (l.config.beta = 0.5)));
    const half = await (await open(file)).runFloat([image]);
    expect(half[5]).toBeCloseTo(expectedShuffle(unit(image), 4, 4, 2, weights, 0.5)[5]! * 255, 3);
  });

  it('refuses a PixelShuffle whose scale_factor contradicts its class name', async () => {
    const { file } = await buildShuffleModel(2);
    rewrite(file, (layers) => layers.filter((l) => l.class_name === 'PixelShuffle2x').forEach((l) => (l.config.scale_factor = 4)));
    const error = await open(file).catch((e: unknown) => e);
    expect(isUpframeError(error, 'MODEL_INVALID')).toBe(true);
    expect((error as Error).message).toContain('scale_factor 4');
  });

  it('names a layer class nobody defines', async () => {
    const { file } = await buildShuffleModel(3);
    rewrite(file, (layers) => layers.filter((l) => l.class_name === 'MultiplyBeta').forEach((l) => (l.class_name = 'MultiplyGamma')));
    const error = await open(file).catch((e: unknown) => e);
    expect(isUpframeError(error, 'MODEL_UNSUPPORTED_LAYER')).toBe(true);
    expect((error as Error).message).toContain('MultiplyGamma');
  });

  it('reports the real output shape, unlike upscalerjs which always says [n, h, w, 3]', () => {
    expect(new PixelShuffle3x().computeOutputShape([null, 10, null, 27])).toEqual([null, 30, null, 3]);
  });
});
