import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** Finds the root folder of an installed npm package, or `undefined` when it is not installed. */
export type PackageLocator = (packageName: string) => string | undefined;

const require = createRequire(import.meta.url);

export const locatePackage: PackageLocator = (packageName) => {
  try {
    return dirname(require.resolve(`${packageName}/package.json`));
  } catch (error) {
    // The upscalerjs packages have an `exports` map without "./package.json", so Node refuses
    // that subpath even when the package is installed; look where Node itself would look.
    if ((error as NodeJS.ErrnoException).code !== 'ERR_PACKAGE_PATH_NOT_EXPORTED') return undefined;
    for (const dir of require.resolve.paths(packageName) ?? []) {
      const candidate = join(dir, packageName);
      if (existsSync(join(candidate, 'package.json'))) return candidate;
    }
    return undefined;
  }
};

/** Total size of the regular files directly inside `dir` (a model folder: model.json + shards). */
export function directorySize(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isFile()) total += statSync(join(dir, entry.name)).size;
  }
  return total;
}
