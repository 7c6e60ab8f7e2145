import { createRequire } from 'node:module';
import { UpframeError, type BackendOptions } from '@upframe/core';
import { installCommand, TFJS_NODE_GPU } from './runtime-packages.js';

const require = createRequire(import.meta.url);

/** Whether `packageName` resolves from here, without loading it. */
export function isInstalled(packageName: string): boolean {
  try {
    require.resolve(packageName);
    return true;
  } catch {
    return false;
  }
}

/**
 * The error a CUDA request ends in when tfjs-node-gpu is not installed, or `undefined` when it
 * may work. Checked before TensorFlow.js is imported: `--backend auto` tries tfjs on CUDA on
 * every machine, and ~0.5 s of imports only to learn the package is missing would slow every run.
 * The message is the one runtime selection gives for the same case. `cuda:N` (N > 0) is left to
 * the backend, whose answer (CUDA_VISIBLE_DEVICES) is the more useful one there.
 */
export function missingGpuRuntime(options: Pick<BackendOptions, 'device' | 'extra'>, installed = isInstalled): UpframeError | undefined {
  if (options.device !== 'cuda' && options.device !== 'cuda:0') return undefined;
  if (options.extra?.runtime !== undefined || installed(TFJS_NODE_GPU)) return undefined;
  const install = installCommand(TFJS_NODE_GPU);
  return new UpframeError('DEVICE_UNAVAILABLE', `device ${options.device} needs ${TFJS_NODE_GPU} with a working CUDA GPU: tfjs-node-gpu: not installed (${install})`, {
    hint: `Install it: ${install}. Or use --device cpu (or --backend onnx, which has its own CUDA provider).`,
  });
}
