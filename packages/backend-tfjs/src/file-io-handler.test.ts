import { mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isUpframeError } from '@upframe/core';
import { requireInstalledModel } from '@upframe/models';
import { fileModelHandler } from './file-io-handler.js';
import { loadModelFile } from './layers-model-loader.js';
import { buildShuffleModel } from './test-support/synthetic-model.js';

const errorOf = (p: Promise<unknown>) => p.then(() => undefined, (e: unknown) => e as { code: string; message: string; hint?: string });

describe('fileModelHandler', () => {
  it('hands tfjs the topology, the flat weight specs and every shard byte in order', async () => {
    const modelJson = requireInstalledModel('esrgan-slim-x2').paths.modelJson;
    const json = JSON.parse(readFileSync(modelJson, 'utf8'));
    const artifacts = await fileModelHandler(modelJson).load!();
    expect(artifacts.modelTopology).toEqual(json.modelTopology);
    expect(artifacts.weightSpecs!.map((w) => w.name)).toEqual(json.weightsManifest.flatMap((g: { weights: { name: string }[] }) => g.weights.map((w) => w.name)));
    const shard = readFileSync(join(dirname(modelJson), json.weightsManifest[0].paths[0]));
    expect(Buffer.from(artifacts.weightData as ArrayBuffer).equals(shard)).toBe(true);
  });

  it('names the missing model.json, a missing shard, and files that are not layers models', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'upframe-tfjs-io-'));
    expect((await errorOf(fileModelHandler(join(dir, 'model.json')).load!()))!.code).toBe('MODEL_NOT_FOUND');
    writeFileSync(join(dir, 'model.json'), JSON.stringify({ modelTopology: {}, weightsManifest: [{ paths: ['gone.bin'], weights: [] }] }));
    const shard = await errorOf(fileModelHandler(join(dir, 'model.json')).load!());
    expect(shard).toMatchObject({ code: 'MODEL_INVALID', hint: expect.stringContaining('.bin shards') });
    expect(shard!.message).toContain('gone.bin');
    writeFileSync(join(dir, 'model.json'), JSON.stringify({ format: 'graph-model', weightsManifest: [] }));
    expect((await errorOf(fileModelHandler(join(dir, 'model.json')).load!()))!.message).toContain('no modelTopology');
    writeFileSync(join(dir, 'model.json'), '{ not json');
    expect((await errorOf(fileModelHandler(join(dir, 'model.json')).load!()))!.message).toContain('not valid JSON');
    rmSync(dir, { recursive: true });
  });

  it('turns a truncated weights file into MODEL_INVALID when tfjs builds the model', async () => {
    const { file } = await buildShuffleModel(2);
    truncateSync(join(dirname(file), 'weights.bin'), 20);
    const error = await errorOf(loadModelFile(file));
    expect(isUpframeError(error, 'MODEL_INVALID')).toBe(true);
    expect(error!.message).toContain('tfjs-layers cannot build the model');
  });
});
