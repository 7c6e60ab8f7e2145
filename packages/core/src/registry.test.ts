import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject, injectable } from 'tsyringe';
import { describe, expect, it } from 'vitest';
import { createUpframeContainer, resolveWith } from './container.js';
import { PluginLoadError, UpframeError } from './errors.js';
import { createMemoryLogger, type Logger } from './logger.js';
import { loadPlugin, registerPlugins } from './plugin.js';
import { TOKENS } from './tokens.js';
import { FakeBackend } from './test-support/fakes.js';

@injectable()
class NeedsOptions extends FakeBackend {
  constructor(@inject(TOKENS.BackendOptions) readonly options: { model: string }, @inject(TOKENS.Logger) readonly logger: Logger) {
    super();
  }
}

describe('registries and DI', () => {
  it('registers by name, resolves constructor parameters through tokens, lists by priority', () => {
    const logger = createMemoryLogger();
    const c = createUpframeContainer({ logger });
    const backends = c.resolve(TOKENS.Backends);
    backends.add({ name: 'slow', description: 'x', priority: 1, create: () => new FakeBackend() });
    backends.add({ name: 'fast', description: 'y', priority: 10, create: (cc, options) => resolveWith(cc, NeedsOptions, TOKENS.BackendOptions, options) });
    const made = backends.create(c, 'fast', { model: 'm', device: 'cpu' }) as NeedsOptions;
    expect(made.options.model).toBe('m');
    expect(made.logger).toBe(logger);
    expect(backends.names()).toEqual(['fast', 'slow']);
  });

  it('an unknown name lists what is registered', () => {
    const c = createUpframeContainer();
    c.resolve(TOKENS.Dedupe).add({ name: 'near', description: '', create: () => ({}) as never });
    expect(() => c.resolve(TOKENS.Dedupe).get('fuzzy')).toThrow(/unknown dedupe strategy "fuzzy"; registered: near/);
    expect(() => c.resolve(TOKENS.Dedupe).add({ name: 'Bad Name', description: '', create: () => ({}) as never })).toThrow(UpframeError);
  });

  it('child containers are isolated from each other', () => {
    const a = createUpframeContainer();
    const b = createUpframeContainer();
    a.resolve(TOKENS.Backends).add({ name: 'only-a', description: '', create: () => new FakeBackend() });
    expect(b.resolve(TOKENS.Backends).has('only-a')).toBe(false);
  });
});

describe('plugins', () => {
  const dir = mkdtempSync(join(tmpdir(), 'upframe-plugin-'));
  const write = (name: string, body: string) => {
    writeFileSync(join(dir, name), body);
    return join(dir, name);
  };

  it('loads a module by path, unwraps default, and lets it add to a registry', async () => {
    const path = write('good.mjs', `export default { name: 'good', register(c) { c.resolve(Symbol.for('upframe.registry.backends')).add({ name: 'plug', description: 'from plugin', create: () => ({}) }); } };`);
    const logger = createMemoryLogger();
    const c = createUpframeContainer({ logger });
    const loaded = await registerPlugins(c, [path]);
    expect(loaded.map((p) => p.name)).toEqual(['good']);
    expect(c.resolve(TOKENS.Backends).get('plug').description).toBe('from plugin');
    // No apiVersion: the legacy shape still loads, with a warning that says what to change.
    expect(logger.messages).toEqual([{ level: 'warn', message: expect.stringMatching(/plugin "good" .* declares no apiVersion.*definePlugin/) }]);
  });

  it('a relative path without ./ is still a path when the file exists', async () => {
    write('plain.mjs', `export default { name: 'plain', register() {} };`);
    expect((await loadPlugin('plain.mjs', dir)).name).toBe('plain');
    await expect(loadPlugin('no-such-package-xyz', dir)).rejects.toThrow(/package "no-such-package-xyz" is not installed/);
  });

  it('a module that is not a plugin gets a PluginLoadError naming it', async () => {
    const path = write('bad.mjs', `export default { hello: 1 };`);
    await expect(loadPlugin(path)).rejects.toBeInstanceOf(PluginLoadError);
    await expect(loadPlugin(path)).rejects.toThrow(new RegExp(`cannot load plugin "${path}".*default export`));
    await expect(loadPlugin(join(dir, 'missing.mjs'))).rejects.toThrow(/no file at .*missing\.mjs/);
  });

  it('a register() that throws is reported with the plugin module', async () => {
    const path = write('throws.mjs', `export default { name: 't', register() { throw new Error('needs a GPU'); } };`);
    await expect(registerPlugins(createUpframeContainer({ logger: createMemoryLogger() }), [path])).rejects.toThrow(/register\(\) failed: needs a GPU/);
  });
});
