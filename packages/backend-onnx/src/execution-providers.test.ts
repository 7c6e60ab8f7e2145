import { isUpframeError } from '@upframe/core';
import { describe, expect, it } from 'vitest';
import { probeCudaEnvironment, type ProbeIo } from './cuda-probe.js';
import { CUDA_INSTALL_COMMAND, planExecution, type CudaEnvironment } from './execution-providers.js';

const BIN = '/m/node_modules/onnxruntime-node/bin/napi-v6/linux/x64';
const CPU_ONLY = ['libonnxruntime.so.1', 'onnxruntime_binding.node'];
const WITH_CUDA = [...CPU_ONLY, 'libonnxruntime_providers_cuda.so', 'libonnxruntime_providers_shared.so'];

const env = (over: Partial<CudaEnvironment> = {}): CudaEnvironment => ({ platform: 'linux', binDir: BIN, binFiles: WITH_CUDA, driverLoaded: true, gpuCount: 2, ...over });

function fails(run: () => unknown): Error & { hint?: string } {
  try {
    run();
  } catch (error) {
    expect(isUpframeError(error, 'DEVICE_UNAVAILABLE')).toBe(true);
    return error as Error & { hint?: string };
  }
  throw new Error('expected DEVICE_UNAVAILABLE');
}

describe('planExecution', () => {
  it('cpu is always the CPU provider alone', () => {
    expect(planExecution('cpu', env({ binFiles: [] }))).toEqual({ providers: ['cpu'], device: 'cpu', warnings: [] });
  });

  it('auto takes CUDA when its provider and driver are there, keeping CPU as the fallback', () => {
    const plan = planExecution('auto', env());
    expect(plan.providers).toEqual([{ name: 'cuda', deviceId: 0 }, 'cpu']);
    expect(plan.device).toBe('cuda:0');
    expect(plan.fallback?.device).toBe('cpu');
  });

  it('auto falls back to CPU with a warning when the provider library is missing', () => {
    const plan = planExecution('auto', env({ binFiles: CPU_ONLY }));
    expect(plan.providers).toEqual(['cpu']);
    expect(plan.warnings[0]).toContain(`libonnxruntime_providers_cuda.so is missing from ${BIN}`);
    expect(plan.warnings[0]).toContain(CUDA_INSTALL_COMMAND);
  });

  it('auto on a machine without an NVIDIA driver runs on the CPU with a note, not a warning', () => {
    const plan = planExecution('auto', env({ binFiles: CPU_ONLY, driverLoaded: false, gpuCount: undefined }));
    expect(plan.device).toBe('cpu');
    expect(plan.warnings).toEqual([]);
    expect(plan.notes?.[0]).toMatch(/running on the CPU: no NVIDIA GPU driver here/);
  });

  it('auto on macOS runs on the CPU with a note', () => {
    const plan = planExecution('auto', env({ platform: 'darwin', binFiles: CPU_ONLY, driverLoaded: false }));
    expect(plan.warnings).toEqual([]);
    expect(plan.notes?.[0]).toContain('no CUDA provider on darwin');
  });

  it('auto keeps the warning when a driver is there but the CUDA provider is missing', () => {
    const plan = planExecution('auto', env({ binFiles: CPU_ONLY, driverLoaded: true }));
    expect(plan.device).toBe('cpu');
    expect(plan.warnings[0]).toContain(CUDA_INSTALL_COMMAND);
  });

  it('explicit cuda without a driver is still an error naming the missing driver', () => {
    expect(fails(() => planExecution('cuda', env({ driverLoaded: false, gpuCount: undefined }))).message).toMatch(/no NVIDIA driver/);
  });

  it('explicit cuda without the provider names the file and the install command', () => {
    const error = fails(() => planExecution('cuda', env({ binFiles: CPU_ONLY })));
    expect(error.message).toContain('libonnxruntime_providers_cuda.so');
    expect(error.hint).toContain('ONNXRUNTIME_NODE_INSTALL=cuda12 npm explore onnxruntime-node -- node script/install.js');
  });

  it('explicit cuda:N checks the GPU exists', () => {
    expect(planExecution('cuda:1', env()).providers[0]).toEqual({ name: 'cuda', deviceId: 1 });
    expect(fails(() => planExecution('cuda:2', env())).message).toContain('GPU 2 does not exist; the NVIDIA driver lists 2');
  });

  it('tensorrt is opt-in and needs its own provider library', () => {
    expect(fails(() => planExecution('cuda', env(), { tensorrt: true })).message).toContain('libonnxruntime_providers_tensorrt.so');
    const plan = planExecution('cuda', env({ binFiles: [...WITH_CUDA, 'libonnxruntime_providers_tensorrt.so'] }), { tensorrt: true });
    expect(plan.providers).toEqual([{ name: 'tensorrt', deviceId: 0 }, { name: 'cuda', deviceId: 0 }, 'cpu']);
    expect(plan.fallback).toBeUndefined();
    const auto = planExecution('auto', env(), { tensorrt: true });
    expect(auto.providers).toEqual([{ name: 'cuda', deviceId: 0 }, 'cpu']);
    expect(auto.warnings[0]).toMatch(/TensorRT skipped, running on CUDA/);
  });

  it('knows macOS has no CUDA provider and Windows uses .dll names', () => {
    expect(planExecution('auto', env({ platform: 'darwin' })).notes?.[0]).toContain('no CUDA provider on darwin');
    const win = env({ platform: 'win32', binFiles: ['onnxruntime_providers_cuda.dll'] });
    expect(planExecution('auto', win).device).toBe('cuda:0');
  });

  it('rejects unknown device strings with USAGE', () => {
    expect(() => planExecution('cuda:x', env())).toThrow(/allowed: auto, cpu, cuda, cuda:N/);
  });
});

describe('probeCudaEnvironment', () => {
  const fakeIo = (files: Record<string, string[]>, existing: string[]): ProbeIo => ({
    readdir: (p) => files[p],
    exists: (p) => existing.includes(p) || p in files,
    ortRoot: () => '/m/node_modules/onnxruntime-node',
  });

  it('lists the newest napi folder for this platform and reads the driver entries', () => {
    const io = fakeIo(
      { '/m/node_modules/onnxruntime-node/bin': ['napi-v3', 'napi-v6'], [BIN]: WITH_CUDA, '/proc/driver/nvidia/gpus': ['0000:01:00.0'] },
      ['/proc/driver/nvidia/version'],
    );
    expect(probeCudaEnvironment(io, 'linux', 'x64')).toEqual({ platform: 'linux', binDir: BIN, binFiles: WITH_CUDA, driverLoaded: true, gpuCount: 1 });
  });

  it('reports no driver and no bin folder when they are absent', () => {
    const env = probeCudaEnvironment(fakeIo({}, []), 'linux', 'x64');
    expect(env).toMatchObject({ binDir: undefined, binFiles: [], driverLoaded: false, gpuCount: undefined });
  });
});
