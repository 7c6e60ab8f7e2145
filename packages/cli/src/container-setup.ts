import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { register as registerOnnx } from '@upframe/backend-onnx';
import { register as registerTfjs } from '@upframe/backend-tfjs/register';
import { createUpframeContainer, registerPlugins, type Logger, type PluginSpecifier, type UpframePlugin } from '@upframe/core';
import { register as registerDedupe } from '@upframe/dedupe';
import { register as registerFormats } from '@upframe/format-auto';
import { register as registerIo } from '@upframe/io';
import type { DependencyContainer } from 'tsyringe';
import { setActivity } from './activity.js';
import { loadConfig } from './config-file.js';

/** This package's folder (`dist/..`): where a globally installed CLI's own plugins live. */
const CLI_DIR = fileURLToPath(new URL('..', import.meta.url));

export interface SetupOptions {
  /** `--plugin` modules: paths (from `cwd`) or package names, optionally with options. */
  readonly plugins?: readonly PluginSpecifier[];
  readonly logger: Logger;
  readonly cwd?: string;
  /** `false` (`--no-config`) skips `upframe.config.*`. */
  readonly config?: boolean;
  /** Where the one-line notice of a loaded config file goes (stderr). */
  readonly notice?: { write(text: string): unknown };
}

/**
 * A fresh container with every built-in package registered, then the config file's plugins,
 * then `--plugin` ones (later registrations under the same name win, so a plugin can replace
 * a built-in on purpose).
 */
export async function setupContainer(options: SetupOptions): Promise<{ container: DependencyContainer; plugins: UpframePlugin[]; defaults: Record<string, unknown>; modelDirs: readonly string[]; configFile?: string }> {
  const cwd = options.cwd ?? process.cwd();
  const container = createUpframeContainer({ logger: options.logger });
  registerIo(container);
  registerDedupe(container);
  registerFormats(container);
  registerOnnx(container);
  registerTfjs(container);
  setActivity('reading the config file');
  const { config, file } = options.config === false ? { config: {}, file: undefined } : await loadConfig(cwd);
  // A config file is code (or names code): say which one runs, every time, so it is never a surprise.
  if (file) (options.notice ?? process.stderr).write(`upframe: using config ${file} (--no-config to skip it)\n`);
  const onLoad = (specifier: string) => setActivity(`loading plugin "${specifier}"`);
  const configDir = file ? dirname(file) : cwd;
  // Bare names come from the user's project first, so a plugin installed there works with a
  // global or npx CLI; the CLI's own install is the fallback (plugins installed beside it).
  const plugins = [
    ...(await registerPlugins(container, config.plugins ?? [], configDir, { onLoad, searchFrom: [configDir, cwd, CLI_DIR] })),
    ...(await registerPlugins(container, options.plugins ?? [], cwd, { onLoad, searchFrom: [cwd, configDir, CLI_DIR] })),
  ];
  setActivity('running the command');
  return { container, plugins, defaults: { ...(config.defaults ?? {}) }, modelDirs: config.modelDirs ?? [], configFile: file };
}
