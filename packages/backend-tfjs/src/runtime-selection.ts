import { UpframeError, type DeviceRequest } from '@upframe/core';

/** A TensorFlow.js runtime that loaded and is now the process's active tfjs backend. */
export interface LoadedRuntime {
  /** Candidate id (`tfjs-node-gpu`, `tfjs-node`, `wasm`, `cpu`). */
  readonly id: string;
  /** Name tfjs knows the backend by (`tensorflow`, `wasm`, `cpu`), for `tf.setBackend`. */
  readonly tfBackend: string;
  /** What `info().provider` reports (`tfjs-node-gpu`, `wasm-simd`, …). */
  readonly provider: string;
  /** Device actually used (`cuda:0`, `cpu`). */
  readonly device: string;
  /** Things the user should know about this runtime itself (no threads, no GPU visible, …). */
  readonly warnings: readonly string[];
}

/** One runtime the tfjs backend may use, with a loader that imports it only when called. */
export interface RuntimeCandidate {
  readonly id: string;
  /** npm package the loader imports; a missing package is reported as "not installed". */
  readonly packageName: string;
  /** Higher is tried first. */
  readonly priority: number;
  /** Runs on a GPU: skipped for `device: 'cpu'`, the only kind tried for `cuda`. */
  readonly gpu: boolean;
  /** What to do when the package is missing (`npm i …, see docs/gpu.md`). */
  readonly install?: string;
  load(): Promise<LoadedRuntime>;
}

export interface RuntimeSelection {
  readonly runtime: LoadedRuntime;
  /** One line per higher-priority candidate that was not used, saying why. */
  readonly skipped: readonly string[];
}

/** True when `error` says the candidate's own package cannot be found (not one of its dependencies). */
export function isMissingPackage(error: unknown, packageName: string): boolean {
  const e = error as { code?: unknown; message?: unknown } | null;
  const code = typeof e?.code === 'string' ? e.code : '';
  const message = typeof e?.message === 'string' ? e.message : String(error);
  return (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') && message.includes(`'${packageName}'`);
}

/** `tfjs-node: not installed (npm i …)` or `wasm: failed to load (…)`. */
export function describeFailure(candidate: RuntimeCandidate, error: unknown): string {
  if (isMissingPackage(error, candidate.packageName)) {
    return `${candidate.id}: not installed${candidate.install ? ` (${candidate.install})` : ''}`;
  }
  const why = (error instanceof Error ? error.message : String(error)).split('\n')[0];
  return `${candidate.id}: failed to load (${why})`;
}

const wantsGpu = (device: DeviceRequest) => device === 'cuda' || device.startsWith('cuda:');

function byPriority(candidates: readonly RuntimeCandidate[]): RuntimeCandidate[] {
  return [...candidates].sort((a, b) => b.priority - a.priority);
}

/**
 * Loads the highest-priority runtime that works for `device`, trying candidates one at a time.
 * `cpu` skips GPU candidates; `cuda`/`cuda:N` tries only GPU candidates and throws
 * `DEVICE_UNAVAILABLE` naming each one's package and install command when none gives a GPU;
 * `auto` falls back down the list, passing over GPU candidates silently when `gpuPresent` is false. When nothing loads, `BACKEND_INIT_FAILED` lists every failure.
 */
export async function selectRuntime(candidates: readonly RuntimeCandidate[], device: DeviceRequest, options: { gpuPresent?: boolean } = {}): Promise<RuntimeSelection> {
  const gpuOnly = wantsGpu(device);
  const skipped: string[] = [];
  for (const candidate of byPriority(candidates)) {
    if (device === 'cpu' && candidate.gpu) {
      skipped.push(`${candidate.id}: skipped (--device cpu)`);
      continue;
    }
    // `auto` on a machine without an NVIDIA driver: a GPU runtime cannot help, and its absence is no news.
    if (device === 'auto' && candidate.gpu && options.gpuPresent === false) continue;
    if (gpuOnly && !candidate.gpu) continue;
    let runtime: LoadedRuntime;
    try {
      runtime = await candidate.load();
    } catch (error) {
      skipped.push(describeFailure(candidate, error));
      continue;
    }
    if (gpuOnly && !runtime.device.startsWith('cuda')) {
      skipped.push(`${candidate.id}: loaded, but TensorFlow sees no CUDA GPU (${runtime.warnings.join('; ') || 'running on the CPU'})`);
      continue;
    }
    return { runtime, skipped };
  }
  if (gpuOnly) {
    const gpu = byPriority(candidates).filter((c) => c.gpu);
    const packages = gpu.map((c) => c.packageName).join(', ') || '@tensorflow/tfjs-node-gpu';
    const install = gpu.map((c) => c.install).filter(Boolean).join('; ');
    throw new UpframeError('DEVICE_UNAVAILABLE', `device ${device} needs ${packages} with a working CUDA GPU: ${skipped.join('; ') || 'no GPU runtime is known'}`, {
      hint: `${install ? `Install it: ${install}. ` : ''}Or use --device cpu (or --backend onnx, which has its own CUDA provider).`,
    });
  }
  throw new UpframeError('BACKEND_INIT_FAILED', `no TensorFlow.js runtime works here: ${skipped.join('; ') || 'no runtime candidates'}`, {
    hint: 'Reinstall @tensorflow/tfjs-backend-wasm and @tensorflow/tfjs-backend-cpu, or use --backend onnx.',
  });
}
