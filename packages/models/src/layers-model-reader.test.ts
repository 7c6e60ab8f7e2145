import { copyFile, mkdtemp, readFile, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { isUpframeError } from '@upframe/core';
import { describe, expect, it } from 'vitest';
import { findLayerWeight } from './layer-weights.js';
import { readLayersModel, readLayersModelJson, weightFiles } from './layers-model-reader.js';
import { getModel } from './model-catalog.js';

const mediumX2 = getModel('esrgan-medium-x2').paths!.modelJson;

async function copyOfModel(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'upframe-reader-'));
  await copyFile(mediumX2, join(dir, 'model.json'));
  await copyFile(join(dirname(mediumX2), 'group1-shard1of1.bin'), join(dir, 'group1-shard1of1.bin'));
  return join(dir, 'model.json');
}

async function failure(promise: Promise<unknown>, code: 'MODEL_INVALID' | 'MODEL_NOT_FOUND'): Promise<Error & { file?: string }> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(isUpframeError(error, code)).toBe(true);
  return error as Error & { file?: string };
}

describe('readLayersModel', () => {
  it('reads esrgan-medium-x2 into a graph and float32 weights by name', async () => {
    const model = await readLayersModel(mediumX2);
    const manifest = JSON.parse(await readFile(mediumX2, 'utf8')).weightsManifest[0].weights;
    expect(model.weights.size).toBe(manifest.length);
    expect(model.graph.layers).toHaveLength(64);
    const kernel = findLayerWeight(model, 'F_m1', 'kernel')!;
    expect(kernel.shape).toEqual([3, 3, 3, 64]);
    expect(kernel.data).toHaveLength(3 * 3 * 3 * 64);
    expect(kernel.data.some((v) => v !== 0)).toBe(true);
    expect(findLayerWeight(model, 'F_m1', 'gamma')).toBeUndefined();
  });

  it('lists model.json shards without loading them', async () => {
    const json = await readLayersModelJson(mediumX2);
    expect(weightFiles(json)).toEqual([join(dirname(mediumX2), 'group1-shard1of1.bin')]);
  });

  it('reports a missing model.json as MODEL_NOT_FOUND naming it', async () => {
    expect((await failure(readLayersModel('/nowhere/model.json'), 'MODEL_NOT_FOUND')).file).toBe('/nowhere/model.json');
  });

  it('reports broken JSON, a missing shard and a truncated shard as MODEL_INVALID naming the file', async () => {
    const broken = await copyOfModel();
    await writeFile(broken, '{"modelTopology": ');
    expect((await failure(readLayersModel(broken), 'MODEL_INVALID')).message).toMatch(/model.json: not valid JSON/);

    const noShard = await copyOfModel();
    await writeFile(join(dirname(noShard), 'group1-shard1of1.bin'), '');
    await truncate(join(dirname(noShard), 'group1-shard1of1.bin'), 100);
    expect((await failure(readLayersModel(noShard), 'MODEL_INVALID')).message).toMatch(/hold 100 bytes/);

    const gone = await copyOfModel();
    await writeFile(gone, (await readFile(gone, 'utf8')).replace('group1-shard1of1.bin', 'missing.bin'));
    expect((await failure(readLayersModel(gone), 'MODEL_INVALID')).file).toBe(join(dirname(gone), 'missing.bin'));
  });
});
