import { existsSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { PluginLoadError } from './errors.js';
import { resolvePackageEntry } from './package-exports.js';

/** Where a plugin module was found: the URL to import and whether it was named as a path. */
export interface ResolvedPlugin {
  readonly url: string;
  readonly isPath: boolean;
}

/** This package's own folder: the last place a bare name is looked up, as before resolution from the project existed. */
const CORE_DIR = fileURLToPath(new URL('..', import.meta.url));

/** `./x.mjs`, `/abs/x.js`, `file:` URLs, and relative paths naming an existing file are paths. */
export function isPathSpecifier(specifier: string, cwd: string): boolean {
  return specifier.startsWith('.') || specifier.startsWith('file:') || isAbsolute(specifier) || existsSync(resolve(cwd, specifier));
}

/** `@scope/name/sub` → `@scope/name` + `./sub`; undefined for something that is not a package name. */
function splitPackageName(specifier: string): { name: string; subpath: string } | undefined {
  const parts = specifier.split('/');
  const take = specifier.startsWith('@') ? 2 : 1;
  if (parts.length < take || parts.slice(0, take).some((p) => p === '')) return undefined;
  const rest = parts.slice(take).join('/');
  return { name: parts.slice(0, take).join('/'), subpath: rest ? `./${rest}` : '.' };
}

/** The `node_modules/<name>` folders Node would try from `dir` upward, in order. */
function candidateFolders(dir: string, name: string): string[] {
  const found: string[] = [];
  for (let d = resolve(dir); ; d = dirname(d)) {
    if (basename(d) !== 'node_modules') found.push(join(d, 'node_modules', name));
    if (dirname(d) === d) return found;
  }
}

/**
 * Resolve a plugin specifier to an importable URL. Paths resolve against `cwd`. A bare package
 * name is looked up in `node_modules` from each folder of `searchFrom` upward, in order (the
 * user's project first, then the CLI's own install), so a plugin installed next to the
 * project works with a global or `npx` CLI. Not found names every folder searched.
 */
export function resolvePluginSpecifier(specifier: string, cwd: string, searchFrom: readonly string[] = [cwd, CORE_DIR]): ResolvedPlugin {
  if (isPathSpecifier(specifier, cwd)) {
    const url = specifier.startsWith('file:') ? specifier : pathToFileURL(resolve(cwd, specifier)).href;
    if (!existsSync(fileURLToPath(url))) {
      throw new PluginLoadError(specifier, `no file at ${fileURLToPath(url)}`, undefined, {
        hint: 'Check the path (relative paths start from the current folder, or from the config file\'s folder for plugins it lists).',
      });
    }
    return { url, isPath: true };
  }
  const pkg = splitPackageName(specifier);
  const roots = [...new Set(searchFrom.map((d) => resolve(d)))];
  if (!pkg) throw new PluginLoadError(specifier, 'it is neither a path nor a package name', undefined, { hint: 'Name an installed package (my-plugin, @scope/my-plugin) or a file (./my-plugin.mjs).' });
  for (const root of roots) {
    for (const folder of candidateFolders(root, pkg.name)) {
      if (!existsSync(join(folder, 'package.json'))) continue;
      const entry = resolvePackageEntry(folder, pkg.subpath);
      if (entry === undefined || !existsSync(entry)) {
        throw new PluginLoadError(specifier, `package found at ${folder}, but it provides no importable entry for "${pkg.subpath}"${entry ? ` (${entry} is missing)` : ''}`, undefined, {
          hint: `Check the package's "exports" / "main" in ${join(folder, 'package.json')} (an ESM "import" or "default" condition), and that it is built.`,
        });
      }
      return { url: pathToFileURL(entry).href, isPath: false };
    }
  }
  throw new PluginLoadError(specifier, `package "${pkg.name}" is not installed; looked in node_modules from ${roots.join(' and from ')}, up to the filesystem root`, undefined, {
    hint: `Install it in your project: npm i ${pkg.name} (or pass the path to the plugin's file).`,
  });
}
