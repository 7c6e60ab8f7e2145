import { dirname } from 'node:path';
import { register as registerOnnx } from '@upframe/backend-onnx';
import { register as registerTfjs } from '@upframe/backend-tfjs/register';
import { createUpframeContainer, registerPlugins, type Logger, type UpframePlugin } from '@upframe/core';
import { register as registerDedupe } from '@upframe/dedupe';
import { register as registerFormats } from '@upframe/format-auto';
import { register as registerIo } from '@upframe/io';
import type { DependencyContainer } from 'tsyringe';
import { loadConfig } from './config-file.js';

export interface SetupOptions {
  readonly plugins?: readonly string[];
  readonly logger: Logger;
  readonly cwd?: string;
}

/**
 * A fresh container with every built-in package registered, then the config file's plugins,
 * then `--plugin` ones (later registrations under the same name win, so a plugin can replace
 * a built-in on purpose).
 */
export async function setupContainer(options: SetupOptions): Promise<{ container: DependencyContainer; plugins: UpframePlugin[]; defaults: Record<string, unknown> }> {
  const cwd = options.cwd ?? process.cwd();
  const container = createUpframeContainer({ logger: options.logger });
  registerIo(container);
  registerDedupe(container);
  registerFormats(container);
  registerOnnx(container);
  registerTfjs(container);
  const { config, file } = await loadConfig(cwd);
  const plugins = [
    ...(await registerPlugins(container, config.plugins ?? [], file ? dirname(file) : cwd)),
    ...(await registerPlugins(container, options.plugins ?? [], cwd)),
  ];
  return { container, plugins, defaults: { ...(config.defaults ?? {}) } };
}
