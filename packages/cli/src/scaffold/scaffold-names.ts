import { basename, resolve } from 'node:path';
import { UpframeError } from '@upframe/core';

/** What `upframe plugin init --kind` can write: one entry per host registry. */
export const PLUGIN_KINDS = ['backend', 'dedupe', 'format'] as const;
export type PluginKind = (typeof PLUGIN_KINDS)[number];

/** The flag that selects each kind's entry on `upframe upscale`, for the next-steps text and READMEs. */
export const KIND_FLAG: Record<PluginKind, string> = { backend: '--backend', dedupe: '--dedupe', format: '--format' };

export interface PluginNames {
  /** The npm package name (`upframe-plugin-foo`, `@me/upframe-plugin-foo`): what `--plugin` takes. */
  readonly packageName: string;
  /** The registered name (`foo`): what `--backend` / `--dedupe` / `--format` take. */
  readonly stageName: string;
}

// npm's rules for new packages: lower case, URL-safe, optional scope, at most 214 characters.
const PACKAGE_NAME = /^(?:@[a-z0-9][a-z0-9._~-]*\/)?[a-z0-9][a-z0-9._~-]*$/;
// The host registries' rule (core's registry.ts); a plugin cannot register any other name.
const STAGE_NAME = /^[a-z0-9][a-z0-9._-]*$/;

/**
 * The package name (`--name`, else the target folder's name) and the stage name derived from it:
 * without the scope and an `upframe-plugin-` prefix, the convention `upframe-plugin-lanczos` → `lanczos`.
 */
export function pluginNames(dir: string, name?: string): PluginNames {
  const packageName = name ?? basename(resolve(dir));
  const where = name === undefined ? `the folder name "${packageName}" (used as the package name)` : `--name "${packageName}"`;
  if (packageName.length > 214 || !PACKAGE_NAME.test(packageName)) {
    throw new UpframeError('USAGE', `${where} is not a valid npm package name: use lower-case letters, digits, "-", "." or "_", optionally under a @scope/`, {
      hint: 'Pass --name upframe-plugin-<something> (or @your-scope/upframe-plugin-<something>).',
    });
  }
  const stageName = packageName.replace(/^@[^/]+\//, '').replace(/^upframe-plugin-/, '');
  if (!STAGE_NAME.test(stageName)) {
    throw new UpframeError('USAGE', `${where} gives the stage name "${stageName}", which upframe cannot register: it must start with a letter or digit and use only a-z, 0-9, ".", "_" and "-"`, {
      hint: 'Pass --name upframe-plugin-<name> with such a name.',
    });
  }
  return { packageName, stageName };
}
