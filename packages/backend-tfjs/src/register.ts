import { LazyBackend, TOKENS, resolveWith, type BackendOptions } from '@upframe/core';
import type { DependencyContainer } from 'tsyringe';
import { TFJS_CAPABILITIES } from './capabilities.js';
import { missingGpuRuntime } from './gpu-precheck.js';
import { TFJS_OPTION_SCHEMA } from './tfjs-options.js';

// This module must stay light: importing TensorFlow.js costs ~0.8 s, so the backend class is
// imported only when `tfjs` is actually chosen (the CLI imports this file, not the package root).

/** Adds the `tfjs` backend to the container's backend registry. */
export function register(container: DependencyContainer): void {
  container.resolve(TOKENS.Backends).add({
    name: 'tfjs',
    description: 'TensorFlow.js: tfjs-node-gpu, tfjs-node, wasm or cpu, whichever loads; esrgan catalog and layers models',
    // Behind onnx: same results, but without tfjs-node its best runtime here is single-threaded wasm.
    priority: 10,
    // `--backend auto`: tfjs-node-gpu after onnx's CUDA but before any CPU; on the CPU last.
    autoCandidates: [{ device: 'cuda', priority: 30 }, { device: 'cpu', priority: 10 }],
    origin: '@upframe/backend-tfjs',
    options: TFJS_OPTION_SCHEMA,
    create: (c, options: BackendOptions) =>
      new LazyBackend('tfjs', TFJS_CAPABILITIES, async () => {
        const missing = missingGpuRuntime(options);
        if (missing) throw missing;
        const { TfjsBackend } = await import('./tfjs-backend.js');
        return resolveWith(c, TfjsBackend, TOKENS.BackendOptions, options);
      }),
  });
}
