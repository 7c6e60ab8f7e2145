import { describe, expect, it } from 'vitest';
import { planExecution, type CudaEnvironment } from './execution-providers.js';
import { FP16_ON_CPU_WARNING, choosePrecision } from './graph-precision.js';

const BIN = '/m/node_modules/onnxruntime-node/bin/napi-v6/linux/x64';
const CPU_ONLY = ['libonnxruntime.so.1', 'onnxruntime_binding.node'];
const WITH_CUDA = [...CPU_ONLY, 'libonnxruntime_providers_cuda.so', 'libonnxruntime_providers_shared.so'];
const env = (over: Partial<CudaEnvironment> = {}): CudaEnvironment => ({ platform: 'linux', binDir: BIN, binFiles: WITH_CUDA, driverLoaded: true, gpuCount: 1, ...over });

describe('choosePrecision', () => {
  it('auto is fp16 where the plan runs on CUDA, fp32 on the CPU', () => {
    expect(choosePrecision('auto', planExecution('auto', env()))).toEqual({ precision: 'fp16' });
    expect(choosePrecision(undefined, planExecution('cuda:0', env()))).toEqual({ precision: 'fp16' });
    expect(choosePrecision('auto', planExecution('auto', env({ binFiles: CPU_ONLY })))).toEqual({ precision: 'fp32' });
    expect(choosePrecision('auto', planExecution('cpu', env()))).toEqual({ precision: 'fp32' });
  });

  it('fp32 is fp32 everywhere; fp16 on the CPU runs fp32 with one warning', () => {
    expect(choosePrecision('fp32', planExecution('cuda', env()))).toEqual({ precision: 'fp32' });
    expect(choosePrecision('fp16', planExecution('cuda', env()))).toEqual({ precision: 'fp16' });
    const cpu = choosePrecision('fp16', planExecution('auto', env({ driverLoaded: false, binFiles: CPU_ONLY, gpuCount: undefined })));
    expect(cpu).toEqual({ precision: 'fp32', warning: FP16_ON_CPU_WARNING });
    expect(cpu.warning).toMatch(/--precision fp16 runs on CUDA only/);
  });
});
