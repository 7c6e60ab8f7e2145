import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { isUpframeError } from '@upframe/core';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MODEL_ID, MODEL_IDS, getModel, listModels, requireInstalledModel } from './model-catalog.js';
import { locatePackage } from './package-locator.js';

describe('model catalog', () => {
  it('lists nine models, slim/medium/thick at 2x, 3x and 4x, with esrgan-slim-x2 as default', () => {
    const models = listModels();
    expect(models.map((m) => m.id)).toEqual([...MODEL_IDS]);
    expect(models.map((m) => m.scale)).toEqual([2, 3, 4, 2, 3, 4, 2, 3, 4]);
    expect(DEFAULT_MODEL_ID).toBe('esrgan-slim-x2');
    expect(getModel(DEFAULT_MODEL_ID).installed).toBe(true);
  });

  it('describes the installed slim and medium models with real files', () => {
    for (const model of listModels().filter((m) => m.family !== 'esrgan-thick')) {
      expect(model).toMatchObject({ installed: true, format: 'tfjs-layers', inputRange: [0, 255], outputRange: [0, 255] });
      const { modelJson, fixture, sampleResult } = model.paths!;
      expect(modelJson).toMatch(new RegExp(`models/x${model.scale}/model\\.json$`));
      expect([modelJson, fixture, sampleResult].every((p) => p && existsSync(p))).toBe(true);
      const folder = dirname(modelJson);
      const size = readdirSync(folder).reduce((n, f) => n + statSync(join(folder, f)).size, 0);
      expect(model.sizeBytes).toBe(size);
    }
  });

  it('lists thick as installed only when its package resolves', () => {
    const installed = locatePackage('@upscalerjs/esrgan-thick') !== undefined;
    for (const id of ['esrgan-thick-x2', 'esrgan-thick-x3', 'esrgan-thick-x4']) {
      const model = getModel(id);
      expect(model.installed).toBe(installed);
      expect(model.inputRange).toEqual([0, 1]);
      if (!installed) expect(model.paths).toBeUndefined();
    }
  });

  it('finds a thick package when one is present', async () => {
    const root = await mkdtemp(join(tmpdir(), 'upframe-thick-'));
    await mkdir(join(root, 'models/x4'), { recursive: true });
    await writeFile(join(root, 'models/x4/model.json'), '{}');
    await writeFile(join(root, 'models/x4/group1-shard1of1.bin'), new Uint8Array(100));
    const locate = (name: string) => (name === '@upscalerjs/esrgan-thick' ? root : undefined);
    const thick = getModel('esrgan-thick-x4', { locate });
    expect(thick).toMatchObject({ installed: true, sizeBytes: 102, paths: { modelJson: join(root, 'models/x4/model.json') } });
    expect(thick.paths?.fixture).toBeUndefined();
    expect(getModel('esrgan-thick-x2', { locate }).installed).toBe(false);
    expect(getModel('esrgan-slim-x2', { locate }).installed).toBe(false);
  });

  it('rejects an unknown id with MODEL_NOT_FOUND listing the valid ones', () => {
    try {
      getModel('esrgan-slim-x8');
      expect.unreachable();
    } catch (error) {
      expect(isUpframeError(error, 'MODEL_NOT_FOUND')).toBe(true);
      for (const id of MODEL_IDS) expect((error as Error).message).toContain(id);
    }
  });

  it('says how to install a known but missing model', () => {
    const locate = () => undefined;
    expect(() => requireInstalledModel('esrgan-medium-x3', { locate })).toThrow(/needs the npm package @upscalerjs\/esrgan-medium/);
    try {
      requireInstalledModel('esrgan-thick-x2', { locate });
    } catch (error) {
      expect((error as { hint?: string }).hint).toBe('Install it next to upframe: npm install @upscalerjs/esrgan-thick@1.0.0');
    }
    expect(requireInstalledModel('esrgan-slim-x3').paths.modelJson).toContain('esrgan-slim');
  });
});

describe('locatePackage', () => {
  it('finds packages whose exports map hides package.json', () => {
    const root = locatePackage('@upscalerjs/esrgan-slim');
    expect(root && existsSync(join(root, 'models/x2/model.json'))).toBe(true);
  });

  it('returns undefined for a package that is not installed', () => {
    expect(locatePackage('@upscalerjs/no-such-model')).toBeUndefined();
  });
});
