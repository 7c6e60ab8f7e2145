import { describe, expect, it } from 'vitest';
import { isUpframeError } from '@upframe/core';
import { missingGpuRuntime } from './gpu-precheck.js';

describe('missingGpuRuntime', () => {
  const absent = () => false;

  it('refuses cuda before TensorFlow.js is imported when tfjs-node-gpu is not installed, naming the install command', () => {
    const error = missingGpuRuntime({ device: 'cuda' }, absent);
    expect(isUpframeError(error, 'DEVICE_UNAVAILABLE')).toBe(true);
    expect(error?.message).toBe('device cuda needs @tensorflow/tfjs-node-gpu with a working CUDA GPU: tfjs-node-gpu: not installed (npm i @tensorflow/tfjs-node-gpu@4.22.0, see docs/gpu.md)');
    expect(error?.hint).toContain('--device cpu');
    expect(missingGpuRuntime({ device: 'cuda:0' }, absent)).toBeDefined();
  });

  it('leaves everything else to the backend: CPU and auto, an installed package, a pinned runtime, cuda:N', () => {
    expect(missingGpuRuntime({ device: 'cpu' }, absent)).toBeUndefined();
    expect(missingGpuRuntime({ device: 'auto' }, absent)).toBeUndefined();
    expect(missingGpuRuntime({ device: 'cuda' }, () => true)).toBeUndefined();
    expect(missingGpuRuntime({ device: 'cuda', extra: { runtime: 'wasm' } }, absent)).toBeUndefined();
    expect(missingGpuRuntime({ device: 'cuda:1' }, absent)).toBeUndefined();
  });
});
