// Names only, no TensorFlow.js import: register.ts reads these to refuse a CUDA run before paying
// for loading tfjs (runtime-candidates.ts, which loads the runtimes, re-exports them).

export const TFJS_NODE_GPU = '@tensorflow/tfjs-node-gpu';
export const TFJS_NODE = '@tensorflow/tfjs-node';
export const TFJS_WASM = '@tensorflow/tfjs-backend-wasm';
export const TFJS_CPU = '@tensorflow/tfjs-backend-cpu';

/** The native packages must match the tfjs-core this package depends on. */
const TFJS_VERSION = '4.22.0';

/** What to run to get an optional native runtime. */
export function installCommand(packageName: string): string {
  return `npm i ${packageName}@${TFJS_VERSION}, see docs/gpu.md`;
}
