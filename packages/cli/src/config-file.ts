import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { UpframeError } from '@upframe/core';

/** What `upframe.config.json` / `upframe.config.mjs` may hold. */
export interface UpframeConfig {
  /** Plugin modules (paths resolved from the config's directory, or package names). */
  readonly plugins?: readonly string[];
  /** Default values for `upscale` options (`backend`, `model`, `device`, `dedupe`, `format`, …). */
  readonly defaults?: Readonly<Record<string, string | number | boolean>>;
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
  if (typeof raw !== 'object' || raw === null) throw new UpframeError('USAGE', `${file}: expected an object with "plugins" and/or "defaults"`, { file });
  const { plugins, defaults } = raw as Record<string, unknown>;
  if (plugins !== undefined && (!Array.isArray(plugins) || plugins.some((p) => typeof p !== 'string'))) {
    throw new UpframeError('USAGE', `${file}: "plugins" must be an array of module paths or package names`, { file });
  }
  if (defaults !== undefined && (typeof defaults !== 'object' || defaults === null)) {
    throw new UpframeError('USAGE', `${file}: "defaults" must be an object`, { file });
  }
  return { plugins: plugins as string[] | undefined, defaults: defaults as UpframeConfig['defaults'] };
}
