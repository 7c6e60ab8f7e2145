import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { PluginLoadError } from './errors.js';
import { loadPlugin } from './plugin.js';
import { resolvePluginSpecifier } from './plugin-resolve.js';

/** A folder with `node_modules/<name>` holding an ESM plugin whose exports map offers only `import`. */
function project(name: string, pluginName = 'p'): string {
  const root = mkdtempSync(join(tmpdir(), 'upframe-project-'));
  const dir = join(root, 'node_modules', name);
  mkdirSync(join(dir, 'dist'), { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name, type: 'module', exports: { '.': { types: './dist/index.d.ts', import: './dist/index.js' } } }));
  writeFileSync(join(dir, 'dist', 'index.js'), `export default { name: '${pluginName}', apiVersion: '1.0', register() {} };\n`);
  return root;
}

describe('resolving a plugin by package name', () => {
  it('finds an ESM-only package in the project folder, and from a subfolder of it', async () => {
    const root = project('my-upframe-plugin');
    const sub = join(root, 'videos', 'today');
    mkdirSync(sub, { recursive: true });
    const expected = pathToFileURL(join(root, 'node_modules/my-upframe-plugin/dist/index.js')).href;
    expect(resolvePluginSpecifier('my-upframe-plugin', root)).toEqual({ url: expected, isPath: false });
    expect(resolvePluginSpecifier('my-upframe-plugin', sub).url).toBe(expected);
    expect((await loadPlugin('my-upframe-plugin', sub)).name).toBe('p');
  });

  it('looks in each folder in order: the project first, then the fallback (the CLI\'s install)', () => {
    const project1 = project('dup-plugin');
    const cli = project('dup-plugin');
    const empty = mkdtempSync(join(tmpdir(), 'upframe-empty-'));
    expect(resolvePluginSpecifier('dup-plugin', empty, [empty, cli]).url).toContain(cli);
    expect(resolvePluginSpecifier('dup-plugin', project1, [project1, cli]).url).toContain(project1);
  });

  it('handles scoped names and subpaths', () => {
    const root = project('@acme/upframe-x');
    expect(resolvePluginSpecifier('@acme/upframe-x', root).url).toMatch(/@acme\/upframe-x\/dist\/index\.js$/);
    expect(() => resolvePluginSpecifier('@acme/upframe-x/missing', root)).toThrow(/provides no importable entry for "\.\/missing"/);
  });

  it('not found names every folder it searched from and suggests npm i, without blaming the export shape', () => {
    const a = mkdtempSync(join(tmpdir(), 'upframe-a-'));
    const b = mkdtempSync(join(tmpdir(), 'upframe-b-'));
    let error: unknown;
    try {
      resolvePluginSpecifier('@acme/not-installed', a, [a, b]);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PluginLoadError);
    const { message, hint } = error as PluginLoadError;
    expect(message).toContain('package "@acme/not-installed" is not installed');
    expect(message).toContain(a);
    expect(message).toContain(b);
    expect(hint).toContain('npm i @acme/not-installed');
    expect(`${message} ${hint}`).not.toMatch(/default-export|default export/);
  });

  it('paths keep working, and a missing file says so (not a package hint)', () => {
    const root = project('x');
    writeFileSync(join(root, 'local.mjs'), "export default { name: 'l', apiVersion: '1.0', register() {} };\n");
    expect(resolvePluginSpecifier('./local.mjs', root).isPath).toBe(true);
    expect(resolvePluginSpecifier('local.mjs', root).isPath).toBe(true);
    expect(resolvePluginSpecifier(join(root, 'local.mjs'), '/').isPath).toBe(true);
    expect(() => resolvePluginSpecifier('./nope.mjs', root)).toThrow(/no file at .*nope\.mjs/);
  });
});

describe('loading a resolved plugin', () => {
  it('a package it imports that is missing is blamed on that import, not on resolution or the export shape', async () => {
    const root = project('needs-peer');
    writeFileSync(join(root, 'node_modules/needs-peer/dist/index.js'), "import 'some-peer-that-is-not-here';\nexport default {};\n");
    const error = (await loadPlugin('needs-peer', root).catch((e: unknown) => e)) as PluginLoadError;
    expect(error).toBeInstanceOf(PluginLoadError);
    expect(error.message).toMatch(/importing .*needs-peer.*failed/);
    expect(error.hint).toMatch(/a package it imports is not installed/);
  });
});
