import type { DependencyContainer } from 'tsyringe';
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { isAbsolute, resolve } from 'node:path';
import { PluginLoadError } from './errors.js';

/**
 * A plugin: a module whose default export has a name and a `register` function that adds
 * backends, dedupe strategies or format selectors to the container's registries.
 * Plugin authors need no decorators.
 */
export interface UpframePlugin {
  readonly name: string;
  register(container: DependencyContainer, options?: Readonly<Record<string, unknown>>): void | Promise<void>;
}

export function isUpframePlugin(value: unknown): value is UpframePlugin {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as UpframePlugin).name === 'string' &&
    (value as UpframePlugin).name.length > 0 &&
    typeof (value as UpframePlugin).register === 'function'
  );
}

/**
 * Paths (`./x.mjs`, `/abs/x.js`, or `examples/x/dist/index.js` when that file exists) are
 * resolved against `cwd`; anything else is imported as a package name.
 */
function toImportable(specifier: string, cwd: string): string {
  const asPath = resolve(cwd, specifier);
  if (specifier.startsWith('.') || isAbsolute(specifier) || existsSync(asPath)) return pathToFileURL(asPath).href;
  return specifier;
}

/** Import a plugin module by path or package name, unwrap `default`, and check its shape. */
export async function loadPlugin(specifier: string, cwd = process.cwd()): Promise<UpframePlugin> {
  let mod: unknown;
  try {
    mod = await import(toImportable(specifier, cwd));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new PluginLoadError(specifier, `import failed: ${reason}`, error);
  }
  let candidate = (mod as { default?: unknown }).default ?? mod;
  // CommonJS modules imported from ESM can nest the export one level deeper.
  if (!isUpframePlugin(candidate) && isUpframePlugin((candidate as { default?: unknown })?.default)) {
    candidate = (candidate as { default: unknown }).default;
  }
  if (!isUpframePlugin(candidate)) {
    throw new PluginLoadError(specifier, 'its default export is not { name: string, register(container, options) }');
  }
  return candidate;
}

/** Load and register plugins in order; the first failure stops with a `PluginLoadError`. */
export async function registerPlugins(
  container: DependencyContainer,
  specifiers: readonly string[],
  cwd = process.cwd(),
): Promise<UpframePlugin[]> {
  const loaded: UpframePlugin[] = [];
  for (const specifier of specifiers) {
    const plugin = await loadPlugin(specifier, cwd);
    try {
      await plugin.register(container);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new PluginLoadError(specifier, `register() failed: ${reason}`, error);
    }
    loaded.push(plugin);
  }
  return loaded;
}
