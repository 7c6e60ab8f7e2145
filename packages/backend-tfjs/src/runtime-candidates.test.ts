import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { isUpframeError } from '@upframe/core';
import { defaultRuntimeCandidates, wasmBinaryDir } from './runtime-candidates.js';
import { selectRuntime } from './runtime-selection.js';

// These run the real loaders on this machine, where neither native tfjs package is installed
// (their install downloads libtensorflow from outside the npm registry).
describe('runtime selection on this machine', () => {
  it('ranks tfjs-node-gpu, tfjs-node, wasm, cpu', () => {
    const ranked = [...defaultRuntimeCandidates()].sort((a, b) => b.priority - a.priority);
    expect(ranked.map((c) => c.id)).toEqual(['tfjs-node-gpu', 'tfjs-node', 'wasm', 'cpu']);
    expect(ranked.filter((c) => c.gpu).map((c) => c.id)).toEqual(['tfjs-node-gpu']);
  });

  it('finds the wasm binaries in the package folder', () => {
    expect(existsSync(join(wasmBinaryDir(), 'tfjs-backend-wasm-simd.wasm'))).toBe(true);
  });

  it('insists on tfjs-node-gpu for cuda and says how to install it', async () => {
    const error = await selectRuntime(defaultRuntimeCandidates(), 'cuda').catch((e: unknown) => e);
    expect(isUpframeError(error, 'DEVICE_UNAVAILABLE')).toBe(true);
    expect((error as Error).message).toContain('@tensorflow/tfjs-node-gpu');
    expect((error as Error).message).toContain('tfjs-node-gpu: not installed');
    expect((error as { hint: string }).hint).toContain('npm i @tensorflow/tfjs-node-gpu@4.22.0, see docs/gpu.md');
    // Nothing was activated by the failed attempt.
    expect((tf.engine() as { backendName?: string | null }).backendName ?? null).toBeNull();
  });

  it('takes wasm with SIMD and says why the native runtimes were skipped', async () => {
    const { runtime, skipped } = await selectRuntime(defaultRuntimeCandidates(), 'auto');
    expect(runtime).toMatchObject({ id: 'wasm', provider: 'wasm-simd', device: 'cpu', tfBackend: 'wasm' });
    expect(tf.getBackend()).toBe('wasm');
    expect(skipped).toEqual([
      'tfjs-node-gpu: not installed (npm i @tensorflow/tfjs-node-gpu@4.22.0, see docs/gpu.md)',
      'tfjs-node: not installed (npm i @tensorflow/tfjs-node@4.22.0, see docs/gpu.md)',
    ]);
    expect(runtime.warnings.join(' ')).toMatch(/single-threaded/);
    // The wasm runtime really computes.
    expect(Array.from(tf.tidy(() => tf.add(tf.tensor1d([1, 2]), tf.tensor1d([3, 4])).dataSync()))).toEqual([4, 6]);
  });

  it('skips the GPU candidate without trying it for device cpu', async () => {
    const { runtime, skipped } = await selectRuntime(defaultRuntimeCandidates(), 'cpu');
    expect(runtime.id).toBe('wasm');
    expect(skipped[0]).toBe('tfjs-node-gpu: skipped (--device cpu)');
  });

  it('loads plain cpu when it is the only candidate', async () => {
    const { runtime } = await selectRuntime(defaultRuntimeCandidates().filter((c) => c.id === 'cpu'), 'auto');
    expect(runtime).toMatchObject({ id: 'cpu', provider: 'cpu' });
    expect(tf.getBackend()).toBe('cpu');
  });
});
