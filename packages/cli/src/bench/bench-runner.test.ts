import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { register as registerOnnx } from '@upframe/backend-onnx';
import { register as registerTfjs } from '@upframe/backend-tfjs';
import { TOKENS, UpframeError, createUpframeContainer, silentLogger, type InferenceBackend } from '@upframe/core';
import { benchFrames } from './bench-frames.js';
import { runBench } from './bench-runner.js';

function brokenBackend(): InferenceBackend {
  return {
    name: 'broken',
    scale: 2,
    capabilities: () => ({ devices: ['cuda'], modelFormats: ['onnx'], maxBatch: 1 }),
    initialize: async () => {
      throw new UpframeError('DEVICE_UNAVAILABLE', 'no GPU in this test');
    },
    info: () => {
      throw new Error('not initialised');
    },
    run: async () => [],
    dispose: async () => undefined,
  };
}

const cacheDir = mkdtempSync(join(tmpdir(), 'upframe-bench-'));

describe('runBench with the real onnx and tfjs backends', () => {
  it('times both on the same two frames, checks parity against the first and lists the one that fails', async () => {
    const container = createUpframeContainer({ logger: silentLogger });
    registerOnnx(container);
    registerTfjs(container);
    container.resolve(TOKENS.Backends).add({ name: 'broken', description: 'always fails', create: () => brokenBackend() });
    const { frames } = await benchFrames({ width: 24, height: 16, count: 2 });
    const events: string[] = [];
    const run = await runBench(container, { backends: ['onnx', 'broken', 'tfjs'], model: 'esrgan-slim-x2', device: 'cpu', batch: 2, warmup: 1, cacheDir }, frames, {
      onEvent: (line) => events.push(line),
    });

    expect(run.results.map((r) => r.backend)).toEqual(['onnx', 'tfjs']);
    const [onnx, tfjs] = run.results;
    expect(onnx!.parity).toBeNull();
    expect(onnx!.runtime).toMatch(/onnxruntime-node/);
    expect(tfjs!.runtime).toBe('wasm-simd');
    expect(tfjs!.parity).toMatchObject({ against: 'onnx' });
    expect(tfjs!.parity!.maxAbsDiff).toBeLessThanOrEqual(1);
    expect(tfjs!.parity!.psnr).toBeGreaterThan(60);
    for (const r of run.results) {
      expect(r.fps).toBeGreaterThan(0);
      expect(r.msPerFrame.p50).toBeGreaterThan(0);
      expect(r.msPerFrame.p95).toBeGreaterThanOrEqual(r.msPerFrame.p50);
      expect(r.initMs).toBeGreaterThan(0);
      expect(r.peakRssMb).toBeGreaterThan(10);
    }
    // esrgan-slim-x2 is 445 088 FLOP per input pixel; tfjs reports no FLOPs.
    expect(onnx!.gflops).toBeCloseTo((445_088 * frames[0]!.width * frames[0]!.height * onnx!.fps) / 1e9, 6);
    expect(tfjs!.gflops).toBeUndefined();
    expect(run.failed).toEqual([{ backend: 'broken', stage: 'initialize', code: 'DEVICE_UNAVAILABLE', reason: 'no GPU in this test' }]);
    expect(events.some((e) => e.startsWith('tfjs: wasm-simd on cpu'))).toBe(true);
    expect(events).toContain('broken: initialize failed: no GPU in this test');
  });

  it('uses the first backend that ran as the reference when an earlier one fails', async () => {
    const container = createUpframeContainer({ logger: silentLogger });
    registerTfjs(container);
    container.resolve(TOKENS.Backends).add({ name: 'broken', description: 'always fails', create: () => brokenBackend() });
    const { frames } = await benchFrames({ width: 8, height: 8, count: 1 });
    const run = await runBench(container, { backends: ['broken', 'tfjs'], model: 'esrgan-slim-x2', device: 'auto', batch: 1, warmup: 0 }, frames, {
      signal: new AbortController().signal,
    });
    expect(run.results.map((r) => [r.backend, r.parity])).toEqual([['tfjs', null]]);
    const cancelled = new AbortController();
    cancelled.abort(new Error('stop'));
    await expect(runBench(container, { model: 'esrgan-slim-x2', device: 'auto', batch: 1, warmup: 0 }, frames, { signal: cancelled.signal })).rejects.toMatchObject({ code: 'CANCELLED' });
  });
});
