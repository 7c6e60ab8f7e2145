import { stat } from 'node:fs/promises';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TOKENS, createUpframeContainer, isUpframeError, nvidiaDriverPresent, type Image } from '@upframe/core';
import { MODEL_IDS, getModel } from '@upframe/models';
import { describe, expect, it } from 'vitest';
import { probeCudaEnvironment } from './cuda-probe.js';
import { CUDA_INSTALL_COMMAND, cudaProblem } from './execution-providers.js';
import { OnnxBackend } from './onnx-backend.js';
import { register } from './register.js';
import { createBackend } from './test-support/backend-harness.js';

function noise(width: number, height: number, seed: number): Image {
  const data = new Uint8Array(width * height * 3);
  for (let i = 0; i < data.length; i++) data[i] = ((i + 1) * 2654435761 * (seed + 1)) >>> 24;
  return { width, height, channels: 3, data };
}

describe('registration', () => {
  it('adds "onnx" to the backend registry and creates an OnnxBackend per call', () => {
    const container = createUpframeContainer();
    register(container);
    const registry = container.resolve(TOKENS.Backends);
    expect(registry.get('onnx')).toMatchObject({ name: 'onnx', origin: '@upframe/backend-onnx' });
    const a = registry.create(container, 'onnx', { model: 'esrgan-slim-x2', device: 'cpu' });
    const b = registry.create(container, 'onnx', { model: 'esrgan-slim-x3', device: 'cpu' });
    expect(a).toBeInstanceOf(OnnxBackend);
    expect(a).not.toBe(b);
    expect(a.capabilities()).toMatchObject({ maxBatch: 8, modelFormats: ['onnx', 'tfjs-layers', 'ncnn'] });
  });
});

describe('devices', () => {
  const problem = cudaProblem(probeCudaEnvironment(), 0);

  it('auto runs on CPU here: one info line without an NVIDIA driver, a warning when a driver is there', async () => {
    const { backend, logger } = createBackend({ model: 'esrgan-slim-x2', device: 'auto' });
    await backend.initialize();
    if (!nvidiaDriverPresent()) {
      expect(backend.info()).toMatchObject({ device: 'cpu', provider: 'onnxruntime-node cpu' });
      expect(backend.info().warnings).toEqual([]);
      expect(logger.messages.filter((m) => m.level === 'info' && /running on the CPU: no NVIDIA GPU driver here/.test(m.message))).toHaveLength(1);
    } else if (problem) {
      expect(backend.info()).toMatchObject({ device: 'cpu', provider: 'onnxruntime-node cpu' });
      expect(backend.info().warnings.join('\n')).toContain(`CUDA skipped, running on CPU: ${problem.reason}`);
      // The backend reports it through info(); the pipeline logs it once as a warning.
      expect(logger.messages.some((m) => m.level === 'debug' && m.message.includes(problem.reason))).toBe(true);
    } else {
      expect(backend.info().device).toMatch(/^(cuda:0|cpu)$/);
    }
    await backend.dispose();
  });

  it('an explicit cuda that cannot load fails with DEVICE_UNAVAILABLE naming the fix', async () => {
    const { backend } = createBackend({ model: 'esrgan-slim-x2', device: 'cuda' });
    const outcome = await backend.initialize().then(() => backend.info().device, (e: unknown) => e);
    if (problem) {
      expect(isUpframeError(outcome, 'DEVICE_UNAVAILABLE')).toBe(true);
      expect((outcome as Error).message).toContain(problem.reason);
      if (problem.reason.includes('providers_cuda')) expect((outcome as { hint?: string }).hint).toContain(CUDA_INSTALL_COMMAND);
    } else {
      expect(outcome).toBe('cuda:0');
    }
    await backend.dispose();
  });

  it('rejects an unknown device listing the allowed ones', async () => {
    const { backend } = createBackend({ model: 'esrgan-slim-x2', device: 'gpu' as 'cpu' });
    await expect(backend.initialize()).rejects.toThrow(/unknown device "gpu"; allowed: auto, cpu, cuda, cuda:N/);
  });
});

describe('models', () => {
  it('names every valid id for an unknown model', async () => {
    const { backend } = createBackend({ model: 'esrgan-huge-x2' });
    const error = await backend.initialize().catch((e: unknown) => e);
    expect(isUpframeError(error, 'MODEL_NOT_FOUND')).toBe(true);
    for (const id of MODEL_IDS) expect((error as Error).message).toContain(id);
  });

  it('explains how to install esrgan-thick when it is missing', async () => {
    const { backend } = createBackend({ model: 'esrgan-thick-x4' });
    const outcome = await backend.initialize().then(() => 'loaded', (e: unknown) => e);
    if (getModel('esrgan-thick-x4').installed) expect(outcome).toBe('loaded');
    else expect((outcome as { hint?: string }).hint).toContain('npm install @upscalerjs/esrgan-thick');
    await backend.dispose();
  });

  it('converts once, then loads the cached ONNX on the next initialize', async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), 'upframe-cache-test-'));
    const first = createBackend({ model: 'esrgan-slim-x3', cacheDir });
    await first.backend.initialize();
    const converted = first.logger.messages.find((m) => m.message.includes('converted to ONNX'));
    const file = /(\/\S+\.onnx)/.exec(converted?.message ?? '')?.[1];
    expect(file).toBeDefined();
    const before = (await stat(file!)).mtimeMs;
    const second = createBackend({ model: 'esrgan-slim-x3', cacheDir });
    await second.backend.initialize();
    expect(second.logger.messages.some((m) => m.message.includes('taken from the ONNX cache'))).toBe(true);
    expect(second.logger.messages.some((m) => m.message.includes('converted to ONNX'))).toBe(false);
    expect((await stat(file!)).mtimeMs).toBe(before);
    await Promise.all([first.backend.dispose(), second.backend.dispose()]);
  });
});

describe('run', () => {
  it('upscales a batch exactly as image by image, also with several runs in flight', async () => {
    const { backend } = createBackend({ model: 'esrgan-slim-x2' });
    await backend.initialize();
    const images = [noise(20, 12, 1), noise(20, 12, 2), noise(20, 12, 3)];
    const copies = images.map((i) => Uint8Array.from(i.data));
    const batched = await backend.run(images);
    const single = await Promise.all(images.map((i) => backend.run([i])));
    expect(batched.map((o) => [o.width, o.height, o.channels])).toEqual(images.map(() => [40, 24, 3]));
    batched.forEach((o, k) => expect(o.data).toEqual(single[k]![0]!.data));
    expect(batched[0]!.data).not.toEqual(batched[1]!.data);
    images.forEach((i, k) => expect(i.data).toEqual(copies[k]));
    await backend.dispose();
  });

  it('rejects batches that break the contract', async () => {
    const { backend } = createBackend({ model: 'esrgan-slim-x2', extra: { maxBatch: 2 } });
    await backend.initialize();
    const bad = [[], [noise(4, 4, 1), noise(5, 4, 1)], [{ ...noise(4, 4, 1), channels: 4 }], [noise(4, 4, 1), noise(4, 4, 2), noise(4, 4, 3)]];
    for (const batch of bad) {
      const error = await backend.run(batch).catch((e: unknown) => e);
      expect(isUpframeError(error, 'INPUT_INVALID')).toBe(true);
    }
    const controller = new AbortController();
    controller.abort();
    await expect(backend.run([noise(4, 4, 1)], controller.signal)).rejects.toMatchObject({ code: 'CANCELLED' });
    await backend.dispose();
    await backend.dispose();
  });

  it('reports the model, scale and a memory estimate', async () => {
    const { backend } = createBackend({ model: 'esrgan-slim-x4' });
    expect(() => backend.info()).toThrow(/before initialize/);
    await backend.initialize();
    expect(backend.scale).toBe(4);
    expect(backend.info().model).toEqual({ id: 'esrgan-slim-x4', scale: 4 });
    // Measured peak RSS growth for slim-x4 is ~5.2 kB per input pixel (scripts/measure.mjs).
    expect(backend.info().bytesPerInputPixel).toBeGreaterThan(4000);
    expect(backend.info().bytesPerInputPixel).toBeLessThan(8000);
    await backend.dispose();
  });
});
