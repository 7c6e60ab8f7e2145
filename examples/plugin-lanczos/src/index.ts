import type { DependencyContainer } from 'tsyringe';
import { TOKENS, type BackendOptions } from '@upframe/core';
import { LanczosBackend } from './lanczos-backend.js';

export { LanczosBackend, KERNELS, parseModelId } from './lanczos-backend.js';
export type { Kernel } from './lanczos-backend.js';

/** The plugin: load with `upframe … --plugin upframe-plugin-lanczos --backend lanczos`. */
const plugin = {
  name: 'lanczos',
  register(container: DependencyContainer): void {
    container.resolve(TOKENS.Backends).add({
      name: 'lanczos',
      description: 'Lanczos/bicubic resampling on sharp (non-ML baseline)',
      priority: 1,
      origin: 'upframe-plugin-lanczos',
      create: (_c, options: BackendOptions) => new LanczosBackend(options),
    });
  },
};

export default plugin;
