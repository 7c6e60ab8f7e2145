import { definePlugin, type BackendOptions, type OptionSchema } from '@upframe/core/plugin';
import { KERNELS, LanczosBackend } from './lanczos-backend.js';

export { LanczosBackend, KERNELS, parseModelId } from './lanczos-backend.js';
export type { Kernel } from './lanczos-backend.js';

/** What `--backend-opt` may set; upframe checks the user's options against it before a run. */
export const LANCZOS_OPTIONS = {
  kernel: { type: 'enum', values: KERNELS, default: 'lanczos3', description: 'resampling kernel (overrides the one in --model)' },
  scale: { type: 'integer', min: 1, max: 16, default: 2, description: 'upscale factor (overrides the -xN in --model)' },
} as const satisfies OptionSchema;

/** The plugin: load with `upframe … --plugin upframe-plugin-lanczos --backend lanczos`. */
const plugin = definePlugin({
  name: 'lanczos',
  // The API this plugin was written for, as a literal: the host refuses it if it cannot honour it.
  apiVersion: '1.0',
  register(host) {
    host.backends.add({
      name: 'lanczos',
      description: 'Lanczos/bicubic resampling on sharp (non-ML baseline)',
      priority: 1,
      options: LANCZOS_OPTIONS,
      create: (options: BackendOptions) => new LanczosBackend(options),
    });
  },
});

export default plugin;
