import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createUpframeContainer } from './container.js';
import { isUpframeError, PluginLoadError } from './errors.js';
import { createMemoryLogger, silentLogger } from './logger.js';
import { PLUGIN_API_VERSION } from './plugin-api/api-version.js';
import { definePlugin, type PluginHost } from './plugin-api/define-plugin.js';
import { createPluginHost, UPFRAME_VERSION } from './plugin-host.js';
import { loadPlugin, registerPlugins } from './plugin.js';
import { FakeBackend } from './test-support/fakes.js';
import { TOKENS } from './tokens.js';

const dir = mkdtempSync(join(tmpdir(), 'upframe-plugin-host-'));
function pluginFile(name: string, source: string): string {
  writeFileSync(join(dir, name), source);
  return join(dir, name);
}

describe('versioned plugins and the host facade', () => {
  it('register(host, options) gets the caller\'s options and a narrow host, never the container', async () => {
    let seen: { host?: PluginHost; options?: unknown } = {};
    const plugin = pluginFile(
      'seen.mjs',
      "export default { name: 'seen', apiVersion: '1.0', register(host, options) { globalThis.__seen = { host, options }; } };\n",
    );
    const logger = createMemoryLogger();
    const loaded = await registerPlugins(createUpframeContainer({ logger }), [[plugin, { strength: 3 }]]);
    seen = (globalThis as { __seen?: typeof seen }).__seen!;
    expect(loaded.map((p) => p.name)).toEqual(['seen']);
    expect(seen.options).toEqual({ strength: 3 });
    expect(Object.keys(seen.host!).sort()).toEqual(['apiVersion', 'backends', 'dedupe', 'formats', 'logger', 'upframeVersion']);
    expect(seen.host).toMatchObject({ apiVersion: PLUGIN_API_VERSION, upframeVersion: UPFRAME_VERSION, logger });
    expect(UPFRAME_VERSION).toMatch(/^\d+\.\d+\.\d+/);
    // Versioned plugins load silently; only the legacy shape warns.
    expect(logger.messages).toEqual([]);
  });

  it('options default to {} for a bare specifier', async () => {
    const plugin = pluginFile('opts.mjs', "export default { name: 'opts', apiVersion: '1.0', register(_h, options) { globalThis.__opts = options; } };\n");
    await registerPlugins(createUpframeContainer({ logger: silentLogger }), [plugin]);
    expect((globalThis as { __opts?: unknown }).__opts).toEqual({});
  });

  it('entries added through the host are adapted to the registries the CLI selects from', async () => {
    const container = createUpframeContainer({ logger: silentLogger });
    const made: unknown[] = [];
    const plugin = definePlugin({
      name: 'mine',
      apiVersion: '1.0',
      register(host) {
        host.backends.add({ name: 'mine', description: 'a fake', priority: 5, create: (options, context) => (made.push({ options, plugin: context.plugin }), new FakeBackend()) });
        host.dedupe.add({ name: 'mine-dedupe', description: 'd', create: () => ({ name: 'mine-dedupe', decide: () => ({}), dispose: async () => {} }) });
        host.formats.add({ name: 'mine-format', description: 'f', create: () => ({ name: 'mine-format', select: () => ({ format: 'png', lossless: true, options: {}, reason: 'x' }), summary: () => ({}) }) as never });
        expect(host.backends.has('mine')).toBe(true);
      },
    });
    // Registered in-process through the same host registerPlugins builds.
    await plugin.register(createPluginHost(container, 'mine', './mine.mjs'), {});
    const entry = container.resolve(TOKENS.Backends).get('mine');
    expect(entry).toMatchObject({ name: 'mine', description: 'a fake', priority: 5, origin: './mine.mjs' });
    expect(entry.create(container, { model: 'm', device: 'cpu' })).toBeInstanceOf(FakeBackend);
    expect(made).toEqual([{ options: { model: 'm', device: 'cpu' }, plugin: 'mine' }]);
    expect(container.resolve(TOKENS.Dedupe).has('mine-dedupe')).toBe(true);
    expect(container.resolve(TOKENS.FormatSelectors).has('mine-format')).toBe(true);
  });

  it('a factory that throws a plain error with a known code keeps it and is tagged with the plugin', async () => {
    const plugin = pluginFile(
      'coded.mjs',
      "export default { name: 'coded', apiVersion: '1.0', register(host) { host.backends.add({ name: 'coded', description: '', create() { throw Object.assign(new Error('no GPU here'), { code: 'DEVICE_UNAVAILABLE', hint: 'use --device cpu' }); } }); } };\n",
    );
    const container = createUpframeContainer({ logger: silentLogger });
    await registerPlugins(container, [plugin]);
    let thrown: unknown;
    try {
      container.resolve(TOKENS.Backends).create(container, 'coded', { model: 'm', device: 'cuda' });
    } catch (error) {
      thrown = error;
    }
    expect(isUpframeError(thrown, 'DEVICE_UNAVAILABLE')).toBe(true);
    expect(thrown).toMatchObject({ plugin: 'coded', hint: 'use --device cpu', message: '[coded] no GPU here' });
  });

  it('a register() that throws keeps the plugin\'s code and hint in the cause', async () => {
    const plugin = pluginFile(
      'usage.mjs',
      "export default { name: 'usage', apiVersion: '1.0', register() { throw Object.assign(new Error('unknown option \"x\"; allowed: strength'), { code: 'USAGE', hint: 'strength: number' }); } };\n",
    );
    const error = await registerPlugins(createUpframeContainer({ logger: silentLogger }), [plugin]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PluginLoadError);
    expect(error).toMatchObject({ code: 'PLUGIN_LOAD_FAILED', plugin: 'usage', hint: 'strength: number', message: expect.stringMatching(/register\(\) failed: unknown option "x"/) });
    expect(isUpframeError((error as Error).cause, 'USAGE')).toBe(true);
  });
});

describe('plugin API version check', () => {
  it.each([
    ['2.0', /targets plugin API 2\.0 but this upframe provides plugin API 1\.0/, /Upgrade upframe/],
    ['1.9', /targets plugin API 1\.9 but this upframe provides plugin API 1\.0/, /Upgrade upframe/],
    ['0.4', /targets plugin API 0\.4 but this upframe provides plugin API 1\.0/, /version of the plugin written for plugin API 1\.x/],
    ['one', /apiVersion "one" is not "MAJOR\.MINOR"; this upframe provides plugin API 1\.0/, /apiVersion: '1\.0'/],
  ])('refuses a plugin for API %s, naming both versions and what to do', async (version, message, hint) => {
    const plugin = pluginFile(`v${version}.mjs`, `export default { name: 'future', apiVersion: '${version}', register() { throw new Error('must not run'); } };\n`);
    const error = await loadPlugin(plugin).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PluginLoadError);
    expect((error as PluginLoadError).message).toMatch(message);
    expect((error as PluginLoadError).message).toContain(`cannot load plugin "${plugin}": plugin "future"`);
    expect((error as PluginLoadError).hint).toMatch(hint);
  });

  it('accepts the host\'s own version and older minors of the same major', async () => {
    const plugin = pluginFile('v1.mjs', "export default { name: 'now', apiVersion: '1.0', register() {} };\n");
    expect((await loadPlugin(plugin)).apiVersion).toBe('1.0');
  });
});
