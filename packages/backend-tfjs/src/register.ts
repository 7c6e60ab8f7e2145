import { TOKENS, resolveWith, type BackendOptions } from '@upframe/core';
import type { DependencyContainer } from 'tsyringe';
import { TfjsBackend } from './tfjs-backend.js';

/** Adds the `tfjs` backend to the container's backend registry. */
export function register(container: DependencyContainer): void {
  container.resolve(TOKENS.Backends).add({
    name: 'tfjs',
    description: 'TensorFlow.js: tfjs-node-gpu, tfjs-node, wasm or cpu, whichever loads; esrgan catalog and layers models',
    // Behind onnx: same results, but without tfjs-node its best runtime here is single-threaded wasm.
    priority: 10,
    origin: '@upframe/backend-tfjs',
    create: (c, options: BackendOptions) => resolveWith(c, TfjsBackend, TOKENS.BackendOptions as symbol, options),
  });
}
