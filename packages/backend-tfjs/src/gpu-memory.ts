import { execFile } from 'node:child_process';

// The same question backend-onnx's vram-probe.ts asks nvidia-smi; kept here so this package
// does not depend on the onnx one. tfjs-node-gpu always runs on the first visible GPU.

/** Runs a program and resolves to its stdout; rejects on failure or after `timeoutMs`. Tests pass fakes. */
export type CommandRunner = (command: string, args: readonly string[], timeoutMs: number) => Promise<string>;

const execFileRunner: CommandRunner = (command, args, timeoutMs) =>
  new Promise((resolve, reject) => {
    execFile(command, [...args], { encoding: 'utf8', timeout: timeoutMs, windowsHide: true }, (error, stdout) => (error ? reject(error) : resolve(stdout)));
  });

/** Fraction of free VRAM a run plans to use; TensorFlow's own allocator and cuDNN need the rest. */
export const VRAM_FRACTION = 0.7;
/** Batch cap on CUDA, as for onnx: larger batches keep the GPU busy (not measured here: no GPU). */
export const GPU_BATCH_CAP = 8;

/**
 * Free VRAM of the GPU tfjs-node-gpu will use (the first in CUDA_VISIBLE_DEVICES, else GPU 0),
 * as a budget. Must be asked before tfjs-node-gpu loads: TensorFlow reserves most of the GPU
 * for its allocator once it runs, after which nvidia-smi's free figure is close to nothing.
 * `undefined` when nvidia-smi is missing, fails, times out or prints something else.
 */
export async function probeFirstGpuBudget(
  options: { run?: CommandRunner; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<{ bytes: number; detail: string } | undefined> {
  const target = (options.env ?? process.env).CUDA_VISIBLE_DEVICES?.split(',')[0]?.trim() || '0';
  const args = ['--query-gpu=memory.free', '--format=csv,noheader,nounits', '-i', target];
  const stdout = await (options.run ?? execFileRunner)('nvidia-smi', args, options.timeoutMs ?? 5000).catch(() => '');
  const first = stdout.trim().split('\n')[0]?.trim() ?? '';
  const freeMiB = /^\d+(\.\d+)?$/.test(first) ? Number.parseFloat(first) : 0;
  if (!(freeMiB > 0)) return undefined;
  const bytes = Math.floor(freeMiB * 1024 * 1024 * VRAM_FRACTION);
  return { bytes, detail: `${Math.round(freeMiB)} MiB free on GPU ${target} before TensorFlow loaded (nvidia-smi), planning ${Math.round(bytes / (1024 * 1024))} MiB` };
}
