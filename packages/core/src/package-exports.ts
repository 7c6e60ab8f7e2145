import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The file an `import` of `subpath` (`.` or `./x`) from the package in `dir` loads, following
 * the package's `exports` map with Node's ESM conditions, else `main`, else `index.js`.
 * `require.resolve` cannot do this: it uses the `require` condition, which ESM-only packages
 * (exports `{ import }` only) do not offer. Returns undefined when the package offers nothing
 * for `subpath`.
 */
export function resolvePackageEntry(dir: string, subpath: string): string | undefined {
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { exports?: unknown; main?: unknown };
  if (pkg.exports !== undefined && pkg.exports !== null) {
    const target = exportTarget(pkg.exports, subpath);
    return target === undefined ? undefined : join(dir, target);
  }
  const candidates = subpath === '.' ? [typeof pkg.main === 'string' ? pkg.main : undefined, 'index.js'] : [subpath];
  for (const candidate of candidates) {
    if (candidate === undefined) continue;
    for (const file of [candidate, `${candidate}.js`, `${candidate}.mjs`, join(candidate, 'index.js')]) {
      const path = join(dir, file);
      if (existsSync(path) && statSync(path).isFile()) return path;
    }
  }
  return undefined;
}

const CONDITIONS = new Set(['import', 'node', 'default']);

/** `exports` is a target, a conditions object, or a map of subpaths (keys starting with "."). */
function exportTarget(exports: unknown, subpath: string): string | undefined {
  const isSubpathMap = typeof exports === 'object' && !Array.isArray(exports) && Object.keys(exports as object).some((k) => k.startsWith('.'));
  if (!isSubpathMap) return subpath === '.' ? conditionalTarget(exports, undefined) : undefined;
  const map = exports as Record<string, unknown>;
  if (subpath in map) return conditionalTarget(map[subpath], undefined);
  // Patterns: "./features/*" → "./src/features/*.js"; the longest matching prefix wins, as in Node.
  const patterns = Object.keys(map)
    .filter((k) => k.includes('*') && subpath.startsWith(k.slice(0, k.indexOf('*'))) && subpath.endsWith(k.slice(k.indexOf('*') + 1)))
    .sort((a, b) => b.indexOf('*') - a.indexOf('*'));
  for (const key of patterns) {
    const star = subpath.slice(key.indexOf('*'), subpath.length - (key.length - key.indexOf('*') - 1));
    const target = conditionalTarget(map[key], star);
    if (target !== undefined) return target;
  }
  return undefined;
}

function conditionalTarget(target: unknown, star: string | undefined): string | undefined {
  if (typeof target === 'string') return star === undefined ? target : target.replaceAll('*', star);
  if (Array.isArray(target)) {
    for (const t of target) {
      const found = conditionalTarget(t, star);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (typeof target === 'object' && target !== null) {
    // Key order decides, not our list: the first condition Node's ESM loader matches wins.
    for (const [condition, value] of Object.entries(target)) {
      if (!CONDITIONS.has(condition)) continue;
      const found = conditionalTarget(value, star);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}
