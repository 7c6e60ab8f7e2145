import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isUpframeError, type Image } from '@upframe/core';
import { finishFrame, ncnnToOnnx, prepareFrame, readNcnnModel, recogniseNcnnModel } from '@upframe/model-ncnn';
import { describe, expect, it } from 'vitest';
import { createBackend } from './test-support/backend-harness.js';
import { FP16_ON_CPU_WARNING } from './graph-precision.js';
import { prepareNcnnModel } from './ncnn-model-loader.js';
import { writeUpconvLike } from './test-support/ncnn-test-models.js';

function gradient(width: number, height: number): Image {
  const data = new Uint8Array(width * height * 3);
  for (let i = 0; i < width * height; i++) data.set([(i * 7) % 256, (i * 13) % 256, (i % width) * 9], i * 3);
  return { width, height, channels: 3, data };
}

describe('ncnn models on the onnx backend', () => {
  const dir = mkdtempSync(join(tmpdir(), 'upframe-onnx-ncnn-'));
  const param = writeUpconvLike(dir);

  it('runs a .param with its tool profile: same bytes as the tool-style path, from the cache the second time', async () => {
    const cacheDir = join(dir, 'cache');
    const frame = gradient(21, 13);
    const { backend, logger } = createBackend({ model: param, cacheDir });
    await backend.initialize();
    expect(backend.info()).toMatchObject({ model: { id: 'waifu2x-upconv7-2x', scale: 2, family: 'waifu2x-upconv7' } });
    const sha = (f: string) => createHash('sha256').update(readFileSync(f)).digest('hex');
    expect(backend.info().model.files).toEqual([param, param.replace(/\.param$/, '.bin')].map((path) => ({ path, sha256: sha(path) })));
    expect(backend.info().tileSafe).toBeUndefined();
    const [out] = await backend.run([frame]);
    expect([out!.width, out!.height]).toEqual([42, 26]);
    await backend.dispose();

    const profile = recogniseNcnnModel(param)!;
    const model = readNcnnModel(readFileSync(param, 'utf8'), readFileSync(param.replace(/\.param$/, '.bin')), param);
    const plain = ncnnToOnnx(model);
    const input = prepareFrame(frame.data, 21, 13, profile);
    const ort = await import('onnxruntime-node');
    const session = await ort.InferenceSession.create(plain.onnx);
    const result = await session.run({ input: new ort.Tensor('float32', input.data, [1, 3, input.h, input.w]) });
    const t = result.output!;
    const expected = finishFrame({ c: 3, h: t.dims[2]!, w: t.dims[3]!, data: t.data as Float32Array }, input, 21, 13, profile, plain.geometry.shrink);
    await session.release();
    let off = 0;
    for (let i = 0; i < expected.length; i++) off = Math.max(off, Math.abs(expected[i]! - out!.data[i]!));
    expect(off).toBeLessThanOrEqual(1);

    const again = createBackend({ model: param, cacheDir });
    await again.backend.initialize();
    expect(again.logger.messages.some((m) => /waifu2x-upconv7-2x \(waifu2x-upconv7, fp32\) taken from the ONNX cache/.test(m.message))).toBe(true);
    expect(logger.messages.some((m) => /converted from ncnn to ONNX/.test(m.message))).toBe(true);
    await again.backend.dispose();
  });

  it('--precision: fp32 on the CPU (fp16 asked for warns once), reported in info(); fp16 graphs cached apart from fp32', async () => {
    const cacheDir = join(dir, 'cache-precision');
    const { backend } = createBackend({ model: param, cacheDir, device: 'cpu', precision: 'fp16' });
    await backend.initialize();
    expect(backend.info().precision).toBe('fp32');
    expect(backend.info().warnings.filter((w) => w === FP16_ON_CPU_WARNING)).toHaveLength(1);
    await backend.dispose();
    const auto = createBackend({ model: param, cacheDir, device: 'cpu' });
    await auto.backend.initialize();
    expect(auto.backend.info()).toMatchObject({ precision: 'fp32' });
    expect(auto.backend.info().warnings).not.toContain(FP16_ON_CPU_WARNING);
    await auto.backend.dispose();
    const fp32 = await prepareNcnnModel(param, cacheDir, false, undefined, 'fp32');
    const fp16 = await prepareNcnnModel(param, cacheDir, false, undefined, 'fp16');
    expect(fp32.cacheHit).toBe(true);
    expect(fp16.cacheHit).toBe(false);
    expect(typeof fp16.model === 'string' && typeof fp32.model === 'string' && fp16.model !== fp32.model).toBe(true);
    const ort = await import('onnxruntime-node');
    const session = await ort.InferenceSession.create(fp16.model as string);
    expect(session.outputNames).toEqual(['output']);
    await session.release();
    expect((await prepareNcnnModel(param, cacheDir, false, undefined, 'fp16')).cacheHit).toBe(true);
  });

  it('a .param without its .bin is MODEL_NOT_FOUND naming the .bin', async () => {
    const lonely = join(dir, 'models-cunet', 'noise1_model.param');
    mkdirSync(join(dir, 'models-cunet'), { recursive: true });
    writeFileSync(lonely, '7767517\n1 1\nInput in 0 1 data\n');
    const { backend } = createBackend({ model: lonely });
    const error = await backend.initialize().catch((e: unknown) => e);
    expect(isUpframeError(error, 'MODEL_NOT_FOUND')).toBe(true);
    expect((error as Error).message).toMatch(/needs its weights .*noise1_model\.bin beside it/);
  });

  it('a .param whose names no tool uses is MODEL_INPUT_MISMATCH saying which names upframe knows', async () => {
    const other = join(dir, 'mine.param');
    writeFileSync(other, '7767517\n1 1\nInput in 0 1 data\n');
    writeFileSync(join(dir, 'mine.bin'), '');
    const { backend } = createBackend({ model: other });
    const error = await backend.initialize().catch((e: unknown) => e);
    expect(isUpframeError(error, 'MODEL_INPUT_MISMATCH')).toBe(true);
    expect((error as { hint?: string }).hint).toMatch(/models-se\/up2x-conservative\.param/);
  });

  it('backend option modelProfile names the profile of a renamed file', async () => {
    const renamed = join(dir, 'my-upconv.param');
    const { copyFileSync } = await import('node:fs');
    copyFileSync(param, renamed);
    copyFileSync(param.replace(/\.param$/, '.bin'), join(dir, 'my-upconv.bin'));
    const { backend } = createBackend({ model: renamed, cacheDir: join(dir, 'cache2'), extra: { modelProfile: 'waifu2x-upconv7-2x' } });
    await backend.initialize();
    expect(backend.info().model).toMatchObject({ id: 'waifu2x-upconv7-2x', scale: 2 });
    const [out] = await backend.run([gradient(10, 8)]);
    expect([out!.width, out!.height]).toEqual([20, 16]);
    await backend.dispose();
    const wrong = createBackend({ model: renamed, extra: { modelProfile: 'nonsense' } });
    const error = await wrong.backend.initialize().catch((e: unknown) => e);
    expect(isUpframeError(error, 'USAGE')).toBe(true);
    expect((error as Error).message).toMatch(/modelProfile: "nonsense" is not an ncnn model id/);
  });
});
