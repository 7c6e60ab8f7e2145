import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolvePackageEntry } from './package-exports.js';

function pkg(json: object, files: readonly string[] = []): string {
  const dir = mkdtempSync(join(tmpdir(), 'upframe-pkg-'));
  writeFileSync(join(dir, 'package.json'), JSON.stringify(json));
  for (const f of files) {
    mkdirSync(join(dir, f, '..'), { recursive: true });
    writeFileSync(join(dir, f), '');
  }
  return dir;
}

describe('resolvePackageEntry (what an ESM import of a package loads)', () => {
  it('follows an exports map with import-only conditions, which require.resolve cannot', () => {
    const dir = pkg({ exports: { '.': { types: './dist/index.d.ts', import: './dist/index.js' }, './package.json': './package.json' } });
    expect(resolvePackageEntry(dir, '.')).toBe(join(dir, 'dist/index.js'));
  });

  it('takes conditions in the package\'s key order and skips ones Node\'s ESM loader ignores', () => {
    expect(resolvePackageEntry(pkg({ exports: { require: './c.cjs', default: './d.js' } }), '.')).toMatch(/d\.js$/);
    expect(resolvePackageEntry(pkg({ exports: { node: { import: './n.mjs' }, default: './d.js' } }), '.')).toMatch(/n\.mjs$/);
    expect(resolvePackageEntry(pkg({ exports: './only.js' }), '.')).toMatch(/only\.js$/);
    expect(resolvePackageEntry(pkg({ exports: { '.': [{ require: './x.cjs' }, './y.js'] } }), '.')).toMatch(/y\.js$/);
  });

  it('resolves subpaths and * patterns, and offers nothing for what is not exported', () => {
    const dir = pkg({ exports: { '.': './i.js', './extra': { import: './e.js' }, './kinds/*': './src/kinds/*.js' } });
    expect(resolvePackageEntry(dir, './extra')).toBe(join(dir, 'e.js'));
    expect(resolvePackageEntry(dir, './kinds/backend')).toBe(join(dir, 'src/kinds/backend.js'));
    expect(resolvePackageEntry(dir, './hidden')).toBeUndefined();
    expect(resolvePackageEntry(pkg({ exports: { '.': { require: './c.cjs' } } }), '.')).toBeUndefined();
  });

  it('without exports: main (with Node\'s extension and index fallbacks), else index.js', () => {
    expect(resolvePackageEntry(pkg({ main: 'lib/main' }, ['lib/main.js']), '.')).toMatch(/lib\/main\.js$/);
    expect(resolvePackageEntry(pkg({ main: 'lib' }, ['lib/index.js']), '.')).toMatch(/lib\/index\.js$/);
    expect(resolvePackageEntry(pkg({}, ['index.js']), '.')).toMatch(/index\.js$/);
    expect(resolvePackageEntry(pkg({}), '.')).toBeUndefined();
  });
});
