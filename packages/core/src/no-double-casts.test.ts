import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// `x as unknown as T` tells the compiler nothing about x: it is how an untyped value crosses a
// typed boundary unchecked (the stage options did, before each stage got its own token). Production
// code gets its types from the contracts instead; tests may still build deliberately wrong values.

const PACKAGES = fileURLToPath(new URL('../../', import.meta.url));
const DOUBLE_CAST = /\bas\s+unknown\s+as\b/;

/** `src/**\/*.test.ts`-style globs as a regular expression over `/`-separated paths. */
function globRegExp(glob: string): RegExp {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (glob.startsWith('**/', i)) {
      out += '(?:.*/)?';
      i += 2;
    } else if (glob.startsWith('/**', i) && i + 3 === glob.length) {
      out += '(?:/.*)?';
      i += 2;
    } else if (c === '*') out += '[^/]*';
    else out += /[.+?^${}()|[\]\\]/.test(c) ? `\\${c}` : c;
  }
  return new RegExp(`^${out}$`);
}

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
}

/** The files a package's build compiles: `src/**\/*.ts` less its tsconfig.build.json `exclude`. */
function productionFiles(pkg: string): string[] {
  const root = join(PACKAGES, pkg);
  const build = join(root, 'tsconfig.build.json');
  const excludes = existsSync(build) ? ((JSON.parse(readFileSync(build, 'utf8')) as { exclude?: string[] }).exclude ?? []) : ['src/**/*.test.ts'];
  const patterns = excludes.map(globRegExp);
  return walk(join(root, 'src'))
    .map((file) => relative(root, file).split(sep).join('/'))
    .filter((file) => file.endsWith('.ts') && !patterns.some((p) => p.test(file)))
    .map((file) => `${pkg}/${file}`);
}

const packages = readdirSync(PACKAGES).filter((p) => existsSync(join(PACKAGES, p, 'src')));

describe('production code has no `as unknown as`', () => {
  it('reads the build excludes as the build does', () => {
    expect(globRegExp('src/**/*.test.ts').test('src/a/b.test.ts')).toBe(true);
    expect(globRegExp('src/**/*.test.ts').test('src/b.test.ts')).toBe(true);
    expect(globRegExp('src/test-support/**').test('src/test-support/x/y.ts')).toBe(true);
    expect(globRegExp('src/**/test-*.ts').test('src/tests.ts')).toBe(false);
    expect(productionFiles('core')).toContain('core/src/tokens.ts');
    expect(productionFiles('core')).not.toContain('core/src/no-double-casts.test.ts');
  });

  it.each(packages)('packages/%s/src', (pkg) => {
    const offenders = productionFiles(pkg).flatMap((file) =>
      readFileSync(join(PACKAGES, file), 'utf8')
        .split('\n')
        .flatMap((line, i) => (DOUBLE_CAST.test(line) ? [`packages/${file}:${i + 1}: ${line.trim()}`] : [])),
    );
    expect(offenders, 'type the value at its source (a typed token, a type guard, a narrower declaration) instead').toEqual([]);
  });
});
