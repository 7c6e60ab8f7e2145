import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { UpframeError, type PluginSpecifier } from '@upframe/core';

/** What `upframe.config.json` / `upframe.config.mjs` may hold. */
export interface UpframeConfig {
  /**
   * Plugin modules (paths resolved from the config's directory, or package names), each either
   * `"name"` or `["name", { …options }]`; the options reach the plugin's `register(host, options)`.
   */
  readonly plugins?: readonly PluginSpecifier[];
  /**
   * Default values for `upscale` options (`backend`, `batch`, …, and the `backendOptions`,
   * `dedupeOptions`, `formatOptions` objects); checked key by key in run-options.ts.
   */
  readonly defaults?: Readonly<Record<string, unknown>>;
  /** Extra folders scanned for ncnn models (after `$UPFRAME_MODELS` and the user folder), relative to the config file. */
  readonly modelDirs?: readonly string[];
}

export const CONFIG_FILES = ['upframe.config.mjs', 'upframe.config.json'] as const;

/** Load the first config file found in `cwd`; an unreadable one is an error naming it. */
export async function loadConfig(cwd: string): Promise<{ config: UpframeConfig; file?: string }> {
  for (const name of CONFIG_FILES) {
    const file = join(cwd, name);
    if (!existsSync(file)) continue;
    let raw: unknown;
    try {
      raw = name.endsWith('.json') ? JSON.parse(readFileSync(file, 'utf8')) : ((await import(pathToFileURL(file).href)) as { default?: unknown }).default;
    } catch (error) {
      throw new UpframeError('USAGE', `cannot read ${file}: ${(error as Error).message}`, { file, cause: error });
    }
    return { config: checkConfig(raw, file), file };
  }
  return { config: {} };
}

function checkConfig(raw: unknown, file: string): UpframeConfig {
  if (!isPlainObject(raw)) throw new UpframeError('USAGE', `${file}: expected an object with "plugins" and/or "defaults"`, { file });
  const { plugins, defaults, modelDirs, ...rest } = raw;
  const unknown = Object.keys(rest);
  if (unknown.length) throw new UpframeError('USAGE', `${file}: unknown key "${unknown[0]}"; a config file holds "plugins", "defaults" and "modelDirs"`, { file, hint: PLUGINS_HINT });
  if (modelDirs !== undefined && (!Array.isArray(modelDirs) || !modelDirs.every((d) => typeof d === 'string' && d !== ''))) {
    throw new UpframeError('USAGE', `${file}: "modelDirs" must be an array of folder paths, e.g. ["./models"]`, { file });
  }
  if (defaults !== undefined && !isPlainObject(defaults)) {
    throw new UpframeError('USAGE', `${file}: "defaults" must be an object of upscale options, e.g. { "backend": "onnx", "batch": 4 }`, { file });
  }
  return {
    plugins: plugins === undefined ? undefined : checkPlugins(plugins, file),
    defaults,
    modelDirs: (modelDirs as string[] | undefined)?.map((d) => resolve(dirname(file), d)),
  };
}

const PLUGINS_HINT = 'Example: { "plugins": ["./my-plugin.mjs", ["upframe-plugin-x", { "strength": 2 }]], "defaults": { "backend": "x" } }';

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Each entry is `"name"` or `["name", { …options }]`, the pairs core's registerPlugins takes. */
function checkPlugins(plugins: unknown, file: string): PluginSpecifier[] {
  if (!Array.isArray(plugins)) throw new UpframeError('USAGE', `${file}: "plugins" must be an array of "name" or ["name", { options }]`, { file, hint: PLUGINS_HINT });
  return plugins.map((entry: unknown, i): PluginSpecifier => {
    if (typeof entry === 'string' && entry !== '') return entry;
    if (Array.isArray(entry) && entry.length === 2 && typeof entry[0] === 'string' && entry[0] !== '' && isPlainObject(entry[1])) return [entry[0], entry[1]];
    throw new UpframeError('USAGE', `${file}: plugins[${i}] must be "name" or ["name", { options }], got ${JSON.stringify(entry)}`, { file, hint: PLUGINS_HINT });
  });
}
