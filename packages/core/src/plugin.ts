import type { DependencyContainer } from 'tsyringe';
import { fileURLToPath } from 'node:url';
import { PluginLoadError, PLUGIN_SHAPE_HINT, tagPluginError } from './errors.js';
import { silentLogger } from './logger.js';
import { apiVersionProblem, PLUGIN_API_VERSION } from './plugin-api/api-version.js';
import type { PluginOptions, UpframePluginDefinition } from './plugin-api/define-plugin.js';
import { createPluginHost } from './plugin-host.js';
import { resolvePluginSpecifier } from './plugin-resolve.js';
import { TOKENS } from './tokens.js';

/**
 * The shape plugins had before the versioned API: no `apiVersion`, and `register` receives the
 * DI container. Still loaded, with a deprecation warning, so existing plugins keep working.
 * @deprecated Write plugins with `definePlugin` from `@upframe/core/plugin`.
 */
export interface LegacyUpframePlugin {
  readonly name: string;
  readonly apiVersion?: undefined;
  register(container: DependencyContainer, options?: PluginOptions): void | Promise<void>;
}

/** A loaded plugin module's default export: versioned (`definePlugin`) or legacy. */
export type UpframePlugin = UpframePluginDefinition | LegacyUpframePlugin;

/** A plugin to load: a path or package name, optionally with the user's options for it. */
export type PluginSpecifier = string | readonly [string, PluginOptions];

export function isUpframePlugin(value: unknown): value is UpframePlugin {
  const p = value as Partial<UpframePluginDefinition> | null;
  return (
    typeof p === 'object' &&
    p !== null &&
    typeof p.name === 'string' &&
    p.name.length > 0 &&
    typeof p.register === 'function' &&
    (p.apiVersion === undefined || typeof p.apiVersion === 'string')
  );
}

export function isLegacyPlugin(plugin: UpframePlugin): plugin is LegacyUpframePlugin {
  return plugin.apiVersion === undefined;
}

export interface LoadPluginOptions {
  /**
   * Folders whose `node_modules` (and their parents') are searched for a bare package name, in
   * order. Default: `cwd`, then this package's own folder.
   */
  readonly searchFrom?: readonly string[];
}

/**
 * Import a plugin module by path or package name, unwrap `default`, check its shape and, for a
 * versioned plugin, that its `apiVersion` is one this host provides (same major, minor no newer).
 */
export async function loadPlugin(specifier: string, cwd = process.cwd(), options: LoadPluginOptions = {}): Promise<UpframePlugin> {
  const { url } = resolvePluginSpecifier(specifier, cwd, options.searchFrom);
  let mod: unknown;
  try {
    mod = await import(url);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    // The plugin itself was found (resolution succeeded), so a missing module is one it imports.
    const missingImport = (error as { code?: unknown })?.code === 'ERR_MODULE_NOT_FOUND';
    throw new PluginLoadError(specifier, `importing ${url.startsWith('file:') ? fileURLToPath(url) : url} failed: ${reason}`, error, {
      hint: missingImport
        ? 'The plugin was found, but a package it imports is not installed: install its dependencies in your project (npm i; @upframe/core is its peer dependency).'
        : 'The module was found but threw while loading: fix or reinstall it (UPFRAME_DEBUG=1 prints the stack).',
    });
  }
  let candidate = (mod as { default?: unknown }).default ?? mod;
  // CommonJS modules imported from ESM can nest the export one level deeper.
  if (!isUpframePlugin(candidate) && isUpframePlugin((candidate as { default?: unknown })?.default)) {
    candidate = (candidate as { default: unknown }).default;
  }
  if (!isUpframePlugin(candidate)) {
    throw new PluginLoadError(specifier, 'its default export is not a plugin: definePlugin({ name, apiVersion, register(host, options) })', undefined, { hint: PLUGIN_SHAPE_HINT });
  }
  const problem = candidate.apiVersion === undefined ? undefined : apiVersionProblem(candidate.apiVersion);
  if (problem) throw new PluginLoadError(specifier, `plugin "${candidate.name}": ${problem.reason}`, undefined, { hint: problem.hint, plugin: candidate.name });
  return candidate;
}

export interface RegisterPluginsOptions extends LoadPluginOptions {
  /** Called before each plugin is imported, e.g. to say what is being loaded. */
  readonly onLoad?: (specifier: string) => void;
  /** How long `register()` may take; registration only adds names, so this is generous. */
  readonly timeoutMs?: number;
}

export const PLUGIN_REGISTER_TIMEOUT_MS = 30_000;

/**
 * Rejects when `promise` has not settled after `ms`. The timer is unref'd: a promise that can
 * never settle (nothing left on the event loop) lets the process end, which the CLI reports.
 */
function within<T>(promise: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), ms);
    timer.unref();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function warnLegacy(container: DependencyContainer, plugin: LegacyUpframePlugin, specifier: string): void {
  const logger = container.isRegistered(TOKENS.Logger, true) ? container.resolve(TOKENS.Logger) : silentLogger;
  logger.warn(
    `plugin "${plugin.name}" (${specifier}) declares no apiVersion, so it is loaded as a legacy plugin whose register() receives the DI container; ` +
      `this is deprecated and stops working with plugin API 2.0. Its author can switch to definePlugin({ name, apiVersion: '${PLUGIN_API_VERSION}', register(host, options) }) from '@upframe/core/plugin'.`,
  );
}

/**
 * Load and register plugins in order, each with its options (`{}` when given as a bare string);
 * the first failure stops with a `PluginLoadError` whose cause keeps what the plugin threw.
 */
export async function registerPlugins(
  container: DependencyContainer,
  specifiers: readonly PluginSpecifier[],
  cwd = process.cwd(),
  options: RegisterPluginsOptions = {},
): Promise<UpframePlugin[]> {
  const loaded: UpframePlugin[] = [];
  const ms = options.timeoutMs ?? PLUGIN_REGISTER_TIMEOUT_MS;
  for (const item of specifiers) {
    const [specifier, pluginOptions]: readonly [string, PluginOptions] = typeof item === 'string' ? [item, {}] : item;
    options.onLoad?.(specifier);
    const plugin = await loadPlugin(specifier, cwd, options);
    if (isLegacyPlugin(plugin)) warnLegacy(container, plugin, specifier);
    const register = async () =>
      isLegacyPlugin(plugin)
        ? plugin.register(container, pluginOptions)
        : plugin.register(createPluginHost(container, plugin.name, specifier), pluginOptions);
    try {
      await within(register(), ms, () => new Error(`it did not finish within ${ms / 1000} s`));
    } catch (error) {
      const tagged = tagPluginError(plugin.name, error);
      throw new PluginLoadError(specifier, `register() failed: ${tagged.message.replace(`[${plugin.name}] `, '')}`, tagged, {
        plugin: plugin.name,
        hint: tagged.hint ?? `The plugin "${plugin.name}" refused to register: check the options given to it, or run without it (drop --plugin, or --no-config).`,
      });
    }
    loaded.push(plugin);
  }
  return loaded;
}
