import { UpframeError, type DeviceRequest } from '@upframe/core';

/** An execution provider as onnxruntime-node's session options take it. */
export type ProviderConfig = 'cpu' | { readonly name: 'cuda' | 'tensorrt'; readonly deviceId: number };

/** What decides whether CUDA can work here; {@link probeCudaEnvironment} fills it from the machine. */
export interface CudaEnvironment {
  readonly platform: NodeJS.Platform;
  /** onnxruntime-node's native folder (`bin/napi-v6/linux/x64`), when found. */
  readonly binDir?: string;
  /** File names in `binDir`. */
  readonly binFiles: readonly string[];
  /** Whether the NVIDIA kernel driver is loaded. */
  readonly driverLoaded: boolean;
  /** GPUs the driver lists, when it could be read. */
  readonly gpuCount?: number;
}

export interface ExecutionPlan {
  /** Providers in priority order for the session. */
  readonly providers: readonly ProviderConfig[];
  /** Device string reported in `info()`: `cpu`, `cuda:0`. */
  readonly device: string;
  /** What to try when a GPU session cannot be created (only for `auto`). */
  readonly fallback?: ExecutionPlan;
  readonly warnings: readonly string[];
  /** Normal facts worth one info line (no GPU here, so the CPU), unlike warnings that ask for action. */
  readonly notes?: readonly string[];
}

export const CUDA_INSTALL_COMMAND = 'ONNXRUNTIME_NODE_INSTALL=cuda12 npm explore onnxruntime-node -- node script/install.js';
const DEVICE_FORMS = ['auto', 'cpu', 'cuda', 'cuda:N'] as const;

/** File name of a provider's shared library on `platform`. */
export function providerLibrary(platform: NodeJS.Platform, provider: 'cuda' | 'tensorrt'): string {
  return platform === 'win32' ? `onnxruntime_providers_${provider}.dll` : `libonnxruntime_providers_${provider}.so`;
}

/** Why CUDA (and TensorRT when asked) cannot run here, with the fix; `undefined` when nothing is missing. */
export function cudaProblem(env: CudaEnvironment, deviceId: number, tensorrt = false): { reason: string; hint: string } | undefined {
  if (env.platform !== 'linux' && env.platform !== 'win32') {
    return { reason: `onnxruntime-node has no CUDA provider on ${env.platform}`, hint: 'Use --device cpu.' };
  }
  // The driver first: without a GPU, installing the provider would not help.
  if (!env.driverLoaded) {
    return { reason: 'no NVIDIA driver is loaded (/proc/driver/nvidia/version is missing)', hint: 'Check that nvidia-smi lists your GPU, or use --device cpu.' };
  }
  const wanted = tensorrt ? (['cuda', 'tensorrt'] as const) : (['cuda'] as const);
  for (const provider of wanted) {
    const lib = providerLibrary(env.platform, provider);
    if (!env.binFiles.includes(lib)) {
      return {
        reason: `the ${provider === 'cuda' ? 'CUDA' : 'TensorRT'} provider of onnxruntime-node is not installed (${lib} is missing from ${env.binDir ?? 'onnxruntime-node/bin'})`,
        hint: `Install it with: ${CUDA_INSTALL_COMMAND} (downloads from api.nuget.org; needs CUDA 12 and cuDNN 9 on the library path), or use --device cpu.`,
      };
    }
  }
  if (env.gpuCount !== undefined && deviceId >= env.gpuCount) {
    return { reason: `GPU ${deviceId} does not exist; the NVIDIA driver lists ${env.gpuCount}`, hint: `Use cuda:0 … cuda:${Math.max(env.gpuCount - 1, 0)}, or --device cpu.` };
  }
  return undefined;
}

/** Why this machine has no NVIDIA GPU at all (as opposed to a GPU that upframe cannot use yet). */
function noGpuHere(env: CudaEnvironment): string | undefined {
  if (env.platform !== 'linux' && env.platform !== 'win32') return `onnxruntime-node has no CUDA provider on ${env.platform}`;
  if (!env.driverLoaded) return 'no NVIDIA GPU driver here (/proc/driver/nvidia is absent)';
  return undefined;
}

function parseDevice(request: string): { kind: 'auto' | 'cpu' | 'cuda'; deviceId: number } {
  if (request === 'auto' || request === 'cpu' || request === 'cuda') return { kind: request, deviceId: 0 };
  const match = /^cuda:(\d+)$/.exec(request);
  if (match) return { kind: 'cuda', deviceId: Number(match[1]) };
  throw new UpframeError('USAGE', `unknown device "${request}"; allowed: ${DEVICE_FORMS.join(', ')}`, { hint: `Pick one of ${DEVICE_FORMS.join(', ')}.` });
}

const CPU_PLAN: ExecutionPlan = { providers: ['cpu'], device: 'cpu', warnings: [] };

/**
 * Chooses execution providers for a device request. `auto` uses CUDA when nothing is missing
 * (keeping CPU as the fallback); on a machine without an NVIDIA driver it runs on the CPU with a
 * note, and with a driver but something missing on the CPU with a warning saying why; an explicit `cuda`
 * that cannot work throws `DEVICE_UNAVAILABLE` naming the missing piece and the fix.
 */
export function planExecution(request: DeviceRequest | string, env: CudaEnvironment, options: { tensorrt?: boolean } = {}): ExecutionPlan {
  const { kind, deviceId } = parseDevice(request);
  if (kind === 'cpu') return CPU_PLAN;
  const noGpu = noGpuHere(env);
  // Without an NVIDIA driver the CPU is the normal place to run: nothing to fix, so no warning.
  if (kind === 'auto' && noGpu) return { ...CPU_PLAN, notes: [`running on the CPU: ${noGpu}`] };
  const problem = cudaProblem(env, deviceId, options.tensorrt);
  if (problem && kind === 'cuda') {
    throw new UpframeError('DEVICE_UNAVAILABLE', `device ${request} is unavailable: ${problem.reason}`, { hint: problem.hint });
  }
  if (problem && options.tensorrt && !cudaProblem(env, deviceId)) {
    // auto with TensorRT missing: CUDA alone still beats the CPU.
    const plan = planExecution(request, env);
    return { ...plan, warnings: [`TensorRT skipped, running on CUDA: ${problem.reason}.`] };
  }
  if (problem) return { ...CPU_PLAN, warnings: [`CUDA skipped, running on CPU: ${problem.reason}. ${problem.hint}`] };
  const gpu: ProviderConfig[] = [{ name: 'cuda', deviceId }];
  if (options.tensorrt) gpu.unshift({ name: 'tensorrt', deviceId });
  return { providers: [...gpu, 'cpu'], device: `cuda:${deviceId}`, fallback: kind === 'auto' ? CPU_PLAN : undefined, warnings: [] };
}
