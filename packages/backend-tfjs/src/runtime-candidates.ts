import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { installCommand, TFJS_CPU, TFJS_NODE, TFJS_NODE_GPU, TFJS_WASM } from './runtime-packages.js';
import type { LoadedRuntime, RuntimeCandidate } from './runtime-selection.js';

export { TFJS_NODE_GPU, TFJS_NODE, TFJS_WASM, TFJS_CPU };

const require = createRequire(import.meta.url);

/** Imports a package by a name TypeScript cannot see, so optional peers need no type declarations. */
const importOptional = (name: string): Promise<unknown> => import(name);

/** Activates a registered tfjs backend; tfjs only logs why a backend failed, so say what is known. */
async function activate(name: string, what: string): Promise<void> {
  if (tf.getBackend() === name) return;
  if (!(await tf.setBackend(name))) throw new Error(`${what} is installed, but its "${name}" backend did not initialise (tfjs printed the reason above)`);
}

async function loadNative(id: string, packageName: string, gpu: boolean): Promise<LoadedRuntime> {
  // Resolving first gives Node's own "Cannot find module" (MODULE_NOT_FOUND) for an absent
  // package under every loader, bundlers and test runners included.
  require.resolve(packageName);
  // Importing tfjs-node(-gpu) registers the "tensorflow" backend and loads libtensorflow;
  // it throws here, not later, when the native addon is missing.
  await importOptional(packageName);
  await activate('tensorflow', packageName);
  const onGpu = gpu && (tf.backend() as { isUsingGpuDevice?: boolean }).isUsingGpuDevice === true;
  const warnings = gpu && !onGpu ? [`${packageName} loaded, but TensorFlow found no usable CUDA GPU; it runs on the CPU`] : [];
  return { id, tfBackend: 'tensorflow', provider: onGpu ? 'tfjs-node-gpu' : id === 'tfjs-node' ? 'tfjs-node' : 'tfjs-node-gpu (cpu)', device: onGpu ? 'cuda:0' : 'cpu', warnings };
}

/** Folder holding tfjs-backend-wasm's .wasm binaries, as a path prefix ending in a separator. */
export function wasmBinaryDir(): string {
  return `${dirname(require.resolve(TFJS_WASM))}/`;
}

async function loadWasm(): Promise<LoadedRuntime> {
  const wasm = (await import('@tensorflow/tfjs-backend-wasm')) as typeof import('@tensorflow/tfjs-backend-wasm');
  if (tf.getBackend() !== 'wasm') {
    // Emscripten reads the binary with fs.readFileSync under Node, so a plain directory path
    // works. setWasmPaths refuses once the backend has started, which only a failed earlier
    // attempt could have done; the prefix it kept is this same folder then.
    try {
      wasm.setWasmPaths(wasmBinaryDir());
    } catch {
      /* already initialised once in this process */
    }
    await activate('wasm', TFJS_WASM);
  }
  const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
  return {
    id: 'wasm',
    tfBackend: 'wasm',
    provider: simd ? 'wasm-simd' : 'wasm',
    device: 'cpu',
    // tfjs-backend-wasm turns its thread pool off under Node (tensorflow/tfjs#3830); forcing the
    // flag makes Emscripten start a worker from a blob: URL, which Node's Worker rejects.
    warnings: ['wasm: single-threaded (tfjs-backend-wasm has no thread pool under Node.js); @tensorflow/tfjs-node runs multi-threaded'],
  };
}

async function loadCpu(): Promise<LoadedRuntime> {
  await import('@tensorflow/tfjs-backend-cpu');
  await activate('cpu', TFJS_CPU);
  return {
    id: 'cpu',
    tfBackend: 'cpu',
    provider: 'cpu',
    device: 'cpu',
    warnings: ['cpu: plain-JavaScript kernels, ~33x slower than wasm on esrgan-slim; install @tensorflow/tfjs-node or use --backend onnx'],
  };
}

/**
 * The runtimes the tfjs backend knows, in priority order. wasm ranks above cpu because it
 * measured ~33x faster on esrgan-slim-x2 (see README); the native ones rank above both.
 */
export function defaultRuntimeCandidates(): RuntimeCandidate[] {
  return [
    {
      id: 'tfjs-node-gpu',
      packageName: TFJS_NODE_GPU,
      priority: 40,
      gpu: true,
      install: installCommand(TFJS_NODE_GPU),
      load: () => loadNative('tfjs-node-gpu', TFJS_NODE_GPU, true),
    },
    {
      id: 'tfjs-node',
      packageName: TFJS_NODE,
      priority: 30,
      gpu: false,
      install: installCommand(TFJS_NODE),
      load: () => loadNative('tfjs-node', TFJS_NODE, false),
    },
    { id: 'wasm', packageName: TFJS_WASM, priority: 20, gpu: false, load: loadWasm },
    { id: 'cpu', packageName: TFJS_CPU, priority: 10, gpu: false, load: loadCpu },
  ];
}
