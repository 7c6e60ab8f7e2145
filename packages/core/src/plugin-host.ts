import { createRequire } from 'node:module';
import type { DependencyContainer } from 'tsyringe';
import { tagPluginError, UpframeError } from './errors.js';
import { silentLogger, type Logger } from './logger.js';
import { PLUGIN_API_VERSION } from './plugin-api/api-version.js';
import type { PluginEntry, PluginHost, PluginRegistrar } from './plugin-api/define-plugin.js';
import type { NamedRegistry, RegistryEntry } from './registry.js';
import { TOKENS } from './tokens.js';

/** The version of this `@upframe/core` (read once; `../package.json` from both `src/` and `dist/`). */
export const UPFRAME_VERSION: string = (createRequire(import.meta.url)('../package.json') as { version: string }).version;

/**
 * Adapts a plugin's entry (`create(options, context)`) to a registry entry
 * (`create(container, options)`, the shape built-ins use), so the container never reaches
 * plugin code. Errors thrown while building the stage are tagged with the plugin's name.
 */
export function toRegistryEntry<T, O>(entry: PluginEntry<T, O>, plugin: string, fallbackLogger: Logger, origin?: string): RegistryEntry<T, O> {
  if (typeof entry !== 'object' || entry === null || typeof entry.create !== 'function' || typeof entry.name !== 'string') {
    throw new UpframeError('USAGE', `plugin "${plugin}" added an entry without a name and a create(options, context) function`, { plugin });
  }
  return {
    name: entry.name,
    description: typeof entry.description === 'string' ? entry.description : '',
    priority: entry.priority,
    options: entry.options,
    origin,
    create(container: DependencyContainer, options: O): T {
      // The run's container may carry a different logger (quiet runs) than the one at registration.
      const logger = container.isRegistered(TOKENS.Logger, true) ? container.resolve(TOKENS.Logger) : fallbackLogger;
      try {
        return entry.create(options, { logger, plugin });
      } catch (error) {
        throw tagPluginError(plugin, error);
      }
    },
  };
}

/** The registry is looked up on use, so a host over a container lacking one fails only if it is used. */
function registrar<T, O>(registry: () => NamedRegistry<T, O>, plugin: string, logger: Logger, origin?: string): PluginRegistrar<T, O> {
  return Object.freeze({
    add: (entry: PluginEntry<T, O>) => void registry().add(toRegistryEntry(entry, plugin, logger, origin)),
    has: (name: string) => registry().has(name),
    names: () => registry().names(),
  });
}

/**
 * The facade a versioned plugin's `register(host, options)` receives: the registries of
 * `container`, wrapped so entries are adapted, and the logger. `origin` is what
 * `upframe backends` shows as where an entry came from (the module the user named).
 */
export function createPluginHost(container: DependencyContainer, plugin: string, origin?: string): PluginHost {
  const logger = container.isRegistered(TOKENS.Logger, true) ? container.resolve(TOKENS.Logger) : silentLogger;
  return Object.freeze({
    apiVersion: PLUGIN_API_VERSION,
    upframeVersion: UPFRAME_VERSION,
    logger,
    backends: registrar(() => container.resolve(TOKENS.Backends), plugin, logger, origin),
    dedupe: registrar(() => container.resolve(TOKENS.Dedupe), plugin, logger, origin),
    formats: registrar(() => container.resolve(TOKENS.FormatSelectors), plugin, logger, origin),
  });
}
