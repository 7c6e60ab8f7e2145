import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PLUGIN_API_VERSION, UPFRAME_VERSION, isUpframeError } from '@upframe/core';
import { PLUGIN_KINDS, pluginNames } from './scaffold-names.js';
import { TOOLCHAIN, scaffoldVersions } from './scaffold-versions.js';
import { renderPlugin, scaffoldPlugin } from './write-scaffold.js';

const REPO = new URL('../../../../', import.meta.url);
const readJson = (path: string) => JSON.parse(readFileSync(new URL(path, REPO), 'utf8'));
const names = { packageName: 'upframe-plugin-mine', stageName: 'mine' };

describe('the scaffold templates', () => {
  it.each(PLUGIN_KINDS)('a %s plugin is a complete ESM package with ^ peers and the monorepo toolchain', (kind) => {
    const files = renderPlugin(kind, names);
    expect(Object.keys(files).sort()).toEqual(['.gitignore', 'README.md', 'package.json', 'src/index.test.ts', 'src/index.ts', 'tsconfig.build.json', 'tsconfig.json']);
    const pkg = JSON.parse(files['package.json']!);
    expect(pkg).toMatchObject({
      name: 'upframe-plugin-mine',
      type: 'module',
      exports: { '.': { types: './dist/index.d.ts', import: './dist/index.js' } },
      files: ['dist', 'README.md'],
      scripts: { build: 'tsc -p tsconfig.build.json', typecheck: 'tsc', test: 'vitest run' },
      peerDependencies: { '@upframe/core': `^${UPFRAME_VERSION}` },
      devDependencies: { '@upframe/core': `^${UPFRAME_VERSION}`, '@upframe/plugin-kit': `^${readJson('packages/plugin-kit/package.json').version}`, ...TOOLCHAIN },
    });
    expect(JSON.parse(files['tsconfig.json']!)).toMatchObject({ compilerOptions: { module: 'NodeNext', outDir: 'dist', declaration: true, noEmit: true }, include: ['src'] });
    expect(JSON.parse(files['tsconfig.build.json']!)).toEqual({ extends: './tsconfig.json', compilerOptions: { noEmit: false }, exclude: ['src/**/*.test.ts'] });
  });

  it.each(PLUGIN_KINDS)('a %s plugin imports only the plugin entry and declares the running plugin API', (kind) => {
    const files = renderPlugin(kind, names);
    const imports = [...files['src/index.ts']!.matchAll(/from '([^']+)'/g)].map((m) => m[1]);
    expect(new Set(imports)).toEqual(new Set(['@upframe/core/plugin']));
    expect(files['src/index.ts']).toContain(`apiVersion: '${PLUGIN_API_VERSION}'`);
    expect(files['src/index.ts']).toContain("export const NAME = 'mine';");
    expect(files['src/index.test.ts']).toMatch(/import \{ describe\w+Contract \} from '@upframe\/plugin-kit';/);
    expect(files['README.md']).toContain('--plugin upframe-plugin-mine');
  });

  it('the backend declares its option in the schema upframe checks --backend-opt against', () => {
    const index = renderPlugin('backend', names)['src/index.ts']!;
    expect(index).toMatch(/options: \{\n\s+scale: \{ type: 'integer', min: 1, max: MAX_SCALE, default: 2,/);
    expect(index).toContain('options.extra?.scale');
  });

  it('starts plugins on the toolchain the monorepo itself builds and tests with', () => {
    const root = readJson('package.json').devDependencies;
    expect(TOOLCHAIN).toEqual({ typescript: root.typescript, vitest: root.vitest, '@types/node': root['@types/node'] });
    expect(scaffoldVersions().apiVersion).toBe(PLUGIN_API_VERSION);
  });
});

describe('plugin names', () => {
  it.each([
    ['upframe-plugin-foo', 'foo'],
    ['@me/upframe-plugin-foo.bar', 'foo.bar'],
    ['sharpen', 'sharpen'],
    ['@me/sharpen', 'sharpen'],
  ])('package %s registers as %s', (packageName, stageName) => {
    expect(pluginNames('/somewhere', packageName)).toEqual({ packageName, stageName });
  });

  it('defaults the package name to the folder name', () => {
    expect(pluginNames('/work/upframe-plugin-x')).toEqual({ packageName: 'upframe-plugin-x', stageName: 'x' });
  });

  it.each(['Upper', 'has space', '.dot', '@scope', 'upframe-plugin-', 'upframe-plugin-~x', 'x'.repeat(215)])('refuses %j with a usage error', (name) => {
    let thrown: unknown;
    try {
      pluginNames('/somewhere', name);
    } catch (error) {
      thrown = error;
    }
    expect(isUpframeError(thrown, 'USAGE')).toBe(true);
  });
});

describe('scaffoldPlugin', () => {
  const temp = () => mkdtempSync(join(tmpdir(), 'upframe-scaffold-'));

  it('creates missing parent folders and writes every rendered file', () => {
    const dir = join(temp(), 'a', 'upframe-plugin-deep');
    const result = scaffoldPlugin({ dir, kind: 'format' });
    expect(result).toMatchObject({ packageName: 'upframe-plugin-deep', stageName: 'deep', kind: 'format', dir });
    for (const file of result.files) expect(readFileSync(join(dir, file), 'utf8').length).toBeGreaterThan(0);
    expect(result.usage).toBe('npx upframe upscale frames/ -o frames-x2/ --plugin upframe-plugin-deep --format deep');
  });

  it('refuses a target that is a file or a folder with anything in it', () => {
    const base = temp();
    writeFileSync(join(base, 'file'), '');
    mkdirSync(join(base, 'busy'));
    writeFileSync(join(base, 'busy', '.env'), 'x');
    expect(() => scaffoldPlugin({ dir: join(base, 'file'), kind: 'backend', name: 'upframe-plugin-a' })).toThrow(/exists and is not a folder/);
    expect(() => scaffoldPlugin({ dir: join(base, 'busy'), kind: 'backend', name: 'upframe-plugin-a' })).toThrow(/is not empty \(\.env\)/);
  });
});
